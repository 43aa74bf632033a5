/** @type {import('jest').Config} */
module.exports = {
  displayName: 'media-probe',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
