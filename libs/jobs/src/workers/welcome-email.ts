import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { SessionConfirmedEvent } from '@slipway/events';
import type { Context } from 'aws-lambda';
import { PermanentEmailError } from '../errors';
import { type WelcomeEmailConfig, welcomeEmailRequest } from '../welcome-email';

/**
 * How long a sent welcome email's event id is remembered: beyond EventBridge's longest retry
 * (24 h) and Lambda's asynchronous retries (up to 6 h), so no redelivery outlives its key.
 */
export const WELCOME_EMAIL_TTL_SECONDS = 2 * 24 * 3600;

/**
 * SES v2 errors no retry can fix: the content or sender was refused, or the account cannot
 * send. https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html#API_SendEmail_Errors
 */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'NotFoundException',
  'BadRequestException',
]);

/** What the worker needs, built once per execution environment. */
export interface WelcomeEmailDependencies {
  readonly ses: SESv2Client;
  readonly config: WelcomeEmailConfig;
  /** Powertools Idempotency's persistence layer ({@link dynamoDbIdempotency}). */
  readonly idempotency: BasePersistenceLayer;
}

/** What one delivery did, for the handler's log line and metric. */
export interface WelcomeEmailOutcome {
  readonly outcome: 'SENT' | 'DUPLICATE';
  readonly eventId: string;
  readonly messageId: string;
}

/** Powertools' DynamoDB persistence layer on the jobs' idempotency table (key `id`, TTL `expiration`). */
export function dynamoDbIdempotency(
  tableName: string,
  client: DynamoDBClient,
): BasePersistenceLayer {
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
}

type Sender = {
  send: (event: SessionConfirmedEvent) => Promise<{ messageId: string; replayed?: boolean }>;
  config: IdempotencyConfig;
};
const senders = new WeakMap<WelcomeEmailDependencies, Sender>();

function senderOf(deps: WelcomeEmailDependencies): Sender {
  let sender = senders.get(deps);
  if (!sender) {
    const config = new IdempotencyConfig({
      // EventBridge's event id: the same on every retry of one event, so a retry sends nothing.
      eventKeyJmesPath: 'id',
      expiresAfterSeconds: WELCOME_EMAIL_TTL_SECONDS,
      throwOnNoIdempotencyKey: true,
      responseHook: (response) => ({ ...(response as object), replayed: true }),
    });
    sender = {
      config,
      send: makeIdempotent(async (event: SessionConfirmedEvent) => send(event, deps), {
        persistenceStore: deps.idempotency,
        config,
      }),
    };
    senders.set(deps, sender);
  }
  return sender;
}

async function send(
  event: SessionConfirmedEvent,
  deps: WelcomeEmailDependencies,
): Promise<{ messageId: string }> {
  try {
    const result = await deps.ses.send(
      new SendEmailCommand(welcomeEmailRequest(event.detail, deps.config)),
    );
    return { messageId: result.MessageId ?? '' };
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (PERMANENT.has(name))
      throw new PermanentEmailError(
        `SES refused the welcome email of booking ${event.detail.bookingId} (${name}: ${(error as Error).message}); retrying cannot help: check the sender identity, the template ${deps.config.templateName} and the account's sending status.`,
        { cause: error },
      );
    throw error;
  }
}

/**
 * The welcome email for a `SessionConfirmed` event, sent once per event id (Powertools
 * Idempotency on the table): a retried or redelivered event answers `DUPLICATE` and sends
 * nothing. A permanent SES refusal throws {@link PermanentEmailError}; a transient one (after the
 * SDK's own retries) throws the SDK's error; either way Powertools releases the key, so the
 * event's next attempt (Lambda's asynchronous retry) can send, and the last one lands in the
 * function's dead-letter queue with the error.
 *
 * @param context the invocation's Lambda context (its remaining time bounds an in-progress key).
 */
export async function sendWelcomeEmail(
  event: SessionConfirmedEvent,
  deps: WelcomeEmailDependencies,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<WelcomeEmailOutcome> {
  const { send: sendOnce, config } = senderOf(deps);
  config.registerLambdaContext(context as Context);
  const result = await sendOnce(event);
  return {
    outcome: result.replayed ? 'DUPLICATE' : 'SENT',
    eventId: event.id,
    messageId: result.messageId,
  };
}
