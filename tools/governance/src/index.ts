/**
 * `@slipway/governance`: the IaC governance engine as a library (the CLI is `src/cli.ts`).
 * See this project's README for the rules, profiles, waivers and reports.
 */
export { buildModel, exitCode, scan, type ScanOptions, type ScanResult } from './engine';
export { render } from './report';
export { RULES } from './rules';
export { generateLargePlan, measureScan } from './bench';
