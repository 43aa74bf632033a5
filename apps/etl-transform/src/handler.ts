import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createS3Client } from '@slipway/aws';
import { TransformInputSchema, type TransformOutput } from '@slipway/events';
import { runTransform } from '@slipway/etl';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);

/**
 * `Transform` state (one Map iteration): one raw object into staging Parquet and quarantined
 * rows. `RowsInput` / `RowsRejected` feed the rejected-row ratio alarm of the etl stack.
 */
export const handler = instrumentHandler(
  obs,
  { input: TransformInputSchema, source: 'Transform input' },
  async (input): Promise<TransformOutput> => {
    const { result: _detail, ...output } = await runTransform(s3, input);
    const { counts } = output;
    obs.metrics.addMetric('RowsInput', MetricUnit.Count, counts.input);
    obs.metrics.addMetric('RowsValid', MetricUnit.Count, counts.valid);
    obs.metrics.addMetric('RowsRejected', MetricUnit.Count, counts.rejected);
    obs.metrics.addMetric('RowsDuplicate', MetricUnit.Count, counts.duplicates);
    obs.metrics.addMetric('ObjectsQuarantined', MetricUnit.Count, output.objectError ? 1 : 0);
    obs.logger.info('Object transformed', {
      key: input.key,
      ...counts,
      objectError: output.objectError?.code,
    });
    return output;
  },
);
