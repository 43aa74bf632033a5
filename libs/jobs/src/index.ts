/**
 * `@slipway/jobs`: events and jobs (issue 14). Pure logic at the top level (`welcome-email.ts`, `reminders.ts`),
 * AWS I/O in `workers/`.
 */
export * from './errors';
export * from './welcome-email';
export * from './workers/welcome-email';
export * from './reminders';
export * from './workers/reminders';
