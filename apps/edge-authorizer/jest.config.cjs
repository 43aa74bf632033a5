const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'edge-authorizer',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  // jose (imported through @slipway/edge) ships only ES modules: let SWC turn it into CommonJS.
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace('(?!(', '(?!(jose|')],
};
