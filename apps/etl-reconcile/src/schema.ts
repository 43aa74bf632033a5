import {
  AggregateOutputSchema,
  PartitionDateSchema,
  PublishOutputSchema,
  TransformOutputSchema,
} from '@slipway/events';
import { z } from 'zod';

/** Input of `Reconcile`: everything the run produced, by state. */
export const ReconcileInputSchema = z.object({
  date: PartitionDateSchema,
  bucket: z.string().min(3).max(63),
  runId: z.string().min(1).optional(),
  transforms: z.array(TransformOutputSchema),
  aggregate: AggregateOutputSchema,
  publish: PublishOutputSchema,
});
