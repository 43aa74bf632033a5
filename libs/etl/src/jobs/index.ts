/** The ETL states wired to S3: each Lambda calls one of these. */
export {
  listPartitions,
  partitionDate,
  removeStaleOutputs,
  staleOutputKeys,
  writeRunObjects,
  type DayListing,
} from './partitions';
export { runTransform } from './transform';
export { runTransformBatch } from './batch';
export { readMapResults } from './map-results';
export { readAggregated, runAggregate, s3AsyncBuffer } from './aggregate';
export { runPublish } from './publish';
