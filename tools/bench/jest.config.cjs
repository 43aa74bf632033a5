/** @type {import('jest').Config} */
module.exports = {
  displayName: 'bench',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
