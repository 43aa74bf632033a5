/** @type {import('jest').Config} */
module.exports = {
  displayName: 'etl-list-partitions',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
