import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createS3Client, requireEnv } from '@slipway/aws';
import { AggregateInputSchema, type AggregateOutput } from '@slipway/events';
import { readMapResults, runAggregate } from '@slipway/etl';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);
const bucket = requireEnv('BUCKET_DATA', 'is set by the etl stack from the manifest');

/**
 * `Aggregate` state: the staging files the run's Transforms reported (read from the Transform
 * Map's results on S3) into the curated tables (work area).
 */
export const handler = instrumentHandler(
  obs,
  { input: AggregateInputSchema, source: 'Aggregate input' },
  async ({ date, transforms }): Promise<AggregateOutput> => {
    const output = await runAggregate(s3, bucket, date, await readMapResults(s3, transforms));
    obs.metrics.addMetric('EventsAggregated', MetricUnit.Count, output.counts.events);
    obs.logger.info('Day aggregated', { date, ...output.counts });
    return output;
  },
);
