import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  IdempotencyAlreadyInProgressError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { Context } from 'aws-lambda';
import {
  type ApiGatewayProxyEvent,
  PaymentSucceededDetailSchema,
  StripeEventSchema,
  type StripePaymentIntentSucceededEvent,
  StripePaymentIntentSucceededEventSchema,
  type StripeWebhookResponse,
} from '@slipway/events';
import { EdgeConfigurationError, EventPublishError, StripeSignatureError } from '../errors';
import { errorResult, headerOf, jsonResult, rawBodyOf } from '../http';
import { type IdempotencyPersistence, stripeEventIdempotencyConfig } from '../idempotency';
import { EDGE_EVENT_SOURCE, PAYMENT_SUCCEEDED, paymentSucceededDetail } from '../payments';
import { verifyStripeSignature } from '../stripe';
import type { RouteOutcome } from './outcome';

/** How long the signing secret is cached between Secrets Manager reads, in seconds. */
export const DEFAULT_SECRET_MAX_AGE_SECONDS = 300;

/** Reads a secret's string value; Powertools' `getSecret` or `SecretsProvider#get` fits. */
export type SecretReader = (secretId: string, options: { maxAge: number }) => Promise<unknown>;

/**
 * The endpoint's signing secrets from Secrets Manager through Powertools Parameters, cached for
 * `maxAgeSeconds` across invocations (a rotation shows within that time). The secret holds one
 * `whsec_…` string, or a JSON array of them while a rotation is in progress.
 *
 * @example
 * const secrets = stripeSigningSecrets(requireEnv('STRIPE_SIGNING_SECRET_ID'));
 * await handleStripeWebhook(event, { eventBridge, busName, signingSecrets: secrets });
 */
export function stripeSigningSecrets(
  secretId: string,
  options: { maxAgeSeconds?: number; read?: SecretReader } = {},
): () => Promise<string[]> {
  const read: SecretReader = options.read ?? ((id, opts) => getSecret(id, opts));
  return async () => {
    const value = await read(secretId, {
      maxAge: options.maxAgeSeconds ?? DEFAULT_SECRET_MAX_AGE_SECONDS,
    });
    const secrets = parseSecrets(value);
    if (secrets === undefined) {
      // Never print the value: it is the secret.
      throw new EdgeConfigurationError(
        `Secret ${secretId} holds no Stripe signing secret: store the endpoint's whsec_… value, or a JSON array of them during a rotation.`,
      );
    }
    return secrets;
  };
}

function parseSecrets(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  let list: unknown = [text];
  if (text.startsWith('[')) {
    try {
      list = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.every((s) => typeof s === 'string' && s.startsWith('whsec_'))
    ? (list as string[])
    : undefined;
}

/** What `POST /webhooks/stripe` needs, built once at cold start. */
export interface StripeWebhookDependencies {
  readonly eventBridge: EventBridgeClient;
  /** The platform bus's name or ARN. */
  readonly busName: string;
  /** The signing secrets ({@link stripeSigningSecrets}). */
  readonly signingSecrets: () => Promise<readonly string[]>;
  /**
   * Where handled Stripe event ids are kept (Powertools Idempotency's persistence layer:
   * `dynamoDbIdempotency` on the edge's table), shared by every execution environment.
   */
  readonly idempotency: IdempotencyPersistence;
  /** Now in Unix seconds (tests). */
  readonly nowSeconds?: () => number;
}

const BAD_SIGNATURE = { code: 'BAD_SIGNATURE', message: 'The webhook signature did not verify.' };
const IN_PROGRESS = {
  code: 'IN_PROGRESS',
  message: 'This event is being handled by another delivery; Stripe will deliver it again.',
};
const RECEIVED: StripeWebhookResponse = { received: true };

/** What the idempotent publish stores and returns; `replayed` marks a stored result. */
interface Published {
  eventId: string;
  replayed?: boolean;
}

type Publisher = {
  publish: (event: StripePaymentIntentSucceededEvent) => Promise<Published>;
  config: ReturnType<typeof stripeEventIdempotencyConfig>;
};

// One idempotent publisher per dependencies object (built once per execution environment):
// Powertools keeps its configuration and persistence set-up between calls.
const publishers = new WeakMap<StripeWebhookDependencies, Publisher>();

function publisherOf(deps: StripeWebhookDependencies): Publisher {
  let publisher = publishers.get(deps);
  if (!publisher) {
    const config = stripeEventIdempotencyConfig();
    publisher = {
      config,
      publish: makeIdempotent(
        async (event: StripePaymentIntentSucceededEvent): Promise<Published> =>
          publishPaymentSucceeded(event, deps),
        { persistenceStore: deps.idempotency, config },
      ),
    };
    publishers.set(deps, publisher);
  }
  return publisher;
}

/**
 * Puts `PaymentSucceeded` on the bus.
 *
 * @throws {EventPublishError} when EventBridge refuses the entry (Powertools then deletes the
 *   in-progress record, so Stripe's redelivery publishes).
 */
async function publishPaymentSucceeded(
  event: StripePaymentIntentSucceededEvent,
  deps: StripeWebhookDependencies,
): Promise<Published> {
  const detail = PaymentSucceededDetailSchema.parse(paymentSucceededDetail(event));
  const result = await deps.eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: deps.busName,
          Source: EDGE_EVENT_SOURCE,
          DetailType: PAYMENT_SUCCEEDED,
          Detail: JSON.stringify(detail),
          Time: new Date(event.created * 1000),
        },
      ],
    }),
  );
  const entry = result.Entries?.[0];
  if ((result.FailedEntryCount ?? 0) > 0 || entry?.EventId === undefined) {
    throw new EventPublishError(
      `EventBridge refused PaymentSucceeded for ${event.id} on ${deps.busName} (${entry?.ErrorCode ?? 'no event id'}: ${entry?.ErrorMessage ?? 'no message'}); the 5xx makes Stripe redeliver. Check the bus name and the function's events:PutEvents permission.`,
    );
  }
  return { eventId: entry.EventId };
}

