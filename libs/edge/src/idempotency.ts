import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';

// Redelivery protection for the webhook (issue 13: "a redelivery publishes once"). Stripe
// delivers an event until it gets a 2xx and may deliver one event more than once
// (https://docs.stripe.com/webhooks#handle-duplicate-events): the Stripe event id is the
// idempotency key, kept by Powertools Idempotency in the edge's DynamoDB table so that a
// redelivery reaching another execution environment (or arriving after a cold start) still
// publishes nothing. Why Powertools rather than our own conditional write: it already handles
// the in-progress state (a concurrent delivery waits for the first to finish or expire with
// its invocation), the stored response and the TTL, and it is the house's preferred utility.

/** A Powertools persistence layer: DynamoDB in AWS and in the sandbox. */
export type IdempotencyPersistence = BasePersistenceLayer;

/**
 * How long a handled Stripe event id is remembered: Stripe retries a failed delivery with
 * backoff for up to three days (https://docs.stripe.com/webhooks#automatic-retries); a week
 * also covers a manual resend from the dashboard in the days after. Older repeats still carry
 * `detail.stripeEventId`, so a consumer can drop them.
 */
export const STRIPE_EVENT_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The Powertools Idempotency configuration of the webhook: the key is the Stripe event's `id`
 * (not the whole body, whose signature-free fields Stripe may change between deliveries), kept
 * {@link STRIPE_EVENT_TTL_SECONDS}; an event without an id is refused rather than run twice.
 */
export function stripeEventIdempotencyConfig(): IdempotencyConfig {
  return new IdempotencyConfig({
    eventKeyJmesPath: 'id',
    expiresAfterSeconds: STRIPE_EVENT_TTL_SECONDS,
    throwOnNoIdempotencyKey: true,
    // A stored result tells the caller it is a repeat (logged as outcome DUPLICATE).
    responseHook: (response) => ({ ...(response as object), replayed: true }),
  });
}

/**
 * Powertools' DynamoDB persistence layer on `tableName` (the `table` module's key `id` and TTL
 * attribute `expiration`, Powertools' defaults), through the function's traced client.
 *
 * @example
 * const persistence = dynamoDbIdempotency(config.idempotencyTable, createDynamoDbClient(obs));
 */
export function dynamoDbIdempotency(
  tableName: string,
  client: DynamoDBClient,
): IdempotencyPersistence {
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
}
