import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createDynamoDbClient, createEventBridgeClient } from '@slipway/aws';
import {
  bodyLimitResult,
  dynamoDbIdempotency,
  handleStripeWebhook,
  maxBodyBytesOf,
  type StripeWebhookDependencies,
  stripeSigningSecrets,
  stripeWebhookConfigFromEnv,
} from '@slipway/edge';
import { ApiGatewayProxyEventSchema } from '@slipway/events';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
/** API Gateway REST enforces no per-route body limit: the function refuses a larger body itself. */
const MAX_BODY_BYTES = maxBodyBytesOf(manifest);
const eventBridge = createEventBridgeClient(obs);
const dynamoDb = createDynamoDbClient(obs);

// Read once per execution environment, on the first request (not at module load, so the bundle
// loads without the stack's variables: bench, tests). The secret itself is read by name through
// Powertools Parameters and cached there, so a rotation shows within its max age.
let deps: StripeWebhookDependencies | undefined;
const setup = (): StripeWebhookDependencies => {
  const config = stripeWebhookConfigFromEnv(process.env);
  return {
    eventBridge,
    busName: config.busName,
    signingSecrets: stripeSigningSecrets(config.secretName),
    idempotency: dynamoDbIdempotency(config.idempotencyTable, dynamoDb),
  };
};

/** `POST /webhooks/stripe`: verified `payment_intent.succeeded` → `PaymentSucceeded` on the bus, once. */
export const handler = instrumentHandler(
  obs,
  {
    input: ApiGatewayProxyEventSchema,
    source: 'POST /webhooks/stripe proxy event',
    correlationId: (event) =>
      (event as { requestContext?: { requestId?: string } }).requestContext?.requestId,
  },
  async (event, { context }) => {
    const tooLarge = bodyLimitResult(event, MAX_BODY_BYTES);
    if (tooLarge) {
      obs.logger.warn('Body over the route limit', { maxBodyBytes: MAX_BODY_BYTES });
      return tooLarge;
    }
    deps ??= setup();
    const { response, outcome, detail } = await handleStripeWebhook(event, deps, context);
    obs.metrics.addDimension('outcome', outcome);
    obs.metrics.addMetric('StripeWebhooks', MetricUnit.Count, 1);
    obs.logger.info('POST /webhooks/stripe', { outcome, ...detail });
    return response;
  },
);
