/** @type {import('jest').Config} */
module.exports = {
  displayName: 'media-thumbnails',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
