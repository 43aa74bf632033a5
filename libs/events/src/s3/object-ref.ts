import * as z from 'zod';

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

/**
 * EventBridge's input transformer writes `null` for a path the event lacks (no version id on an
 * unversioned bucket): such fields are dropped before {@link ObjectRefSchema} sees them.
 */
export const TransformedObjectRefSchema = z.preprocess(
  (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null))
      : value,
  ObjectRefSchema,
);
