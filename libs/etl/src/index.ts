export * from './errors';
export * from './keys';
export {
  transformObject,
  detectFormat,
  DEFAULT_MAX_LINE_BYTES,
  REQUIRED_CSV_COLUMNS,
  type TransformObjectInput,
  type TransformSinks,
  type TransformOptions,
  type TransformResult,
  type RawFormat,
} from './transform';
// The bench's bare baseline splits lines with the very splitter Transform uses.
export { LineSplitter, type RawLine } from './transform/lines';
export { DEFAULT_ROW_GROUP_ROWS, STAGING_SCHEMA, StagingWriter } from './staging';
export * from './aggregate';
export * from './publish';
export * from './reconcile';
export * from './jobs';
