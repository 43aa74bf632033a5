/** @type {import('jest').Config} */
module.exports = {
  displayName: 'traces',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
