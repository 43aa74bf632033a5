/** @type {import('jest').Config} */
module.exports = {
  displayName: 'etl',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
