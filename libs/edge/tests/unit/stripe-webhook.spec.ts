import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type ApiGatewayProxyEvent, ApiGatewayProxyEventSchema } from '@slipway/events';
import { mockClient } from 'aws-sdk-client-mock';
import Stripe from 'stripe';
import {
  EdgeConfigurationError,
  dynamoDbIdempotency,
  EventPublishError,
  handleStripeWebhook,
  STRIPE_EVENT_TTL_SECONDS,
  type StripeWebhookDependencies,
  stripeSigningSecrets,
} from '../../src';
import { fakeDynamoDb } from '../support/fake-dynamodb';

const SECRET = 'whsec_test_0123456789abcdef0123456789abcdef';
const BUS = 'slipway-dev-platform';
const NOW = 1_796_119_200;
const stripe = new Stripe('sk_test_unused');
const eventBridge = mockClient(EventBridgeClient);
const secretsManager = mockClient(SecretsManagerClient);

const file = (path: string) => readFileSync(join(__dirname, '../events', path), 'utf8');
const SUCCEEDED = file('stripe/payment-intent-succeeded.json');

/** The webhook request as API Gateway delivers it, signed by Stripe's own SDK. */
function request(
  payload = SUCCEEDED,
  options: { base64?: boolean; timestamp?: number; signature?: string | null } = {},
): ApiGatewayProxyEvent {
  const event = ApiGatewayProxyEventSchema.parse(
    JSON.parse(file('api-gateway/post-webhooks-stripe.json')),
  );
  const signature = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: SECRET,
    timestamp: options.timestamp ?? NOW,
  });
  const headers = { ...event.headers } as Record<string, string>;
  if (options.signature === null) delete headers['Stripe-Signature'];
  else headers['Stripe-Signature'] = options.signature ?? signature;
  return {
    ...event,
    headers,
    body: options.base64 ? Buffer.from(payload).toString('base64') : payload,
    isBase64Encoded: options.base64 ?? false,
  };
}

const TABLE = 'slipway-dev-edge-idempotency';
/** An invocation with Lambda's 10 s timeout ahead of it. */
const CONTEXT = { getRemainingTimeInMillis: () => 10_000 };
let table: ReturnType<typeof fakeDynamoDb>;

/** One execution environment's dependencies, over the shared (fake) idempotency table. */
const deps = (overrides: Partial<StripeWebhookDependencies> = {}): StripeWebhookDependencies => ({
  eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
  busName: BUS,
  signingSecrets: async () => [SECRET],
  idempotency: dynamoDbIdempotency(TABLE, table.client),
  nowSeconds: () => NOW,
  ...overrides,
});

beforeEach(() => {
  table = fakeDynamoDb();
  eventBridge.reset();
  secretsManager.reset();
  eventBridge
    .on(PutEventsCommand)
    .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });
});

