export * from './observability';
export * from './handler';
