import { createS3Client, requireEnv } from '@slipway/aws';
import { PublishInputSchema, type PublishStateOutput } from '@slipway/events';
import { runPublish } from '@slipway/etl';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);
const bucket = requireEnv('BUCKET_DATA', 'is set by the etl stack from the manifest');

/** `Publish` state: curated files first, the day's `_manifest.json` last. */
export const handler = instrumentHandler(
  obs,
  { input: PublishInputSchema, source: 'Publish input' },
  async ({ aggregate }): Promise<PublishStateOutput> => {
    const output = await runPublish(s3, bucket, aggregate);
    obs.logger.info('Day published', { date: output.date, manifest: output.manifest.key });
    // The bucket goes on to Reconcile, which names the manifest in the EtlCompleted event.
    return { ...output, bucket };
  },
);
