import * as z from 'zod';
import { CuratedTableNameSchema, PartitionDateSchema } from './common';
import { MapResultsSchema } from './map-results';

/**
 * Input of `Aggregate`: the day and where the Transform Map wrote its results on S3 (every
 * Transform output is read from there, never from the state payload).
 */
export const AggregateInputSchema = z.object({
  date: PartitionDateSchema,
  transforms: MapResultsSchema,
});
/** Input of `Aggregate`. */
export type AggregateInput = z.infer<typeof AggregateInputSchema>;

/** Day-level counts of `Aggregate`. `events + crossObjectDuplicates` = the sum of `valid` of every object. */
export const AggregateCountsSchema = z.object({
  stagingFiles: z.number().int().nonnegative(),
  /** Rows read from staging. */
  stagingRows: z.number().int().nonnegative(),
  /** Distinct events aggregated. */
  events: z.number().int().nonnegative(),
  /** Staging rows dropped because an earlier staging file already had their `event_id`. */
  crossObjectDuplicates: z.number().int().nonnegative(),
});
/** Day-level counts of `Aggregate`. */
export type AggregateCounts = z.infer<typeof AggregateCountsSchema>;

/** One table Aggregate wrote to its work area, waiting for Publish. */
export const AggregatedTableSchema = z.object({
  table: CuratedTableNameSchema,
  key: z.string().min(1),
  rows: z.number().int().nonnegative(),
});
/** One table waiting for Publish. */
export type AggregatedTable = z.infer<typeof AggregatedTableSchema>;

/** Output of `Aggregate`. */
export const AggregateOutputSchema = z.object({
  date: PartitionDateSchema,
  tables: z.array(AggregatedTableSchema),
  counts: AggregateCountsSchema,
});
/** Output of `Aggregate`. */
export type AggregateOutput = z.infer<typeof AggregateOutputSchema>;
