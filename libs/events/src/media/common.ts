import * as z from 'zod';

// Building blocks that several media contracts share; each state's own schema has its own file.

/**
 * Identifies one upload (bucket, key and version) in derived keys. 16 lowercase hex digits of
 * the SHA-256 of `bucket/key/versionId-or-etag`: the same upload always maps to the same
 * `derived/<mediaId>/` prefix, which makes re-runs idempotent.
 */
export const MediaIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits');
/** Identifies one upload. */
export type MediaId = z.infer<typeof MediaIdSchema>;

/** `derived/<mediaId>/`: every derived object of one upload lives under it. */
export const DerivedPrefixSchema = z
  .string()
  .regex(/^derived\/[0-9a-f]{16}\/$/, 'must be derived/<mediaId>/');
/** `derived/<mediaId>/`. */
export type DerivedPrefix = z.infer<typeof DerivedPrefixSchema>;

/** Media families the platform processes. */
export const MediaKindSchema = z.enum(['image', 'video']);
/** `image` or `video`. */
export type MediaKind = z.infer<typeof MediaKindSchema>;
