/** @type {import('jest').Config} */
module.exports = {
  displayName: 'media-metadata',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
