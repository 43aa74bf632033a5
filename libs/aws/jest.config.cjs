/** @type {import('jest').Config} */
module.exports = {
  displayName: 'aws',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
