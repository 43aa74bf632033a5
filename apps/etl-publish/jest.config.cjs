/** @type {import('jest').Config} */
module.exports = {
  displayName: 'etl-publish',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
