const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'edge',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  // jose ships only ES modules: let SWC turn it into CommonJS for Jest, beside the preset's list.
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace('(?!(', '(?!(jose|')],
};
