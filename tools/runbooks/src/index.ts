export * from './errors';
export * from './generate';
export * from './kinds';
export * from './plan';
export * from './render';
export { parseArgs, runCli, USAGE, type CliOptions } from './cli';
