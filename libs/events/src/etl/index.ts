/**
 * Contracts of the analytics ETL domain: the learning events of the raw exports, one file per
 * state of `libs/flows/etl.asl.json` (its input and output), and the announced event.
 */
export * from './common';
export * from './learning-event';
export * from './list-partitions';
export * from './transform';
export * from './map-results';
export * from './aggregate';
export * from './publish';
export * from './reconcile';
export * from './etl-completed';
