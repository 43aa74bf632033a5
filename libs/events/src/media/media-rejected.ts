import * as z from 'zod';
import { ObjectRefSchema } from '../s3/object-ref';
import { MediaIdSchema } from './common';

/** `detail` of the `MediaRejected` event. */
export const MediaRejectedDetailSchema = z.object({
  eventId: z.string().regex(/^[0-9a-f]{32}$/),
  mediaId: MediaIdSchema,
  source: ObjectRefSchema,
  /** `rejected`: the file was the problem (handled). `failed`: a fault stopped processing. */
  outcome: z.enum(['rejected', 'failed']),
  code: z.string().min(1),
  reason: z.string().min(1),
  /** Where the copy and the sidecar are; absent when nothing could be copied (missing or outside uploads/). */
  quarantine: z.object({ key: z.string().optional(), sidecar: z.string() }),
});
/** `detail` of `MediaRejected`. */
export type MediaRejectedDetail = z.infer<typeof MediaRejectedDetailSchema>;
