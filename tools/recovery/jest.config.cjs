/** @type {import('jest').Config} */
module.exports = {
  displayName: 'recovery',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
