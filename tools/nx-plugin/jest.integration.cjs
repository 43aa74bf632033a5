/** Integration tests: real Nx, esbuild and Terraform in throwaway copies of the workspace. */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'nx-plugin-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 15 * 60 * 1000,
};
