export * from './flows';
export * from './trigger';
