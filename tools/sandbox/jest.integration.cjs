// Read by path: the preset sits outside this project (module-boundary lint).
const preset = require(require('node:path').join(__dirname, '../../jest.preset.cjs'));

/** Integration tests: the real ASL, the embedded S3 server and the packaged zips (nx run sandbox:integration). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'sandbox-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 5 * 60 * 1000,
  // jose (local identity) ships only ES modules: let SWC turn it into CommonJS for Jest.
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace('(?!(', '(?!(jose|')],
};
