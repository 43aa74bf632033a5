export * from './flows';
export * from './trigger';
export * from './schedule';
