import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import Stripe from 'stripe';
import { IDENTITY_FILE } from '../../src/identity';
import { sandboxS3Client, startSandbox, type Sandbox } from '../../src/sandbox';
import type { XrayElement } from '../../src/xray-daemon';

// The HTTP edge end to end on the local cloud (issue 13, "Bad input" and "Must show"): the real
// packaged zips of the authorizer, POST /uploads and POST /webhooks/stripe behind the local API
// gateway, the media flow's real ASL after a browser-style form upload, and the bus. One sandbox
// for the whole suite: starting it (S3, identity, secrets, function processes) is the slow part.

const root = resolve(__dirname, '../../../..');
const PHOTO = join(root, 'libs/media/tests/fixtures/images/small.png');
/** AppSync's Lambda authorizer event of the users GraphQL API (libs/edge's fixture). */
const APPSYNC_EVENT = JSON.parse(
  readFileSync(join(root, 'libs/edge/tests/events/appsync/authorizer-request.json'), 'utf8'),
) as Record<string, unknown>;
const PAYMENT_EVENT = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/edge/payment-intent-succeeded.json'), 'utf8'),
) as Record<string, unknown>;

/** The deployed body's gateway responses (restApiBody), which the sandbox answers with. */
const UNAUTHORIZED = {
  code: 'UNAUTHORIZED',
  message: 'Send a valid bearer token in the Authorization header.',
};
const FORBIDDEN = {
  code: 'FORBIDDEN',
  message: "The token's roles include none this route requires.",
};
const NO_ROUTE = {
  code: 'NO_ROUTE',
  message: 'No route matches this method and path: see the API document.',
};
const BAD_SIGNATURE = { code: 'BAD_SIGNATURE', message: 'The webhook signature did not verify.' };
/** The default media upload policy's list, as POST /uploads reports it. */
const ALLOWED = [
  'image/jpeg (up to 50 MiB)',
  'image/png (up to 50 MiB)',
  'image/webp (up to 50 MiB)',
  'image/heif (up to 50 MiB)',
  'image/avif (up to 50 MiB)',
  'video/mp4 (up to 5 GiB)',
  'video/quicktime (up to 5 GiB)',
  'video/3gpp (up to 5 GiB)',
  'video/3gpp2 (up to 5 GiB)',
  'video/x-m4v (up to 5 GiB)',
];

let workDir: string;
let sandbox: Sandbox;
let url: string;
/** The running sandbox's signing key, issuer and audience (its identity file). */
let identity: { issuer: string; audience: string; kid: string; privateJwk: JWK };

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'edge-'));
  sandbox = await startSandbox({ root, workDir, gateway: true });
  url = sandbox.edge!.gateway.url;
  identity = JSON.parse(await readFile(join(workDir, IDENTITY_FILE), 'utf8')) as typeof identity;
});

afterAll(async () => {
  await sandbox?.stop();
  await rm(workDir, { recursive: true, force: true });
});

const now = () => Math.floor(Date.now() / 1000);
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const call = async (path: string, init: RequestInit) => {
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, body: (await response.json()) as unknown };
};
const member = (sub = 'user-edge-spec') =>
  sandbox.edge!.identity.mintToken({ sub, roles: ['member'] });
const PRESIGN_REQUEST = { filename: 'photo.png', contentType: 'image/png', size: 32988 };

/** A token with the sandbox's claims, `change` applied (a claim set to undefined is dropped). */
async function token(
  change: {
    claims?: Record<string, unknown>;
    header?: Record<string, unknown>;
    key?: Parameters<SignJWT['sign']>[0];
  } = {},
): Promise<string> {
  const claims: Record<string, unknown> = {
    iss: identity.issuer,
    aud: identity.audience,
    sub: 'user-edge-spec',
    iat: now(),
    exp: now() + 3600,
    app_metadata: { roles: ['member'] },
    ...change.claims,
  };
  const header = { alg: 'RS256', kid: identity.kid, typ: 'JWT', ...change.header };
  const key = change.key ?? (await importJWK(identity.privateJwk, 'RS256'));
  return new SignJWT(claims as never).setProtectedHeader(header as never).sign(key as never);
}

