/** @type {import('jest').Config} */
module.exports = {
  displayName: 'etl-transform',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