describe('handleStripeWebhook', () => {
  it('puts PaymentSucceeded on the platform bus for payment_intent.succeeded (base64 body)', async () => {
    // Act
    const { response, outcome, detail } = await handleStripeWebhook(
      request(SUCCEEDED, { base64: true }),
      deps(),
      CONTEXT,
    );

    // Assess
    expect([response.statusCode, response.body, outcome, detail]).toEqual([
      200,
      '{"received":true}',
      'PUBLISHED',
      { stripeEventId: 'evt_3QpXyZ2eZvKYlo2C1abcdEFG', eventId: 'eb-1' },
    ]);
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([
      {
        Entries: [
          {
            EventBusName: BUS,
            Source: 'slipway.edge',
            DetailType: 'PaymentSucceeded',
            Detail: JSON.stringify({
              paymentIntentId: 'pi_3QpXyZ2eZvKYlo2C1hijkLMN',
              amount: 2000,
              currency: 'eur',
              customer: 'cus_RtUvWxYz123456',
              stripeEventId: 'evt_3QpXyZ2eZvKYlo2C1abcdEFG',
              occurredAt: '2026-12-01T09:59:10.000Z',
            }),
            Time: new Date('2026-12-01T09:59:10.000Z'),
          },
        ],
      },
    ]);
  });

  it('publishes a redelivered event once, also when another execution environment gets the repeat', async () => {
    // Act: the first delivery, then a re-signed redelivery to a fresh environment (a cold start).
    const first = await handleStripeWebhook(request(), deps(), CONTEXT);
    const second = await handleStripeWebhook(
      request(SUCCEEDED, { timestamp: NOW - 60 }),
      deps(),
      CONTEXT,
    );

    // Assess
    expect([first, second].map((r) => [r.outcome, r.response.statusCode, r.detail])).toEqual([
      ['PUBLISHED', 200, { stripeEventId: 'evt_3QpXyZ2eZvKYlo2C1abcdEFG', eventId: 'eb-1' }],
      ['DUPLICATE', 200, { stripeEventId: 'evt_3QpXyZ2eZvKYlo2C1abcdEFG', eventId: 'eb-1' }],
    ]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('keeps the handled event id in the table for a week, keyed by the Stripe event id alone', async () => {
    // Prepare: the same event id in another body (Stripe may add fields between deliveries).
    const changed = JSON.parse(SUCCEEDED);
    changed.livemode = !changed.livemode;

    // Act
    await handleStripeWebhook(request(), deps(), CONTEXT);
    const repeat = await handleStripeWebhook(request(JSON.stringify(changed)), deps(), CONTEXT);

    // Assess
    const [[id, item]] = [...table.items.entries()];
    expect(repeat.outcome).toBe('DUPLICATE');
    // Powertools' key: the function name (none here) and the MD5 of the JSON of `id` alone.
    const md5 = createHash('md5').update('"evt_3QpXyZ2eZvKYlo2C1abcdEFG"').digest('base64');
    expect(id).toBe(`#${md5}`);
    expect(item.status).toEqual({ S: 'COMPLETED' });
    expect(item.data).toEqual({ M: { eventId: { S: 'eb-1' } } });
    const ttl = Number(item.expiration.N) - Date.now() / 1000;
    expect(Math.abs(ttl - STRIPE_EVENT_TTL_SECONDS)).toBeLessThan(60);
  });

  it('answers 409 while another delivery of the same event is in progress, publishing nothing', async () => {
    // Prepare: the first delivery is still publishing when the second arrives.
    let release!: () => void;
    eventBridge.on(PutEventsCommand).callsFake(
      () =>
        new Promise((resolve) => {
          release = () => resolve({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });
        }),
    );
    const first = handleStripeWebhook(request(), deps(), CONTEXT);
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Act
    const concurrent = await handleStripeWebhook(request(), deps(), CONTEXT);
    release();

    // Assess
    expect([concurrent.response.statusCode, JSON.parse(concurrent.response.body)]).toEqual([
      409,
      {
        code: 'IN_PROGRESS',
        message: 'This event is being handled by another delivery; Stripe will deliver it again.',
      },
    ]);
    expect((await first).outcome).toBe('PUBLISHED');
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('acknowledges other event types without publishing', async () => {
    // Act
    const { response, outcome, detail } = await handleStripeWebhook(
      request(file('stripe/customer-created.json')),
      deps(),
      CONTEXT,
    );

    // Assess
    expect([response.statusCode, outcome, detail]).toEqual([
      200,
      'ACKNOWLEDGED',
      { type: 'customer.created', stripeEventId: 'evt_1QpXyZ2eZvKYlo2CcustOMER' },
    ]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it.each([
    ['a missing header', () => request(SUCCEEDED, { signature: null }), 'missing_header'],
    [
      'an old timestamp (a replay)',
      () => request(SUCCEEDED, { timestamp: NOW - 301 }),
      'outside_tolerance',
    ],
    [
      'a changed body',
      () => ({ ...request(), body: SUCCEEDED.replace('2000', '9000') }),
      'no_matching_signature',
    ],
    [
      'an unsigned request',
      () => request(SUCCEEDED, { signature: `t=${NOW}` }),
      'malformed_header',
    ],
  ])('answers 400 with no detail for %s, publishing nothing', async (_what, make, reason) => {
    // Act
    const { response, outcome, detail } = await handleStripeWebhook(make(), deps(), CONTEXT);

    // Assess
    expect([response.statusCode, JSON.parse(response.body), outcome, detail]).toEqual([
      400,
      { code: 'BAD_SIGNATURE', message: 'The webhook signature did not verify.' },
      'BAD_SIGNATURE',
      { reason },
    ]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('answers 400 naming the field for a signed payment event missing its amount', async () => {
    // Prepare
    const broken = JSON.parse(SUCCEEDED);
    delete broken.data.object.amount;

    // Act
    const { response } = await handleStripeWebhook(
      request(JSON.stringify(broken)),
      deps(),
      CONTEXT,
    );

    // Assess
    expect([response.statusCode, JSON.parse(response.body)]).toEqual([
      400,
      {
        code: 'INVALID_EVENT',
        message:
          'data.object.amount: Invalid input: expected number, received undefined. The signed body is not a Stripe event this endpoint reads.',
      },
    ]);
  });

  it("lets the next delivery publish once a crashed attempt's invocation has timed out", async () => {
    // Prepare: the first attempt never finishes (its environment died mid-publish), 20 ms left.
    eventBridge.on(PutEventsCommand).callsFakeOnce(() => new Promise(() => {}));
    void handleStripeWebhook(request(), deps(), { getRemainingTimeInMillis: () => 20 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-3' }] });

    // Act
    const next = await handleStripeWebhook(request(), deps(), CONTEXT);

    // Assess
    expect([next.outcome, next.detail]).toEqual([
      'PUBLISHED',
      { stripeEventId: 'evt_3QpXyZ2eZvKYlo2C1abcdEFG', eventId: 'eb-3' },
    ]);
  });

  it('throws when EventBridge refuses the entry, and a retry publishes', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-2' }] });

    // Act
    const failure = await handleStripeWebhook(request(), deps(), CONTEXT).catch((e: unknown) => e);
    const retry = await handleStripeWebhook(request(), deps(), CONTEXT);

    // Assess
    expect(failure).toEqual(
      new EventPublishError(
        `EventBridge refused PaymentSucceeded for evt_3QpXyZ2eZvKYlo2C1abcdEFG on ${BUS} (ThrottlingException: Rate exceeded); the 5xx makes Stripe redeliver. Check the bus name and the function's events:PutEvents permission.`,
      ),
    );
    expect(retry.outcome).toBe('PUBLISHED');
  });
});

describe('stripeSigningSecrets', () => {
  it('reads the secret through Powertools Parameters once and serves it from cache', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'slipway/dev/stripe-webhook' })
      .resolves({ SecretString: SECRET });
    const secrets = stripeSigningSecrets('slipway/dev/stripe-webhook');

    // Act
    const first = await secrets();
    const second = await secrets();

    // Assess
    expect([first, second]).toEqual([[SECRET], [SECRET]]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads both secrets of a rotation from a JSON array', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify([SECRET, 'whsec_old']) });

    // Act
    const secrets = await stripeSigningSecrets('slipway/dev/rotating')();

    // Assess
    expect(secrets).toEqual([SECRET, 'whsec_old']);
  });

  it.each([['sk_live_wrong'], ['[]'], ['["whsec_a", 1]'], ['[not json']])(
    'refuses %j without printing it',
    async (value) => {
      // Prepare
      secretsManager.on(GetSecretValueCommand).resolves({ SecretString: value });

      // Act
      const error = await stripeSigningSecrets(`slipway/dev/bad-${value.length}`)().catch(
        (e: unknown) => e,
      );

      // Assess
      expect(error).toEqual(
        new EdgeConfigurationError(
          `Secret slipway/dev/bad-${value.length} holds no Stripe signing secret: store the endpoint's whsec_… value, or a JSON array of them during a rotation.`,
        ),
      );
    },
  );
});