/** `alg: none`: a header and claims with an empty signature. */
function unsigned(): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT', kid: identity.kid })}.${part({
    iss: identity.issuer,
    aud: identity.audience,
    sub: 'user-edge-spec',
    exp: now() + 3600,
    app_metadata: { roles: ['member'] },
  })}.`;
}

/** The authorizer's ERROR lines (one per refused token), parsed. */
function authorizerErrors(): { message: string; error?: { reason?: string } }[] {
  const file = join(workDir, 'logs', 'edge-authorizer.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"level":"ERROR"'))
    .map((line) => JSON.parse(line) as { message: string; error?: { reason?: string } });
}

/** Waits until the log holds more than `count` ERROR lines (the process writes them async). */
async function errorsAfter(count: number): Promise<ReturnType<typeof authorizerErrors>> {
  const deadline = Date.now() + 5000;
  while (authorizerErrors().length <= count && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 25));
  // A little longer, so a second line for the same request would be seen too.
  await new Promise((r) => setTimeout(r, 100));
  return authorizerErrors().slice(count);
}

const paymentEvents = () => sandbox.bus.events.filter((e) => e.detailType === 'PaymentSucceeded');

describe('the authorizer in front of POST /uploads', () => {
  it.each<[string, () => Promise<string>, string]>([
    ['a malformed token', async () => 'not-a-jwt', 'malformed'],
    [
      'an expired token',
      () => token({ claims: { iat: now() - 7200, exp: now() - 120 } }),
      'expired',
    ],
    ['a not-yet-valid token', () => token({ claims: { nbf: now() + 600 } }), 'not_yet_valid'],
    [
      'a token of another issuer',
      () => token({ claims: { iss: 'https://evil.example/auth/v1' } }),
      'bad_issuer',
    ],
    ['a token for another audience', () => token({ claims: { aud: 'other-app' } }), 'bad_audience'],
    ['an alg: none token', async () => unsigned(), 'alg_not_allowed'],
    [
      'an HS256 token signed with the public key (key confusion)',
      async () => {
        const {
          d: _d,
          p: _p,
          q: _q,
          dp: _dp,
          dq: _dq,
          qi: _qi,
          ...publicJwk
        } = identity.privateJwk;
        return token({
          header: { alg: 'HS256' },
          key: new TextEncoder().encode(JSON.stringify(publicJwk)),
        });
      },
      'alg_not_allowed',
    ],
    [
      'a token signed by a key the JWKS does not hold (unknown kid)',
      async () => {
        const fresh = await generateKeyPair('RS256');
        return token({ header: { kid: 'rotated-away' }, key: fresh.privateKey });
      },
      'unknown_kid',
    ],
    [
      "a token signed by another key under the sandbox's kid",
      async () => token({ key: (await generateKeyPair('RS256')).privateKey }),
      'bad_signature',
    ],
  ])('%s → 401 with no detail, one log line with the reason', async (_case, make, reason) => {
    // Prepare
    const bad = await make();
    const before = authorizerErrors().length;

    // Act
    const answer = await call('/uploads', json(PRESIGN_REQUEST, bearer(bad)));

    // Assess
    expect(answer).toEqual({ status: 401, body: UNAUTHORIZED });
    const lines = await errorsAfter(before);
    expect(lines.map((l) => [l.message, l.error?.reason])).toEqual([['Handler failed', reason]]);
    expect(readFileSync(join(workDir, 'logs', 'edge-authorizer.log'), 'utf8')).not.toContain(bad);
  });

  it('refuses a request without Authorization with 401 before calling the authorizer', async () => {
    const calls = sandbox.edge!.gateway.authorizerInvocations;

    const answer = await call('/uploads', json(PRESIGN_REQUEST));

    expect(answer).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(sandbox.edge!.gateway.authorizerInvocations).toBe(calls);
  });

  it('answers 403 to a valid token whose roles the route does not require', async () => {
    const viewer = await sandbox.edge!.identity.mintToken({ roles: ['viewer'] });

    const answer = await call('/uploads', json(PRESIGN_REQUEST, bearer(viewer)));

    expect(answer).toEqual({ status: 403, body: FORBIDDEN });
  });
});

// Prod's users GraphQL API authenticates with this same zip as its AppSync Lambda authorizer
// (AWS_LAMBDA: AppSync cannot verify Supabase tokens). The local GraphQL endpoint verifies tokens
// itself (Cognito-style), so the AppSync contract is exercised here by invoking the packaged
// authorizer on the local Lambda runtime with AppSync's event, as AppSync would.
describe('the authorizer answering AppSync (the GraphQL API in prod)', () => {
  const invokeAuthorizer = (authorization: string) =>
    sandbox.lambdas.get('slipway-local-edge-authorizer')!.invoke({
      ...APPSYNC_EVENT,
      authorizationToken: authorization,
      requestHeaders: {
        ...(APPSYNC_EVENT['requestHeaders'] as Record<string, string>),
        authorization,
      },
    });
  /** The authorizer's WARN lines (AppSync refusals), parsed. */
  const refusals = () =>
    readFileSync(join(workDir, 'logs', 'edge-authorizer.log'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"level":"WARN"'))
      .map((line) => JSON.parse(line) as { message: string; reason?: string });

  it('answers isAuthorized true with the caller and roles as strings for a valid token', async () => {
    // Prepare: an hour left, so the cache TTL is the 300 s cap
    const valid = await token({
      claims: { sub: 'user-graphql-spec', app_metadata: { roles: ['member', 'admin'] } },
    });

    // Act
    const outcome = await invokeAuthorizer(`Bearer ${valid}`);

    // Assess
    expect(outcome).toEqual({
      ok: true,
      durationMs: expect.any(Number),
      result: {
        isAuthorized: true,
        resolverContext: { userId: 'user-graphql-spec', roles: 'member,admin' },
        ttlOverride: 300,
      },
    });
  });

  it('answers isAuthorized false for a token of another issuer, logging the reason and never the token', async () => {
    // Prepare
    const bad = await token({ claims: { iss: 'https://evil.example/auth/v1' } });
    const before = refusals().length;

    // Act
    const outcome = await invokeAuthorizer(`Bearer ${bad}`);

    // Assess
    expect(outcome).toEqual({
      ok: true,
      durationMs: expect.any(Number),
      result: { isAuthorized: false },
    });
    const deadline = Date.now() + 5000;
    while (refusals().length <= before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect(
      refusals()
        .slice(before)
        .map((l) => [l.message, l.reason]),
    ).toEqual([['Refused', 'bad_issuer']]);
    expect(readFileSync(join(workDir, 'logs', 'edge-authorizer.log'), 'utf8')).not.toContain(bad);
  });
});

describe('routing, limits and request validation', () => {
  it.each([
    ['an unknown route', 'GET', '/nowhere'],
    ['a wrong method on a route', 'GET', '/uploads'],
    ['a wrong method on the webhook', 'PUT', '/webhooks/stripe'],
  ])("%s → API Gateway's 403 with the deployed body", async (_case, method, path) => {
    const response = await fetch(`${url}${path}`, { method });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await response.json()).toEqual(NO_ROUTE);
  });

  it("refuses a body over the route's limit (4 KB) with 413", async () => {
    const body = JSON.stringify({ ...PRESIGN_REQUEST, filename: `${'a'.repeat(4100)}.png` });

    const answer = await call('/uploads', json(body, bearer(await member())));

    expect(answer).toEqual({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than this route accepts.' },
    });
  });

  it.each([
    ['no size', { size: undefined }, 'size: Invalid input: expected number, received undefined'],
    [
      'a size that is a string',
      { size: '32988' },
      'size: Invalid input: expected number, received string',
    ],
  ])('refuses a presign body with %s: 400 naming the field', async (_case, broken, message) => {
    // Prepare: the valid request cloned, one field broken.
    const body = { ...PRESIGN_REQUEST, ...broken };

    const answer = await call('/uploads', json(body, bearer(await member())));

    expect(answer).toEqual({ status: 400, body: { code: 'BAD_REQUEST_BODY', message } });
  });
});

describe('POST /uploads refusals', () => {
  it.each([
    [
      'a type outside the upload policy',
      { filename: 'setup.exe', contentType: 'application/x-msdownload' },
      {
        code: 'TYPE_NOT_ALLOWED',
        message: `application/x-msdownload is not a type this platform accepts. Upload one of: ${ALLOWED.join(', ')}.`,
        allowed: ALLOWED,
      },
    ],
    [
      'a size over the image limit',
      { size: 52428801 },
      {
        code: 'TOO_LARGE',
        message: `The image is 52428801 bytes, over the limit of 52428800 bytes (50 MiB) for images. Upload a smaller file; accepted: ${ALLOWED.join(', ')}.`,
        allowed: ALLOWED,
      },
    ],
  ])('refuses %s with 400 and the allowed list, writing nothing', async (_case, broken, body) => {
    const before = await listUploads();

    const answer = await call(
      '/uploads',
      json({ ...PRESIGN_REQUEST, ...broken }, bearer(await member())),
    );

    expect(answer).toEqual({ status: 400, body });
    expect(await listUploads()).toEqual(before);
  });
});

describe('presign → form upload → media flow → MediaProcessed', () => {
  it('lands the browser upload under uploads/<user>/ and the media flow processes it', async () => {
    // Prepare
    const bytes = readFileSync(PHOTO);
    const s3 = sandboxS3Client(sandbox.s3);

    // Act: presign, then the browser's multipart form post straight to S3.
    const presigned = await call(
      '/uploads',
      json(PRESIGN_REQUEST, bearer(await member('user-e2e'))),
    );
    const post = presigned.body as { url: string; key: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'photo.png');
    const upload = await fetch(post.url, { method: 'POST', body: form });

    // Assess: the presigned POST, signed for the user's key with the policy's conditions.
    expect(presigned.status).toBe(200);
    expect(post.url).toBe(`${sandbox.s3.endpoint}/${sandbox.buckets.media}`);
    expect(post.key).toMatch(/^uploads\/user-e2e\/[0-9a-f-]{36}\.png$/);
    expect(post.fields).toMatchObject({
      key: post.key,
      bucket: sandbox.buckets.media,
      'Content-Type': 'image/png',
      'x-amz-server-side-encryption': 'AES256',
    });
    const policy = JSON.parse(Buffer.from(post.fields.Policy, 'base64').toString('utf8')) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 32988],
        { 'Content-Type': 'image/png' },
        { key: post.key },
      ]),
    );
    // The object, as S3 stored it.
    expect(upload.status).toBe(204);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: sandbox.buckets.media, Key: post.key }),
    );
    expect([head.ContentLength, head.ContentType]).toEqual([bytes.length, 'image/png']);

    // The flow the upload's S3 event started, and its event on the bus.
    const record = await executionFor(post.key);
    const manifestKey = (record.output as { finalized: { manifest: { key: string } } }).finalized
      .manifest.key;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.path.map((p) => p.state).sort()).toEqual(
      [
        'CheckImageBranches',
        'ExtractMetadata',
        'Finalize',
        'GenerateThumbnails',
        'ProcessImage',
        'Processed',
        'PublishProcessed',
        'RouteByKind',
        'Validate',
      ].sort(),
    );
    const processed = sandbox.bus.events.filter(
      (e) =>
        e.detailType === 'MediaProcessed' &&
        (e.detail as { source: { key: string } }).source.key === post.key,
    );
    expect(processed).toEqual([
      expect.objectContaining({
        busName: 'slipway-local-platform',
        source: 'slipway.media',
        detail: expect.objectContaining({
          kind: 'image',
          source: expect.objectContaining({ bucket: sandbox.buckets.media, key: post.key }),
          manifest: expect.objectContaining({ bucket: sandbox.buckets.media, key: manifestKey }),
        }),
      }),
    ]);
    const manifest = JSON.parse(
      await (
        await s3.send(new GetObjectCommand({ Bucket: sandbox.buckets.media, Key: manifestKey }))
      ).Body!.transformToString(),
    ) as { source: { key: string } };
    expect(manifest.source.key).toBe(post.key);
  });
});

describe('POST /webhooks/stripe', () => {
  const stripe = new Stripe('sk_test_unused');
  const payload = JSON.stringify(PAYMENT_EVENT);
  const sign = (secret = sandbox.edge!.webhookSecret, timestamp = now(), body = payload) =>
    stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
  const deliver = (headers: Record<string, string>, body = payload) =>
    call('/webhooks/stripe', json(body, headers));

  it.each([
    [
      'a signature with another secret',
      () => ({ 'stripe-signature': sign('whsec_not_ours_0123456789') }),
    ],
    ['a timestamp older than 300 s', () => ({ 'stripe-signature': sign(undefined, now() - 301) })],
    ['no Stripe-Signature header', () => ({})],
    [
      'a signature over other bytes',
      () => ({ 'stripe-signature': sign(undefined, now(), `${payload} `) }),
    ],
  ])('refuses %s with 400 and no detail, publishing nothing', async (_case, headers) => {
    const answer = await deliver(headers());

    expect(answer).toEqual({ status: 400, body: BAD_SIGNATURE });
    expect(paymentEvents()).toEqual([]);
  });

  it('turns a signed payment_intent.succeeded into one PaymentSucceeded; a redelivery publishes none', async () => {
    const first = await deliver({ 'stripe-signature': sign() });
    const redelivered = await deliver({ 'stripe-signature': sign() });

    expect(first).toEqual({ status: 200, body: { received: true } });
    expect(redelivered).toEqual({ status: 200, body: { received: true } });
    expect(paymentEvents().map(({ time: _t, id: _id, trace: _trace, ...e }) => e)).toEqual([
      {
        busName: 'slipway-local-platform',
        source: 'slipway.edge',
        detailType: 'PaymentSucceeded',
        detail: {
          paymentIntentId: 'pi_sandbox_edge_0001',
          amount: 12900,
          currency: 'eur',
          customer: 'cus_sandbox_edge',
          stripeEventId: 'evt_sandbox_edge_0001',
          occurredAt: '2025-12-02T00:00:00.000Z',
        },
      },
    ]);
    // The event carries the webhook's trace: its parent is the function's PutEvents call, in the
    // trace the API stage started, so the rule's targets join the same trace.
    const [{ trace }] = paymentEvents();
    const docs = await sandbox.xray.segments();
    const all = (d: XrayElement): XrayElement[] => [d, ...(d.subsegments ?? []).flatMap(all)];
    const put = docs.flatMap(all).find((d) => d.id === trace?.parentId);
    expect(put).toMatchObject({
      name: 'EventBridge',
      namespace: 'aws',
      aws: { operation: 'PutEvents' },
      trace_id: trace?.traceId,
    });
    expect(
      docs
        .filter((d) => d.trace_id === trace?.traceId)
        .map((d) => [d.name, d.origin])
        .filter(([, origin]) => origin),
    ).toEqual([
      ['slipway-local-edge-stripe-webhook', 'AWS::Lambda'],
      ['slipway-local-edge-stripe-webhook', 'AWS::Lambda::Function'],
      ['slipway-local-api/local', 'AWS::ApiGateway::Stage'],
    ]);
  });

  it('keeps the handled event id in DynamoDB: a redelivery after a cold start publishes none', async () => {
    // Prepare: a new event id, delivered once.
    const body = JSON.stringify({ ...PAYMENT_EVENT, id: 'evt_sandbox_edge_cold' });
    const before = paymentEvents().length;
    const first = await deliver({ 'stripe-signature': sign(undefined, now(), body) }, body);

    // Act: the function's process ends (a new execution environment), then Stripe redelivers.
    await sandbox.lambdas.get('slipway-local-edge-stripe-webhook')!.stop();
    const redelivered = await deliver({ 'stripe-signature': sign(undefined, now(), body) }, body);

    // Assess
    expect([first, redelivered]).toEqual([
      { status: 200, body: { received: true } },
      { status: 200, body: { received: true } },
    ]);
    expect(
      paymentEvents()
        .slice(before)
        .map((e) => (e.detail as { stripeEventId: string }).stripeEventId),
    ).toEqual(['evt_sandbox_edge_cold']);
    const { Items } = await sandbox.dynamoDb!.client.send(
      new ScanCommand({ TableName: 'slipway-local-edge-idempotency' }),
    );
    expect(
      Items!
        .filter((i) => i.data?.M?.eventId?.S === paymentEvents()[before].id)
        .map((i) => ({
          id: /^slipway-local-edge-stripe-webhook#[A-Za-z0-9+/]{22}==$/.test(i.id.S!),
          status: i.status.S,
        })),
    ).toEqual([{ id: true, status: 'COMPLETED' }]);
  });

  it('acknowledges another event type with 200 and publishes nothing', async () => {
    // Prepare: the valid event cloned as another type and id.
    const body = JSON.stringify({
      ...PAYMENT_EVENT,
      id: 'evt_sandbox_edge_0002',
      type: 'charge.refunded',
    });
    const before = paymentEvents().length;

    const answer = await deliver({ 'stripe-signature': sign(undefined, now(), body) }, body);

    expect(answer).toEqual({ status: 200, body: { received: true } });
    expect(paymentEvents()).toHaveLength(before);
  });
});

async function listUploads(): Promise<string[]> {
  const listed = await sandboxS3Client(sandbox.s3).send(
    new ListObjectsV2Command({ Bucket: sandbox.buckets.media, Prefix: 'uploads/' }),
  );
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

/** The execution `key`'s upload started (s3rver announces an object after answering its POST). */
async function executionFor(key: string) {
  const find = () =>
    sandbox.executions.find((e) => (e.input as { object: { key: string } }).object.key === key);
  const deadline = Date.now() + 10_000;
  while (!find() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const execution = find();
  if (!execution) throw new Error(`No execution started for ${key} within 10 s`);
  return execution.record;
}
