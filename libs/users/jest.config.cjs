/** @type {import('jest').Config} */
module.exports = {
  displayName: 'users',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
