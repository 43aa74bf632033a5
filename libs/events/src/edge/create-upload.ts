import * as z from 'zod';

// `POST /uploads`: a signed-in user asks for a presigned S3 POST to upload one media file.
// Which types and sizes are accepted is the media upload policy's decision (libs/media), made
// in libs/edge/src/uploads.ts: this contract only checks the shape.

/** Request body of `POST /uploads`. */
export const CreateUploadRequestSchema = z
  .object({
    filename: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^/\\]+$/, 'must be a file name without path separators')
      // A control character would reach logs and the S3 form unescaped: refuse it here.
      .refine((name) => !/\p{Cc}/u.test(name), 'must not contain control characters')
      .describe(
        "Name of the file on the uploader's device; only its extension is kept in the key.",
      ),
    contentType: z
      .string()
      .min(3)
      .max(255)
      .describe(
        'MIME type of the file, for example image/jpeg; the upload must send exactly this Content-Type.',
      ),
    size: z
      .number()
      .int()
      .positive()
      .describe('Size of the file in bytes; the presigned policy admits this size and no more.'),
  })
  .describe('Asks for a presigned S3 POST for one media file.');
/** Request body of `POST /uploads`. */
export type CreateUploadRequest = z.infer<typeof CreateUploadRequestSchema>;

/** Response body of `POST /uploads`: a browser posts `fields` plus the file to `url`. */
export const CreateUploadResponseSchema = z
  .object({
    url: z.url().describe('Where to send the multipart/form-data POST.'),
    fields: z
      .record(z.string(), z.string())
      .describe('Form fields to send before the file field, unchanged.'),
    key: z
      .string()
      .min(1)
      .describe('The S3 key the upload will have (uploads/<userId>/<uuid><ext>).'),
    expiresAt: z.iso.datetime().describe('When the presigned policy stops being accepted (UTC).'),
  })
  .describe('A presigned S3 POST for one upload.');
/** Response body of `POST /uploads`. */
export type CreateUploadResponse = z.infer<typeof CreateUploadResponseSchema>;
