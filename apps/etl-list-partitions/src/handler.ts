import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createS3Client, requireEnv } from '@slipway/aws';
import { ListPartitionsStateInputSchema, type ListPartitionsOutput } from '@slipway/events';
import { listPartitions, removeStaleOutputs, writeRunObjects } from '@slipway/etl';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);
const bucket = requireEnv('BUCKET_DATA', 'is set by the etl stack from the manifest');

/**
 * `ListPartitions` state: removes the day's staging and quarantine objects that no listed raw
 * object explains (a rerun over a changed day), writes the day's object list to the run's folder
 * for the Transform Map's ItemReader, and returns only a pointer to it.
 */
export const handler = instrumentHandler(
  obs,
  { input: ListPartitionsStateInputSchema, source: 'ListPartitions input' },
  async ({ request, runId }): Promise<ListPartitionsOutput> => {
    const listing = await listPartitions(s3, bucket, request);
    const removed = await removeStaleOutputs(s3, bucket, listing, request.source);
    const output = await writeRunObjects(s3, bucket, listing, runId);
    obs.metrics.addMetric('ObjectsListed', MetricUnit.Count, output.count);
    obs.metrics.addMetric('StaleOutputsRemoved', MetricUnit.Count, removed.length);
    obs.logger.info('Partitions listed', {
      date: output.date,
      objects: output.count,
      objectList: output.key,
      staleOutputsRemoved: removed.length,
      // The first keys only: one log event stays far below CloudWatch's 256 KB.
      staleOutputs: removed.slice(0, 100),
    });
    return output;
  },
);
