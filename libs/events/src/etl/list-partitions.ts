import * as z from 'zod';
import { PartitionDateSchema } from './common';
import { TransformInputSchema } from './transform';

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

/** Output of `ListPartitions`: the day's raw objects, sorted by key. */
export const ListPartitionsOutputSchema = z.object({
  date: PartitionDateSchema,
  objects: z.array(TransformInputSchema),
});
/** Output of `ListPartitions`. */
export type ListPartitionsOutput = z.infer<typeof ListPartitionsOutputSchema>;
