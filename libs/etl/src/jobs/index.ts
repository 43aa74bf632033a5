/** The ETL states wired to S3: each Lambda calls one of these. */
export { listPartitions, partitionDate, type ListPartitionsRequest } from './partitions';
export { runTransform } from './transform';
export { aggregateWorkKey, readAggregated, runAggregate, s3AsyncBuffer } from './aggregate';
export { runPublish } from './publish';
