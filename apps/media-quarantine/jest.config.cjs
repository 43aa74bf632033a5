/** @type {import('jest').Config} */
module.exports = {
  displayName: 'media-quarantine',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
