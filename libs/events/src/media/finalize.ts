import * as z from 'zod';
import { ObjectRefSchema } from '../s3/object-ref';
import { MediaIdSchema, MediaKindSchema } from './common';
import { MediaProcessedDetailSchema } from './media-processed';
import { DerivedObjectSchema, MediaTaskInputSchema } from './task';

/** Input of the `Finalize` state. */
export const FinalizeInputSchema = MediaTaskInputSchema.extend({
  kind: MediaKindSchema,
  mime: z.string().min(3),
});
/** Input of the `Finalize` state. */
export type FinalizeInput = z.infer<typeof FinalizeInputSchema>;

/**
 * `derived/<mediaId>/manifest.json`: every derived object of one upload. No timestamps: a
 * re-run writes the same bytes.
 */
export const MediaManifestSchema = z.object({
  mediaId: MediaIdSchema,
  source: ObjectRefSchema,
  kind: MediaKindSchema,
  mime: z.string(),
  derived: z.array(DerivedObjectSchema),
});
/** The media manifest. */
export type MediaManifest = z.infer<typeof MediaManifestSchema>;

/** Output of the `Finalize` state: where the manifest is and the `MediaProcessed` detail. */
export const FinalizeOutputSchema = z.object({
  manifest: z.object({ bucket: z.string().min(3).max(63), key: z.string().min(1) }),
  event: MediaProcessedDetailSchema,
});
/** Output of the `Finalize` state. */
export type FinalizeOutput = z.infer<typeof FinalizeOutputSchema>;
