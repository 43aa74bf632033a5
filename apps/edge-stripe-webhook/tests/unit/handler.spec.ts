import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type * as DynamoDb from '@aws-sdk/client-dynamodb';
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import Stripe from 'stripe';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test support only: the lib's fake of the idempotency table
import { fakeDynamoDb } from '../../../../libs/edge/tests/support/fake-dynamodb';

// Signed by the stripe package itself, so the deployed wiring is held to Stripe's own headers;
// the signing secret comes by name from Secrets Manager (mocked), PutEvents is mocked, and the
// idempotency table is a fake that keeps items across "execution environments".

const SECRET = 'whsec_test_0123456789abcdef0123456789abcdef';
const ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test-secret-key',
  STRIPE_WEBHOOK_SECRET_NAME: 'slipway/dev/stripe-webhook-secret',
  BUS_PLATFORM: 'slipway-dev-platform',
  TABLE_EDGE_IDEMPOTENCY: 'slipway-dev-edge-idempotency',
};
const stripe = new Stripe('sk_test_unused');
const context = {
  awsRequestId: 'req-1',
  functionName: 'slipway-dev-edge-stripe-webhook',
  getRemainingTimeInMillis: () => 10_000,
} as Context;
const file = (path: string) => readFileSync(join(__dirname, '../events', path), 'utf8');
const SUCCEEDED = file('stripe/payment-intent-succeeded.json');

function request(signature?: string) {
  const event = JSON.parse(file('api-gateway/post-webhooks-stripe.json'));
  const header =
    signature ?? stripe.webhooks.generateTestHeaderString({ payload: SUCCEEDED, secret: SECRET });
  return {
    ...event,
    headers: { ...event.headers, 'Stripe-Signature': header },
    // API Gateway may pass the body base64-encoded: the signature is over the decoded bytes.
    body: Buffer.from(SUCCEEDED).toString('base64'),
    isBase64Encoded: true,
  };
}

type Handler = (typeof import('../../src/handler'))['handler'];
let events: AwsClientStub<EventBridge.EventBridgeClient>;
let PutEvents: typeof EventBridge.PutEventsCommand;
let secrets: AwsClientStub<SecretsManager.SecretsManagerClient>;
let table: ReturnType<typeof fakeDynamoDb>;

/**
 * A new execution environment (fresh modules: configuration and secret cache are per
 * environment); the idempotency table's items carry over unless `freshTable`.
 */
function loadHandler(freshTable = true): Handler {
  const items = freshTable ? undefined : table.items;
  jest.resetModules();
  table = fakeDynamoDb({ sdk: jest.requireActual<typeof DynamoDb>('@aws-sdk/client-dynamodb') });
  for (const [key, item] of items ?? []) table.items.set(key, item);
  const eb = jest.requireActual<typeof EventBridge>('@aws-sdk/client-eventbridge');
  const sm = jest.requireActual<typeof SecretsManager>('@aws-sdk/client-secrets-manager');
  PutEvents = eb.PutEventsCommand;
  events = mockClient(eb.EventBridgeClient);
  events.on(PutEvents).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });
  secrets = mockClient(sm.SecretsManagerClient);
  secrets
    .on(sm.GetSecretValueCommand, { SecretId: ENV.STRIPE_WEBHOOK_SECRET_NAME })
    .resolves({ SecretString: SECRET });
  return jest.requireActual<typeof import('../../src/handler')>('../../src/handler').handler;
}

describe('edge-stripe-webhook handler', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    Object.assign(process.env, ENV);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('puts PaymentSucceeded on the platform bus once, however often Stripe redelivers', async () => {
    const handler = loadHandler();

    const first = await handler(request(), context);
    const again = await handler(request(), context);
    const published = events.commandCalls(PutEvents);
    // A redelivery to another execution environment (a cold start), same table.
    const elsewhere = await loadHandler(false)(request(), context);

    expect(first).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"received":true}',
    });
    expect([again, elsewhere]).toEqual([first, first]);
    expect(events.commandCalls(PutEvents)).toHaveLength(0);
    const calls = published;
    expect(calls).toHaveLength(1);
    const entry = calls[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      EventBusName: 'slipway-dev-platform',
      Source: 'slipway.edge',
      DetailType: 'PaymentSucceeded',
    });
    expect(JSON.parse(entry?.Detail ?? '')).toEqual({
      paymentIntentId: 'pi_3QpXyZ2eZvKYlo2C1hijkLMN',
      amount: 2000,
      currency: 'eur',
      customer: 'cus_RtUvWxYz123456',
      stripeEventId: 'evt_3QpXyZ2eZvKYlo2C1abcdEFG',
      occurredAt: '2026-12-01T09:59:10.000Z',
    });
  });

  it('answers 400 with no detail and publishes nothing for a bad signature', async () => {
    const handler = loadHandler();
    const forged = stripe.webhooks.generateTestHeaderString({
      payload: SUCCEEDED,
      secret: 'whsec_not_the_endpoint_secret_000000000000',
    });

    const result = await handler(request(forged), context);

    expect(result).toEqual({
      statusCode: 400,
      headers: { 'content-type': 'application/json' },
      body: '{"code":"BAD_SIGNATURE","message":"The webhook signature did not verify."}',
    });
    expect(events.commandCalls(PutEvents)).toHaveLength(0);
  });

  it('fails naming the variable when STRIPE_WEBHOOK_SECRET_NAME is missing', async () => {
    delete process.env.STRIPE_WEBHOOK_SECRET_NAME;

    await expect(loadHandler()(request(), context)).rejects.toThrow(
      "STRIPE_WEBHOOK_SECRET_NAME is missing: set it to the Secrets Manager name holding the endpoint's whsec_… signing secret (never the secret itself).",
    );
  });
});
