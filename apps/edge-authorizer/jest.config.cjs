/** @type {import('jest').Config} */
module.exports = {
  displayName: 'edge-authorizer',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
