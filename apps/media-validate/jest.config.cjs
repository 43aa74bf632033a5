/** @type {import('jest').Config} */
module.exports = {
  displayName: 'media-validate',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
