/** Integration tests: the init probe and the media worker in real child processes (no network). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'bench-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 60 * 1000,
};
