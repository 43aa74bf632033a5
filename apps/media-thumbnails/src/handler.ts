import { createS3Client, positiveIntEnv } from '@slipway/aws';
import { MediaTaskInputSchema, type DerivedOutput } from '@slipway/events';
import { generateThumbnails, putDerived, readOriginal, thumbnailKey } from '@slipway/media';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);
// Sized with the function's memory: the largest image it reads, the most pixels it decodes.
const maxBytes = positiveIntEnv('MAX_IMAGE_BYTES', 50 * 1024 * 1024);
const maxPixels = positiveIntEnv('MAX_INPUT_PIXELS', 100_000_000);

/** `GenerateThumbnails` state: WebP and JPEG thumbnails under `derived/<mediaId>/thumb-<edge>.<ext>`. */
export const handler = instrumentHandler(
  obs,
  { input: MediaTaskInputSchema, source: 'GenerateThumbnails input' },
  async ({ object, mediaId }): Promise<DerivedOutput> => {
    const original = await readOriginal(s3, object, maxBytes);
    const thumbnails = await generateThumbnails(original, { maxPixels });
    const derived = [];
    for (const t of thumbnails) {
      derived.push(
        await putDerived(s3, object.bucket, {
          key: thumbnailKey(mediaId, t),
          role: 'thumbnail',
          body: t.data,
          contentType: t.contentType,
          width: t.width,
          height: t.height,
        }),
      );
    }
    obs.logger.info('Thumbnails written', { count: derived.length });
    return { derived };
  },
);
