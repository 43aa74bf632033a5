/** Integration tests: the real terraform binary on the synthesized stacks and terraform/bootstrap (offline, no cloud). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'terraform-tools-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 60 * 1000,
};
