import { TransformInputSchema } from '@slipway/events';

/** Input of one `Transform` Map iteration: one raw object of the day. */
export const EtlTransformInputSchema = TransformInputSchema;
