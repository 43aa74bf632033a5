/** @type {import('jest').Config} */
module.exports = {
  displayName: 'users-graphql',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
