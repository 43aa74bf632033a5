/** @type {import('jest').Config} */
module.exports = {
  displayName: 'edge',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
