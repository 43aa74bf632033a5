export * from './errors';
export * from './env';
export * from './clients';
export * from './s3-objects';
