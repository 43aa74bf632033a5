/** @type {import('jest').Config} */
module.exports = {
  displayName: 'samples',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
