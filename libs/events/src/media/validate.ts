import * as z from 'zod';
import { ObjectRefSchema, TransformedObjectRefSchema } from '../s3/object-ref';
import { DerivedPrefixSchema, MediaIdSchema, MediaKindSchema } from './common';

/** Machine-readable reasons for refusing an upload; `reason` carries the human text. */
export const RejectionCodeSchema = z.enum([
  'OUTSIDE_UPLOADS',
  'EMPTY',
  'TOO_LARGE',
  'UNKNOWN_TYPE',
  'TYPE_NOT_ALLOWED',
  'NOT_FOUND',
]);
/** Why an upload was refused. */
export type RejectionCode = z.infer<typeof RejectionCodeSchema>;

/**
 * Input of the `Validate` state: the uploaded object, as the trigger's input transformer
 * (`libs/flows/media.trigger.json`) writes it from S3's `Object Created` event.
 */
export const ValidateInputSchema = z.object({
  object: TransformedObjectRefSchema,
  correlationId: z.string().min(1).optional(),
});
/** Input of the `Validate` state. */
export type ValidateInput = z.infer<typeof ValidateInputSchema>;

const AcceptedSchema = z.object({
  status: z.literal('accepted'),
  object: ObjectRefSchema,
  kind: MediaKindSchema,
  mime: z.string().min(3),
  size: z.number().int().positive(),
});

const RejectedSchema = z.object({
  status: z.literal('rejected'),
  object: ObjectRefSchema,
  kind: MediaKindSchema.optional(),
  mime: z.string().min(3).optional(),
  size: z.number().int().nonnegative(),
  code: RejectionCodeSchema,
  reason: z.string().min(1),
});

/**
 * The typed decision of the `Validate` state. The type is identified from the file's
 * magic bytes, never from its extension or Content-Type.
 */
export const ValidationDecisionSchema = z.discriminatedUnion('status', [
  AcceptedSchema,
  RejectedSchema,
]);
/** `accepted` (with kind and mime) or `rejected` (with code and reason). */
export type ValidationDecision = z.infer<typeof ValidationDecisionSchema>;

/** Output of the `Validate` state: the decision and where derived objects of this upload go. */
export const ValidateOutputSchema = z.intersection(
  ValidationDecisionSchema,
  z.object({ mediaId: MediaIdSchema, derivedPrefix: DerivedPrefixSchema }),
);
/** Output of the `Validate` state. */
export type ValidateOutput = z.infer<typeof ValidateOutputSchema>;
