/** Integration tests: the engine on real offline Terraform plans (terraform + the AWS provider, no cloud). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'governance-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 5 * 60 * 1000,
};
