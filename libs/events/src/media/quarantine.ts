import * as z from 'zod';
import { TransformedObjectRefSchema } from '../s3/object-ref';
import { MediaIdSchema } from './common';
import { MediaRejectedDetailSchema } from './media-rejected';

/** A Step Functions error as a Catch writes it (`ResultPath`). */
const CaughtErrorSchema = z.object({ Error: z.string(), Cause: z.unknown().optional() });

/**
 * Input of the `Quarantine` state: the whole execution state when it was routed there, i.e. the
 * original input, the Validate result when there is one, and the caught error when there is one.
 */
export const QuarantineInputSchema = z.object({
  input: z.looseObject({
    object: TransformedObjectRefSchema,
    validation: z
      .looseObject({ mediaId: MediaIdSchema, status: z.string(), decision: z.looseObject({}) })
      .optional(),
    error: CaughtErrorSchema.optional(),
    /** Results of a Parallel's branches: a failed branch carries its error. */
    outputs: z
      .looseObject({
        branches: z.array(
          z.looseObject({ failed: z.boolean(), error: CaughtErrorSchema.optional() }),
        ),
      })
      .optional(),
  }),
  correlationId: z.string().optional(),
});
/** Input of the `Quarantine` state. */
export type QuarantineInput = z.infer<typeof QuarantineInputSchema>;

/** Output of the `Quarantine` state: the outcome, its reason and the `MediaRejected` detail. */
export const QuarantineOutputSchema = z.object({
  outcome: z.enum(['rejected', 'failed']),
  reason: z.string().min(1),
  event: MediaRejectedDetailSchema,
});
/** Output of the `Quarantine` state. */
export type QuarantineOutput = z.infer<typeof QuarantineOutputSchema>;
