export * from './errors';
export * from './schema';
export * from './load';
export * from './intents';
export * from './json-schema';
export * from './iam';
export * from './environment';
export * from './artifact';
