/** @type {import('jest').Config} */
module.exports = {
  displayName: 'etl-reconcile',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
