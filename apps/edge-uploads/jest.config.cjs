/** @type {import('jest').Config} */
module.exports = {
  displayName: 'edge-uploads',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
