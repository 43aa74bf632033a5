import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient, createEventBridgeClient } from '@slipway/aws';
import { SessionReminderScheduleInputSchema } from '@slipway/events';
import {
  sendSessionReminders,
  type SessionRemindersDependencies,
  sessionRemindersConfigFromEnv,
} from '@slipway/jobs';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const eventBridge = createEventBridgeClient(obs);
const dynamoDb = DynamoDBDocumentClient.from(createDynamoDbClient(obs));

// Read on the first run of each execution environment, not at module load, so the bundle loads
// without the stack's variables (bench, tests).
let deps: SessionRemindersDependencies | undefined;
const setup = (): SessionRemindersDependencies => ({
  dynamoDb,
  eventBridge,
  config: sessionRemindersConfigFromEnv(process.env),
  metrics: obs.metrics,
  logger: obs.logger,
});

/**
 * The hourly schedule's run (`{"scheduledTime": "<aws.scheduler.scheduled-time>"}`): one
 * `SendSessionReminder` per session starting in the next hour, once per session and start.
 * Scheduler invokes it asynchronously, so a throw (`ReminderPublishError` listing what is still
 * unsent) is retried by Lambda as the manifest's `async` says, and each retry sends only the
 * reminders not yet marked; then the run lands in the function's dead-letter queue.
 */
export const handler = instrumentHandler(
  obs,
  {
    input: SessionReminderScheduleInputSchema,
    source: 'hourly schedule input',
    correlationId: (event) => (event as { scheduledTime?: string }).scheduledTime,
  },
  async (input) => {
    deps ??= setup();
    const outcome = await sendSessionReminders(input, deps);
    obs.logger.info('Session reminders', {
      window: outcome.window,
      found: outcome.found,
      published: outcome.published.length,
      skipped: outcome.skipped.length,
      invalid: outcome.invalid,
      retriedEntries: outcome.retriedEntries,
    });
    return outcome;
  },
);
