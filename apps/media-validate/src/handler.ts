import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createS3Client } from '@slipway/aws';
import { ValidateInputSchema, type ValidateOutput } from '@slipway/events';
import { parseUploadPolicy, validateUpload } from '@slipway/media';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);
// Read once at cold start: a bad limit fails the first invocation with the variable's name.
const policy = parseUploadPolicy(process.env);

/**
 * `Validate` state of the media flow: `validateUpload` reads only the first bytes of the upload,
 * identifies its real type from magic bytes, and returns a typed accept/reject decision with the
 * upload's `mediaId` and derived prefix. Keys outside `uploads/` are refused without being read.
 */
export const handler = instrumentHandler(
  obs,
  { input: ValidateInputSchema, source: 'Validate input' },
  async ({ object }): Promise<ValidateOutput> => {
    const output = await validateUpload(s3, object, policy);
    obs.metrics.addMetric(
      output.status === 'accepted' ? 'UploadAccepted' : 'UploadRejected',
      MetricUnit.Count,
      1,
    );
    obs.logger.info('Upload validated', {
      mediaId: output.mediaId,
      status: output.status,
      mime: output.mime,
      size: output.size,
      ...(output.status === 'rejected' ? { code: output.code } : {}),
    });
    return output;
  },
);
