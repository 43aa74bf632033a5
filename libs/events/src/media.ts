import { z } from 'zod';

/**
 * A pointer to one S3 object: what flows between Step Functions states instead of bytes.
 * `size`, `etag` and `versionId` are carried when known so that later states can check they
 * are still looking at the same object.
 */
export const ObjectRefSchema = z.object({
  bucket: z.string().min(3).max(63),
  key: z.string().min(1).max(1024),
  versionId: z.string().min(1).optional(),
  etag: z.string().min(1).optional(),
  size: z.number().int().nonnegative().optional(),
});

/** A pointer to one S3 object. */
export type ObjectRef = z.infer<typeof ObjectRefSchema>;

/** Media families the platform processes. */
export const MediaKindSchema = z.enum(['image', 'video']);
/** `image` or `video`. */
export type MediaKind = z.infer<typeof MediaKindSchema>;

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

/** EventBridge's input transformer writes `null` for a path the event lacks (no version id on an unversioned bucket). */
const dropNulls = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null))
    : value;

/** Input of the `Validate` state: the uploaded object, as the trigger's input transformer writes it. */
export const ValidateInputSchema = z.object({
  object: z.preprocess(dropNulls, ObjectRefSchema),
  correlationId: z.string().min(1).optional(),
});
/** Input of the `Validate` state. */
export type ValidateInput = z.infer<typeof ValidateInputSchema>;

/** Fields the Validate state adds to its decision for the states after it. */
const PlacementSchema = {
  /** Identifies the upload in derived keys (see `MediaIdSchema`). */
  mediaId: z.string().regex(/^[0-9a-f]{16}$/),
  /** `derived/<mediaId>/`. */
  derivedPrefix: z.string().regex(/^derived\/[0-9a-f]{16}\/$/),
};

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
  z.object(PlacementSchema),
);
/** Output of the `Validate` state. */
export type ValidateOutput = z.infer<typeof ValidateOutputSchema>;
