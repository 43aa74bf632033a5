import { z } from 'zod';
import { ObjectRefSchema } from './media';

/**
 * Identifies one upload (bucket, key and version) in derived keys. 16 lowercase hex digits of
 * the SHA-256 of `bucket/key/versionId-or-etag`: the same upload always maps to the same
 * `derived/<mediaId>/` prefix, which makes re-runs idempotent.
 */
export const MediaIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits');

/** Input of every media Task after Validate: the original and where its derived objects go. */
export const MediaTaskInputSchema = z.object({
  mediaId: MediaIdSchema,
  object: ObjectRefSchema,
  /** `derived/<mediaId>/`: every derived object of this upload lives under it. */
  derivedPrefix: z.string().regex(/^derived\/[0-9a-f]{16}\/$/, 'must be derived/<mediaId>/'),
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

/**
 * When a photo was taken. `value` is ISO-8601 exactly as recorded: with its UTC offset when the
 * file has one (`2024-05-01T14:03:22+02:00`), otherwise without offset and `local: true`. It is
 * never converted through the time zone of the machine that reads it.
 */
export const CaptureTimeSchema = z.object({
  value: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?$/),
  offset: z
    .string()
    .regex(/^([+-]\d{2}:\d{2}|Z)$/)
    .optional(),
  local: z.boolean(),
});

/** The `metadata.json` the Metadata Task writes for an image. */
export const ImageMetadataSchema = z.object({
  format: z.string().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** EXIF orientation 1-8 when present. */
  orientation: z.number().int().min(1).max(8).optional(),
  captureTime: CaptureTimeSchema.optional(),
  gps: z
    .object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      altitude: z.number().optional(),
    })
    .optional(),
  make: z.string().optional(),
  model: z.string().optional(),
  lens: z.string().optional(),
});
/** Metadata of an image. */
export type ImageMetadata = z.infer<typeof ImageMetadataSchema>;

/** The `probe.json` the Probe Task writes for a video (from ffprobe). */
export const VideoProbeSchema = z.object({
  container: z.string().min(1),
  durationSeconds: z.number().nonnegative(),
  bitrate: z.number().int().nonnegative().optional(),
  video: z
    .object({
      codec: z.string(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      frameRate: z.number().positive().optional(),
      bitrate: z.number().int().nonnegative().optional(),
      /** Clockwise rotation in degrees (0, 90, 180, 270) from the display matrix or rotate tag. */
      rotation: z.number().int(),
    })
    .optional(),
  audio: z
    .object({
      codec: z.string(),
      channels: z.number().int().positive().optional(),
      sampleRate: z.number().int().positive().optional(),
      bitrate: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
/** Probe result of a video. */
export type VideoProbe = z.infer<typeof VideoProbeSchema>;
