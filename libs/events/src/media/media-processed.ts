import * as z from 'zod';
import { ObjectRefSchema } from '../s3/object-ref';
import { MediaIdSchema, MediaKindSchema } from './common';

/**
 * `detail` of the `MediaProcessed` event. `eventId` is derived from the manifest, so a re-run
 * announces the same id.
 */
export const MediaProcessedDetailSchema = z.object({
  eventId: z.string().regex(/^[0-9a-f]{32}$/),
  mediaId: MediaIdSchema,
  source: ObjectRefSchema,
  kind: MediaKindSchema,
  manifest: z.object({ bucket: z.string(), key: z.string(), sha256: z.string() }),
  derivedCount: z.number().int().nonnegative(),
});
/** `detail` of `MediaProcessed`. */
export type MediaProcessedDetail = z.infer<typeof MediaProcessedDetailSchema>;
