/** Integration tests: the init probe in real child `node` processes on fixture bundles (no network). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'bench-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 60 * 1000,
};
