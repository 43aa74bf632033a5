/** Integration tests: the real ASL, the embedded S3 server and the packaged zips (nx run sandbox:integration). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'sandbox-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 5 * 60 * 1000,
};
