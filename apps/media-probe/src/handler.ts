import { createS3Client, presignedGetUrl } from '@slipway/aws';
import { MediaTaskInputSchema, type DerivedOutput } from '@slipway/events';
import { derivedJson, probeKey, probeVideo, putDerived } from '@slipway/media';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);

/** `ProbeVideo` state: ffprobe over a presigned URL (only the bytes it needs) into `probe.json`. */
export const handler = instrumentHandler(
  obs,
  { input: MediaTaskInputSchema, source: 'ProbeVideo input' },
  async ({ object, mediaId }): Promise<DerivedOutput> => {
    const probe = await probeVideo(await presignedGetUrl(s3, object));
    const written = await putDerived(s3, object.bucket, {
      key: probeKey(mediaId),
      role: 'probe',
      body: derivedJson(probe),
      contentType: 'application/json',
    });
    obs.logger.info('Video probed', {
      container: probe.container,
      durationSeconds: probe.durationSeconds,
    });
    return { derived: [written] };
  },
);
