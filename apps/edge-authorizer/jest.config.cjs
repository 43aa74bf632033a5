/** @type {import('jest').Config} */
module.exports = {
  displayName: 'edge-authorizer',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  // Each test loads the handler in a fresh module registry (a new execution environment): the
  // first load passed 5 s on the shared 2-core machine under load, failing a correct test.
  testTimeout: 20_000,
};
