/** @type {import('jest').Config} */
module.exports = {
  displayName: 'flows',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
