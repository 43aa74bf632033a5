import { z } from 'zod';

/**
 * Input of `ListPartitions`: `{ "date": "YYYY-MM-DD" }` when started by hand, or the schedule's
 * `{ "scheduledTime": "<aws.scheduler.scheduled-time>" }` (then the day before, in UTC).
 */
export const ListPartitionsRequestSchema = z.object({
  date: z.string().optional(),
  scheduledTime: z.string().optional(),
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
export type ListPartitionsRequestInput = z.infer<typeof ListPartitionsRequestSchema>;
