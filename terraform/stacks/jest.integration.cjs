/** Integration tests: they read the real synthesized stacks and offline plans (nx run stacks:integration). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'stacks-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 120000,
};
