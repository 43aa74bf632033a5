import { AggregateOutputSchema } from '@slipway/events';
import { z } from 'zod';

/** Input of `Publish`: Aggregate's output. */
export const PublishInputSchema = z.object({ aggregate: AggregateOutputSchema });
