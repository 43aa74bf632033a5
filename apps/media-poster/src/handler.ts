import { createS3Client, positiveIntEnv, presignedGetUrl } from '@slipway/aws';
import { MediaTaskInputSchema, type DerivedOutput } from '@slipway/events';
import {
  createPoster,
  generateThumbnails,
  posterKey,
  posterThumbnailKey,
  putDerived,
} from '@slipway/media';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);
const maxPixels = positiveIntEnv('MAX_INPUT_PIXELS', 100_000_000);

/** `ExtractPoster` state: `poster.jpg` and its thumbnails `poster-thumb-<edge>.<ext>`. */
export const handler = instrumentHandler(
  obs,
  { input: MediaTaskInputSchema, source: 'ExtractPoster input' },
  async ({ object, mediaId }): Promise<DerivedOutput> => {
    // Duration and frame with ffmpeg alone: Probe runs in parallel, and shipping ffprobe here too
    // would push this zip over Lambda's 50 MB direct-upload limit.
    const {
      jpeg: poster,
      atSeconds: at,
      durationSeconds,
      missedSeconds,
    } = await createPoster(await presignedGetUrl(s3, object));
    if (missedSeconds.length > 0) {
      // The container's header overstates the duration: worth knowing, not a failure.
      obs.logger.warn('Poster taken earlier than planned: no frame at the planned time', {
        durationSeconds,
        missedSeconds,
        atSeconds: at,
      });
    }
    const thumbnails = await generateThumbnails(poster, { maxPixels });
    const derived = [
      await putDerived(s3, object.bucket, {
        key: posterKey(mediaId),
        role: 'poster',
        body: poster,
        contentType: 'image/jpeg',
      }),
    ];
    for (const t of thumbnails) {
      derived.push(
        await putDerived(s3, object.bucket, {
          key: posterThumbnailKey(mediaId, t),
          role: 'poster',
          body: t.data,
          contentType: t.contentType,
          width: t.width,
          height: t.height,
        }),
      );
    }
    obs.logger.info('Poster written', { atSeconds: at, thumbnails: thumbnails.length });
    return { derived };
  },
);
