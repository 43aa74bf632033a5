import { PartitionDateSchema, TransformOutputSchema } from '@slipway/events';
import { z } from 'zod';

/** Input of `Aggregate`: the day and every Transform output of the Map. */
export const AggregateInputSchema = z.object({
  date: PartitionDateSchema,
  transforms: z.array(TransformOutputSchema),
});
