/** @type {import('jest').Config} */
module.exports = {
  displayName: 'ci-tools',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
