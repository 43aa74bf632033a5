/** Integration tests: redrive and rerun on the real sandbox with the packaged zips (nx run recovery:integration). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'recovery-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 5 * 60 * 1000,
};
