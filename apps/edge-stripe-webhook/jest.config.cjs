/** @type {import('jest').Config} */
module.exports = {
  displayName: 'edge-stripe-webhook',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
