/** @type {import('jest').Config} */
module.exports = {
  displayName: 'manifest',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