/**
 * `POST /webhooks/stripe` (public: the signature is its authentication). Verifies the
 * signature on the raw bytes, then puts `payment_intent.succeeded` on the platform bus as
 * `PaymentSucceeded` once per Stripe event id (Powertools Idempotency on `deps.idempotency`: a
 * repeat answers 200 and publishes nothing, a concurrent one 409); other event types are
 * acknowledged.
 * A bad signature answers 400 with no detail (the reason is in the outcome's `detail`, for the
 * log). A failed PutEvents throws, so the 5xx makes Stripe deliver again.
 *
 * @param context the invocation's Lambda context (its remaining time bounds an in-progress record).
 * @throws {EventPublishError} when EventBridge refuses the entry.
 */
export async function handleStripeWebhook(
  event: ApiGatewayProxyEvent,
  deps: StripeWebhookDependencies,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<RouteOutcome> {
  const payload = rawBodyOf(event);
  try {
    verifyStripeSignature({
      payload,
      header: headerOf(event.headers, 'stripe-signature'),
      secrets: await deps.signingSecrets(),
      nowSeconds: deps.nowSeconds?.(),
    });
  } catch (error) {
    if (!(error instanceof StripeSignatureError)) throw error;
    return {
      response: errorResult(400, BAD_SIGNATURE),
      outcome: 'BAD_SIGNATURE',
      detail: { reason: error.reason },
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return invalid('body', 'is not JSON');
  }
  const any = StripeEventSchema.safeParse(body);
  if (!any.success)
    return invalid(any.error.issues[0]?.path.join('.') ?? 'body', any.error.issues[0]?.message);
  if (any.data.type !== 'payment_intent.succeeded') {
    return {
      response: jsonResult(200, RECEIVED),
      outcome: 'ACKNOWLEDGED',
      detail: { type: any.data.type, stripeEventId: any.data.id },
    };
  }
  const succeeded = StripePaymentIntentSucceededEventSchema.safeParse(body);
  if (!succeeded.success) {
    return invalid(
      succeeded.error.issues[0]?.path.join('.') ?? 'body',
      succeeded.error.issues[0]?.message,
    );
  }
  const stripeEventId = succeeded.data.id;
  const { publish, config } = publisherOf(deps);
  // With the invocation's context, an in-progress record expires with the invocation, so a
  // delivery that crashed mid-way does not block Stripe's next attempt for the whole TTL.
  config.registerLambdaContext(context as Context);
  let published: Published;
  try {
    published = await publish(succeeded.data);
  } catch (error) {
    if (!(error instanceof IdempotencyAlreadyInProgressError)) throw error;
    // A concurrent delivery of the same event: a non-2xx makes Stripe try again later, by
    // when the first has published (then: DUPLICATE) or failed (then: published now).
    return {
      response: errorResult(409, IN_PROGRESS),
      outcome: 'IN_PROGRESS',
      detail: { stripeEventId },
    };
  }
  return {
    response: jsonResult(200, RECEIVED),
    outcome: published.replayed ? 'DUPLICATE' : 'PUBLISHED',
    detail: { stripeEventId, eventId: published.eventId },
  };
}

function invalid(field: string, message = 'is invalid'): RouteOutcome {
  return {
    response: errorResult(400, {
      code: 'INVALID_EVENT',
      message: `${field || 'body'}: ${message}. The signed body is not a Stripe event this endpoint reads.`,
    }),
    outcome: 'INVALID_EVENT',
  };
}
