/** @type {import('jest').Config} */
module.exports = {
  displayName: 'media',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
