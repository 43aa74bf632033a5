/** @type {import('jest').Config} */
module.exports = {
  displayName: 'jobs-welcome-email',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
