/**
 * Integration tests: affected-stacks with real git and Nx on throwaway workspace copies; plan-summary,
 * plan-guard and drift-report with the real terraform binary (offline mirror, local backends).
 */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'delivery-integration',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
  testTimeout: 5 * 60 * 1000,
};
