/** @type {import('jest').Config} */
module.exports = {
  displayName: 'media-poster',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
