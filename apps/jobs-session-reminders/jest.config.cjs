/** @type {import('jest').Config} */
module.exports = {
  displayName: 'jobs-session-reminders',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
};
