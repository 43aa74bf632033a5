import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createDynamoDbClient, createSesV2Client } from '@slipway/aws';
import { SessionConfirmedEventSchema } from '@slipway/events';
import {
  dynamoDbIdempotency,
  sendWelcomeEmail,
  type WelcomeEmailDependencies,
  welcomeEmailSettingsFromEnv,
} from '@slipway/jobs';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const ses = createSesV2Client(obs);
const dynamoDb = createDynamoDbClient(obs);

// Read on the first event of each execution environment, not at module load, so the bundle
// loads without the stack's variables (bench, tests).
let deps: WelcomeEmailDependencies | undefined;
const setup = (): WelcomeEmailDependencies => {
  const settings = welcomeEmailSettingsFromEnv(process.env);
  return {
    ses,
    config: settings.email,
    idempotency: dynamoDbIdempotency(settings.idempotencyTable, dynamoDb),
  };
};

/**
 * `SessionConfirmed` on the platform bus → the learner's welcome email, once per event id.
 * Lambda invokes it asynchronously (its rule), so every throw is retried as the manifest's
 * `async` says and then lands in the function's dead-letter queue with the event and the error:
 * a poison event (`EventParseError` naming the field), a permanent SES refusal
 * (`PermanentEmailError`) and a transient one that outlived the SDK's retries alike (why a poison
 * event is not short-cut: README, "Failures").
 */
export const handler = instrumentHandler(
  obs,
  { input: SessionConfirmedEventSchema, source: 'SessionConfirmed event' },
  async (event, { context }) => {
    deps ??= setup();
    const result = await sendWelcomeEmail(event, deps, context);
    obs.metrics.addDimension('outcome', result.outcome);
    obs.metrics.addMetric('WelcomeEmails', MetricUnit.Count, 1);
    // Ids only: the learner's address and name stay out of the logs.
    obs.logger.info('Welcome email', {
      ...result,
      bookingId: event.detail.bookingId,
      sessionId: event.detail.sessionId,
    });
    return result;
  },
);
