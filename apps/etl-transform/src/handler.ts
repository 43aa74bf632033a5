import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createS3Client } from '@slipway/aws';
import { TransformBatchInputSchema, type TransformBatchOutput } from '@slipway/events';
import { runTransformBatch } from '@slipway/etl';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);

/**
 * `Transform` state (one child execution of the Distributed Map): a batch of raw objects, each
 * into staging Parquet and quarantined rows; one output per object. `RowsInput` / `RowsRejected`
 * feed the rejected-row ratio alarm of the etl stack.
 */
export const handler = instrumentHandler(
  obs,
  { input: TransformBatchInputSchema, source: 'Transform input' },
  async (batch): Promise<TransformBatchOutput> => {
    const total = { input: 0, valid: 0, rejected: 0, duplicates: 0, quarantined: 0 };
    const output = await runTransformBatch(s3, batch, ({ key, counts, objectError }) => {
      total.input += counts.input;
      total.valid += counts.valid;
      total.rejected += counts.rejected;
      total.duplicates += counts.duplicates;
      if (objectError) total.quarantined++;
      obs.logger.info('Object transformed', { key, ...counts, objectError: objectError?.code });
    });
    obs.metrics.addMetric('RowsInput', MetricUnit.Count, total.input);
    obs.metrics.addMetric('RowsValid', MetricUnit.Count, total.valid);
    obs.metrics.addMetric('RowsRejected', MetricUnit.Count, total.rejected);
    obs.metrics.addMetric('RowsDuplicate', MetricUnit.Count, total.duplicates);
    obs.metrics.addMetric('ObjectsQuarantined', MetricUnit.Count, total.quarantined);
    obs.metrics.addMetric('ObjectsTransformed', MetricUnit.Count, batch.Items.length);
    return output;
  },
);
