import * as z from 'zod';
import { ObjectRefSchema } from '../s3/object-ref';
import { DerivedPrefixSchema, MediaIdSchema } from './common';

// Input and output of every Task that writes derived objects: GenerateThumbnails,
// ExtractMetadata, ProbeVideo and ExtractPoster. Their keys are built by `@slipway/media`'s
// `keys.ts`, never here.

/** Input of every media Task after Validate: the original and where its derived objects go. */
export const MediaTaskInputSchema = z.object({
  mediaId: MediaIdSchema,
  object: ObjectRefSchema,
  derivedPrefix: DerivedPrefixSchema,
  correlationId: z.string().min(1).optional(),
});
/** Input of every media Task after Validate. */
export type MediaTaskInput = z.infer<typeof MediaTaskInputSchema>;

/** What a derived object is for. */
export const DerivedRoleSchema = z.enum([
  'thumbnail',
  'metadata',
  'probe',
  'poster',
  'rendition',
  'manifest',
]);
/** What a derived object is for. */
export type DerivedRole = z.infer<typeof DerivedRoleSchema>;

/** One object a Task wrote under the derived prefix. */
export const DerivedObjectSchema = z.object({
  key: z.string().min(1),
  role: DerivedRoleSchema,
  contentType: z.string().min(3),
  bytes: z.number().int().nonnegative(),
  /** Base64 SHA-256 of the object's bytes. */
  sha256: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});
/** One object a Task wrote under the derived prefix. */
export type DerivedObject = z.infer<typeof DerivedObjectSchema>;

/** Output of a Task that writes derived objects (Thumbnails, Metadata, Probe, Poster). */
export const DerivedOutputSchema = z.object({ derived: z.array(DerivedObjectSchema) });
/** Output of a Task that writes derived objects. */
export type DerivedOutput = z.infer<typeof DerivedOutputSchema>;
