import * as z from 'zod';

/**
 * When a photo was taken. `value` is ISO-8601 exactly as recorded: with its UTC offset when the
 * file has one (`2024-05-01T14:03:22+02:00`), otherwise without offset and `local: true`. It is
 * never converted through the time zone of the machine that reads it. `source` says where it was
 * read: a capture date in EXIF (`exif`) or XMP (`xmp`), or, with neither, the date the file was
 * last changed (`file-modified`, EXIF IFD0 `DateTime`): a guess, not a capture time.
 */
export const CaptureTimeSchema = z.object({
  value: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?$/),
  offset: z
    .string()
    .regex(/^([+-]\d{2}:\d{2}|Z)$/)
    .optional(),
  local: z.boolean(),
  source: z.enum(['exif', 'xmp', 'file-modified']),
});
/** When a photo was taken, as recorded. */
export type CaptureTime = z.infer<typeof CaptureTimeSchema>;

/** The `metadata.json` the ExtractMetadata Task writes for an image. */
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
