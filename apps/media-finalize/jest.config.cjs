/** @type {import('jest').Config} */
module.exports = {
  displayName: 'media-finalize',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
