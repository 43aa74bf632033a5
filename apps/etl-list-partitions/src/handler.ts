import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createS3Client, requireEnv } from '@slipway/aws';
import { ListPartitionsInputSchema } from '@slipway/events';
import { listPartitions, removeStaleOutputs } from '@slipway/etl';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);
const bucket = requireEnv('BUCKET_DATA', 'is set by the etl stack from the manifest');

/**
 * `ListPartitions` state: the day's raw objects for the Transform Map, after removing the
 * day's staging and quarantine objects that none of them explains (a rerun over a changed day).
 */
export const handler = instrumentHandler(
  obs,
  { input: ListPartitionsInputSchema, source: 'ListPartitions input' },
  async (input) => {
    const output = await listPartitions(s3, bucket, input);
    const removed = await removeStaleOutputs(s3, bucket, output, input.source);
    obs.metrics.addMetric('ObjectsListed', MetricUnit.Count, output.objects.length);
    obs.metrics.addMetric('StaleOutputsRemoved', MetricUnit.Count, removed.length);
    obs.logger.info('Partitions listed', {
      date: output.date,
      objects: output.objects.length,
      staleOutputsRemoved: removed.length,
      // The first keys only: one log event stays far below CloudWatch's 256 KB.
      staleOutputs: removed.slice(0, 100),
    });
    return output;
  },
);
