/** Integration tests: the affected-stacks CLI with real git and Nx on throwaway workspace copies. */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'delivery-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 5 * 60 * 1000,
};
