import * as z from 'zod';
import { PartitionDateSchema } from './common';

/**
 * Input of `ListPartitions`: `{ "date": "YYYY-MM-DD" }` when started by hand, or the schedule's
 * `{ "scheduledTime": "<aws.scheduler.scheduled-time>" }` (then the day before, in UTC). The
 * bucket is the function's own (`BUCKET_DATA`), never the caller's. `date` and `scheduledTime`
 * are checked by `partitionDate` in `@slipway/etl`, whose messages say how to start the flow.
 */
export const ListPartitionsInputSchema = z.object({
  date: z.string().optional(),
  scheduledTime: z.string().optional(),
  /** Limit to one `raw/<source>/`; every source when absent. */
  source: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'a source folder name under raw/')
    .optional(),
  runId: z.string().min(1).optional(),
  /** The run's "now" for every Transform (ISO-8601); the listing time when absent. */
  asOf: z.string().optional(),
  correlationId: z.string().min(1).optional(),
});
/** Input of `ListPartitions`. */
export type ListPartitionsInput = z.infer<typeof ListPartitionsInputSchema>;

/**
 * What the flow hands the `ListPartitions` Lambda: the execution's input as `request` and the
 * execution name as `runId` (`$$.Execution.Name`), which names the run's folder on S3.
 */
export const ListPartitionsStateInputSchema = z.object({
  request: ListPartitionsInputSchema,
  /** A Step Functions execution name: 1-80 letters, digits, `-` or `_`. */
  runId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be a Step Functions execution name ($$.Execution.Name)'),
});
/** Input of the `ListPartitions` state. */
export type ListPartitionsStateInput = z.infer<typeof ListPartitionsStateInputSchema>;

/**
 * One line of the day's object list (`objects.json`, a JSON array): one raw object, the item the
 * Distributed Map's ItemReader reads and its ItemBatcher groups.
 */
export const RunObjectSchema = z.object({
  key: z.string().min(1).max(1024),
  /** Bytes, as listed (informative: the batch's work). */
  size: z.number().int().nonnegative(),
});
/** One raw object of the run. */
export type RunObject = z.infer<typeof RunObjectSchema>;

/**
 * Output of `ListPartitions`: where the day's object list is (`key`, a JSON array of
 * {@link RunObjectSchema} sorted by key), how many objects it holds, and where the Map writes its
 * results (`resultsPrefix`). The same size for 0 or 100,000 objects: the objects themselves never
 * travel in the state payload (256 KiB limit).
 */
export const ListPartitionsOutputSchema = z.object({
  bucket: z.string().min(3).max(63),
  key: z.string().min(1).max(1024),
  count: z.number().int().nonnegative(),
  date: PartitionDateSchema,
  /** The run's "now" (ISO-8601), the same for every Transform and every retry. */
  asOf: z.iso.datetime({ offset: true }),
  runId: z.string().min(1),
  /** ResultWriter `Prefix` of the Transform Map, under the run's folder. */
  resultsPrefix: z.string().min(1).max(512),
});
/** Output of `ListPartitions`. */
export type ListPartitionsOutput = z.infer<typeof ListPartitionsOutputSchema>;
