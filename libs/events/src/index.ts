/**
 * `@slipway/events`: the zod schema of every event, state input/output and stored document,
 * one folder per domain (`media/`, `etl/`, `edge/`, `jobs/`, `users/`) plus S3's own (`s3/`). See `libs/README.md`.
 */
export * from './errors';
export * from './parse';
export * from './patterns';
export * from './s3';
export * from './media';
export * from './etl';
export * from './edge';
export * from './jobs';
export * from './users';
