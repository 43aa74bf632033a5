// Shared Jest settings for every project. TypeScript is compiled by SWC (fast, no type
// checking: `typecheck` targets do that), test files live under `tests/`.
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Kept with the checkout, not in the OS temp dir: `npm test` gives each run its own TMPDIR.
  cacheDirectory: path.join(__dirname, 'node_modules/.cache/jest'),
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // file-type and its helpers, hyparquet and jose ship only ES modules: let SWC turn them into
  // CommonJS for Jest (here, once: any project may import them through a lib).
  transformIgnorePatterns: [
    '/node_modules/(?!(file-type|strtok3|token-types|uint8array-extras|@tokenizer|@borewit|hyparquet|hyparquet-writer|jose)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // Unit tests only; integration suites have their own config and target.
  testMatch: ['<rootDir>/tests/unit/**/*.spec.ts'],
  moduleNameMapper: Object.fromEntries(
    Object.entries(require('./tsconfig.base.json').compilerOptions.paths).map(
      ([alias, [target]]) => [`^${alias}$`, path.join(__dirname, target)],
    ),
  ),
  clearMocks: true,
  restoreMocks: true,
};
