import * as z from 'zod';
import { EtlCountsSchema, ObjectErrorCodeSchema, PartitionDateSchema } from './common';
import { EtlCompletedDetailSchema } from './etl-completed';
import { AggregateOutputSchema } from './aggregate';
import { PublishOutputSchema } from './publish';
import { MapResultsSchema } from './map-results';

/**
 * Input of `Reconcile`: everything the run produced, by state. The Transform outputs are read
 * from the Map's results on S3; `objects` is how many objects ListPartitions listed, so an
 * object without an output fails the check.
 */
export const ReconcileInputSchema = z.object({
  date: PartitionDateSchema,
  bucket: z.string().min(3).max(63),
  runId: z.string().min(1).optional(),
  objects: z.number().int().nonnegative(),
  transforms: MapResultsSchema,
  aggregate: AggregateOutputSchema,
  publish: PublishOutputSchema,
});
/** Input of `Reconcile`. */
export type ReconcileInput = z.infer<typeof ReconcileInputSchema>;

/** What `reconcile` returns: only produced when every object balanced (otherwise it throws). */
export const ReconcileOutputSchema = z.object({
  date: PartitionDateSchema.optional(),
  balanced: z.literal(true),
  counts: EtlCountsSchema,
  /** Keys of the objects quarantined whole, sorted. */
  objectErrors: z.array(z.object({ key: z.string(), code: ObjectErrorCodeSchema })),
});
/** What `reconcile` returns. */
export type ReconcileOutput = z.infer<typeof ReconcileOutputSchema>;

/** Output of the `Reconcile` state: the check and the `EtlCompleted` detail the flow announces. */
export const ReconcileStateOutputSchema = z.object({
  reconcile: ReconcileOutputSchema,
  completed: EtlCompletedDetailSchema,
});
/** Output of the `Reconcile` state. */
export type ReconcileStateOutput = z.infer<typeof ReconcileStateOutputSchema>;
