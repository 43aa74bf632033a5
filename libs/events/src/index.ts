export * from './errors';
export * from './parse';
export * from './s3-object-created';
export * from './media';
export * from './media-flow';
export * from './etl';
