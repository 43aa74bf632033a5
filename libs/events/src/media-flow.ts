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

/** Input of the `Finalize` state. */
export const FinalizeInputSchema = MediaTaskInputSchema.extend({
  kind: z.enum(['image', 'video']),
  mime: z.string().min(3),
});
/** Input of the `Finalize` state. */
export type FinalizeInput = z.infer<typeof FinalizeInputSchema>;

/** `derived/<mediaId>/manifest.json`: every derived object of one upload. No timestamps: a re-run writes the same bytes. */
export const MediaManifestSchema = z.object({
  mediaId: MediaIdSchema,
  source: ObjectRefSchema,
  kind: z.enum(['image', 'video']),
  mime: z.string(),
  derived: z.array(DerivedObjectSchema),
});
/** The media manifest. */
export type MediaManifest = z.infer<typeof MediaManifestSchema>;

/** `detail` of the `MediaProcessed` event. `eventId` is derived from the manifest, so a re-run announces the same id. */
export const MediaProcessedDetailSchema = z.object({
  eventId: z.string().regex(/^[0-9a-f]{32}$/),
  mediaId: MediaIdSchema,
  source: ObjectRefSchema,
  kind: z.enum(['image', 'video']),
  manifest: z.object({ bucket: z.string(), key: z.string(), sha256: z.string() }),
  derivedCount: z.number().int().nonnegative(),
});
/** `detail` of `MediaProcessed`. */
export type MediaProcessedDetail = z.infer<typeof MediaProcessedDetailSchema>;

/** Output of the `Finalize` state. */
export type FinalizeOutput = {
  manifest: { bucket: string; key: string };
  event: MediaProcessedDetail;
};

/**
 * Input of the `Quarantine` state: the whole execution state when it was routed there, i.e. the
 * original input, the Validate result when there is one, and the caught error when there is one.
 */
export const QuarantineInputSchema = z.object({
  input: z.looseObject({
    object: z.preprocess(
      (v) =>
        v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null))
          : v,
      ObjectRefSchema,
    ),
    validation: z
      .looseObject({ mediaId: MediaIdSchema, status: z.string(), decision: z.looseObject({}) })
      .optional(),
    error: z.object({ Error: z.string(), Cause: z.unknown().optional() }).optional(),
    /** Results of a Parallel's branches: a failed branch carries its error. */
    outputs: z
      .looseObject({
        branches: z.array(
          z.looseObject({
            failed: z.boolean(),
            error: z.object({ Error: z.string(), Cause: z.unknown().optional() }).optional(),
          }),
        ),
      })
      .optional(),
  }),
  correlationId: z.string().optional(),
});
/** Input of the `Quarantine` state. */
export type QuarantineInput = z.infer<typeof QuarantineInputSchema>;

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

/** Output of the `Quarantine` state. */
export type QuarantineOutput = {
  outcome: 'rejected' | 'failed';
  reason: string;
  event: MediaRejectedDetail;
};
