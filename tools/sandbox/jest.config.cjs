// Read by path: the preset sits outside this project (module-boundary lint).
const preset = require(require('node:path').join(__dirname, '../../jest.preset.cjs'));

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'sandbox',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  // jose (local identity) ships only ES modules: let SWC turn it into CommonJS for Jest.
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace('(?!(', '(?!(jose|')],
};
