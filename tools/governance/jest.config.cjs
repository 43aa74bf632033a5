/** @type {import('jest').Config} */
module.exports = {
  displayName: 'governance',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
