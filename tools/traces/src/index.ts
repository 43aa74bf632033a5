export * from './aws';
export * from './errors';
export * from './graph';
export * from './render';
export * from './report';
export * from './segments';
export * from './waterfall';
export { parseArgs, runTracesCli, USAGE, type CliIo, type TracesArgs } from './cli';
