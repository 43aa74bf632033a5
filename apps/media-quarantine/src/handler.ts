import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createS3Client } from '@slipway/aws';
import { QuarantineInputSchema } from '@slipway/events';
import { quarantineUpload } from '@slipway/media';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);

/** `Quarantine` state: copies the original aside with its reason and returns the MediaRejected detail. */
export const handler = instrumentHandler(
  obs,
  { input: QuarantineInputSchema, source: 'Quarantine input' },
  async (input) => {
    const result = await quarantineUpload(s3, input);
    obs.metrics.addDimension('outcome', result.outcome);
    obs.metrics.addMetric('MediaQuarantined', MetricUnit.Count, 1);
    obs.logger.warn('Upload quarantined', {
      mediaId: result.event.mediaId,
      outcome: result.outcome,
      code: result.event.code,
      reason: result.reason,
    });
    return result;
  },
);
