/** @type {import('jest').Config} */
module.exports = {
  displayName: 'delivery',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
