import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import {
  type ApiGatewayProxyEvent,
  PaymentSucceededDetailSchema,
  StripeEventSchema,
  StripePaymentIntentSucceededEventSchema,
  type StripeWebhookResponse,
} from '@slipway/events';
import { EdgeConfigurationError, EventPublishError, StripeSignatureError } from '../errors';
import { errorResult, headerOf, jsonResult, rawBodyOf } from '../http';
import { type IdempotencyStore, InMemoryIdempotencyStore } from '../idempotency';
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

// Per execution environment: see idempotency.ts for why this is not (yet) durable.
const defaultStore = new InMemoryIdempotencyStore();

/** What `POST /webhooks/stripe` needs, built once at cold start. */
export interface StripeWebhookDependencies {
  readonly eventBridge: EventBridgeClient;
  /** The platform bus's name or ARN. */
  readonly busName: string;
  /** The signing secrets ({@link stripeSigningSecrets}). */
  readonly signingSecrets: () => Promise<readonly string[]>;
  /** Defaults to an in-memory store per execution environment. */
  readonly idempotency?: IdempotencyStore;
  /** Now in Unix seconds (tests). */
  readonly nowSeconds?: () => number;
}

const BAD_SIGNATURE = { code: 'BAD_SIGNATURE', message: 'The webhook signature did not verify.' };
const RECEIVED: StripeWebhookResponse = { received: true };

/**
 * `POST /webhooks/stripe` (public: the signature is its authentication). Verifies the
 * signature on the raw bytes, then puts `payment_intent.succeeded` on the platform bus as
 * `PaymentSucceeded` once per Stripe event id; other event types are acknowledged.
 * A bad signature answers 400 with no detail (the reason is in the outcome's `detail`, for the
 * log). A failed PutEvents throws, so the 5xx makes Stripe deliver again.
 *
 * @throws {EventPublishError} when EventBridge refuses the entry.
 */
export async function handleStripeWebhook(
  event: ApiGatewayProxyEvent,
  deps: StripeWebhookDependencies,
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
  const store = deps.idempotency ?? defaultStore;
  const stripeEventId = succeeded.data.id;
  if (await store.seen(stripeEventId)) {
    return { response: jsonResult(200, RECEIVED), outcome: 'DUPLICATE', detail: { stripeEventId } };
  }
  const detail = PaymentSucceededDetailSchema.parse(paymentSucceededDetail(succeeded.data));
  const result = await deps.eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: deps.busName,
          Source: EDGE_EVENT_SOURCE,
          DetailType: PAYMENT_SUCCEEDED,
          Detail: JSON.stringify(detail),
          Time: new Date(succeeded.data.created * 1000),
        },
      ],
    }),
  );
  const entry = result.Entries?.[0];
  if ((result.FailedEntryCount ?? 0) > 0 || entry?.EventId === undefined) {
    throw new EventPublishError(
      `EventBridge refused PaymentSucceeded for ${stripeEventId} on ${deps.busName} (${entry?.ErrorCode ?? 'no event id'}: ${entry?.ErrorMessage ?? 'no message'}); the 5xx makes Stripe redeliver. Check the bus name and the function's events:PutEvents permission.`,
    );
  }
  await store.record(stripeEventId);
  return {
    response: jsonResult(200, RECEIVED),
    outcome: 'PUBLISHED',
    detail: { stripeEventId, eventId: entry.EventId },
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
