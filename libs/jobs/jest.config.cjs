/** @type {import('jest').Config} */
module.exports = {
  displayName: 'jobs',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
