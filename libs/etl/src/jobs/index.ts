/** The ETL states wired to S3: each Lambda calls one of these. */
export { listPartitions, partitionDate, removeStaleOutputs, staleOutputKeys } from './partitions';
export { runTransform } from './transform';
export { readAggregated, runAggregate, s3AsyncBuffer } from './aggregate';
export { runPublish } from './publish';
