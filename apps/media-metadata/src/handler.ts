import { createS3Client, positiveIntEnv } from '@slipway/aws';
import { MediaTaskInputSchema, type DerivedOutput } from '@slipway/events';
import {
  derivedJson,
  extractImageMetadata,
  metadataKey,
  putDerived,
  readOriginal,
} from '@slipway/media';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);
const maxBytes = positiveIntEnv('MAX_IMAGE_BYTES', 50 * 1024 * 1024);
// Same limit as the thumbnails branch, so both branches of the Parallel refuse the same files.
const maxPixels = positiveIntEnv('MAX_INPUT_PIXELS', 100_000_000);

/** `ExtractMetadata` state: `derived/<mediaId>/metadata.json`. */
export const handler = instrumentHandler(
  obs,
  { input: MediaTaskInputSchema, source: 'ExtractMetadata input' },
  async ({ object, mediaId }): Promise<DerivedOutput> => {
    const metadata = await extractImageMetadata(await readOriginal(s3, object, maxBytes), {
      maxPixels,
      onIgnored: (reason) => obs.logger.warn('Metadata value ignored', { reason }),
    });
    const written = await putDerived(s3, object.bucket, {
      key: metadataKey(mediaId),
      role: 'metadata',
      body: derivedJson(metadata),
      contentType: 'application/json',
    });
    obs.logger.info('Metadata written', { format: metadata.format, hasGps: !!metadata.gps });
    return { derived: [written] };
  },
);
