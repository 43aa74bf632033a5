/** @type {import('jest').Config} */
module.exports = {
  displayName: 'terraform-tools',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
