/** @type {import('jest').Config} */
module.exports = {
  displayName: 'etl-aggregate',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
