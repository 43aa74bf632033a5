/** Contracts of S3 itself, shared by every domain that stores objects. */
export * from './object-created';
export * from './object-ref';
