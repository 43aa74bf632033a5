export * from './aws-backend';
export * from './backend';
export * from './errors';
export * from './names';
export * from './redrive';
export * from './rerun';
export * from './sandbox-backend';
export { main, parseArgs, USAGE, type CliArgs } from './cli';
export type { CliIo } from './cli-kit';
