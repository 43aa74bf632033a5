/** @type {import('jest').Config} */
module.exports = {
  displayName: 'runbooks',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
