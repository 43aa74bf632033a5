/** @type {import('jest').Config} */
module.exports = {
  displayName: 'stacks',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
