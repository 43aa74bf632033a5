import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createS3Client } from '@slipway/aws';
import {
  ReconcileInputSchema,
  type EtlCompletedDetail,
  type ReconcileOutput,
  type ReconcileStateOutput,
} from '@slipway/events';
import { readMapResults, reconcile } from '@slipway/etl';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);

/**
 * `Reconcile` state: every listed object has one Transform output in the Map's results on S3,
 * every object balances (`input = valid + rejected + duplicates`) and Aggregate read every valid
 * row, or a `ReconciliationError` (or `EtlMapResultsError`) with the numbers fails the run.
 * Returns the `EtlCompleted` detail the flow announces.
 */
export const handler = instrumentHandler(
  obs,
  { input: ReconcileInputSchema, source: 'Reconcile input' },
  async ({
    date,
    bucket,
    runId,
    objects,
    transforms,
    aggregate,
    publish,
  }): Promise<ReconcileStateOutput> => {
    const result: ReconcileOutput = reconcile(await readMapResults(s3, transforms), {
      date,
      objects,
      aggregate: aggregate.counts,
    });
    const completed: EtlCompletedDetail = {
      date,
      ...(runId ? { runId } : {}),
      counts: result.counts,
      manifest: { bucket, ...publish.manifest },
    };
    obs.metrics.addMetric('RowsRejectedDay', MetricUnit.Count, result.counts.rejected);
    obs.logger.info('Day reconciled', { date, ...result.counts });
    return { reconcile: result, completed };
  },
);
