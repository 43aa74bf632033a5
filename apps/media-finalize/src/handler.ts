import { createS3Client } from '@slipway/aws';
import { FinalizeInputSchema } from '@slipway/events';
import { finalizeMedia } from '@slipway/media';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);

/** `Finalize` state: writes `derived/<mediaId>/manifest.json` and returns the MediaProcessed detail. */
export const handler = instrumentHandler(
  obs,
  { input: FinalizeInputSchema, source: 'Finalize input' },
  async (input) => {
    const result = await finalizeMedia(s3, input);
    obs.logger.info('Media finalized', {
      mediaId: input.mediaId,
      manifest: result.manifest.key,
      derivedCount: result.event.derivedCount,
    });
    return result;
  },
);
