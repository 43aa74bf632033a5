import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createS3Client } from '@slipway/aws';
import {
  bodyLimitResult,
  type CreateUploadDependencies,
  createUpload,
  maxBodyBytesOf,
  uploadConfigFromEnv,
} from '@slipway/edge';
import { ApiGatewayProxyEventSchema } from '@slipway/events';
import { parseUploadPolicy } from '@slipway/media';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
/** API Gateway REST enforces no per-route body limit: the function refuses a larger body itself. */
const MAX_BODY_BYTES = maxBodyBytesOf(manifest);
const s3 = createS3Client(obs);

// Read once per execution environment, on the first request (not at module load, so the bundle
// loads without the stack's variables: bench, tests).
let deps: CreateUploadDependencies | undefined;
const setup = (): CreateUploadDependencies => ({
  s3,
  policy: parseUploadPolicy(process.env),
  ...uploadConfigFromEnv(process.env),
});

/** `POST /uploads`: a presigned S3 POST for `uploads/<userId>/<uuid><ext>`, or 400 with the allowed list. */
export const handler = instrumentHandler(
  obs,
  {
    input: ApiGatewayProxyEventSchema,
    source: 'POST /uploads proxy event',
    correlationId: (event) =>
      (event as { requestContext?: { requestId?: string } }).requestContext?.requestId,
  },
  async (event) => {
    const tooLarge = bodyLimitResult(event, MAX_BODY_BYTES);
    if (tooLarge) {
      obs.logger.warn('Body over the route limit', { maxBodyBytes: MAX_BODY_BYTES });
      return tooLarge;
    }
    deps ??= setup();
    const { response, outcome } = await createUpload(event, deps);
    obs.metrics.addDimension('outcome', outcome);
    obs.metrics.addMetric('UploadRequests', MetricUnit.Count, 1);
    obs.logger.info('POST /uploads', { outcome, statusCode: response.statusCode });
    return response;
  },
);
