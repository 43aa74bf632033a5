/** Integration tests: the init probe, the media, governance and ETL workers in real child processes (no network). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'bench-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 60 * 1000,
};
