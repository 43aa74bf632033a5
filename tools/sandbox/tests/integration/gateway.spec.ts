import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { EDGE_SCHEMAS, type ApiGatewayProxyEvent } from '@slipway/events';
import type { LambdaManifest, Route } from '@slipway/manifest';
import { writeDeterministicZip } from '@slipway/nx-plugin';
import { startGateway, type Gateway } from '../../src/gateway';
import { mintLocalToken, startLocalIdentity } from '../../src/identity';
import { LocalLambda } from '../../src/local-lambda';
import { SECRETS_MANAGER_ENDPOINT_ENV, startLocalSecrets } from '../../src/secrets';
import type { TraceContext, XraySegmentDocument } from '../../src/xray-daemon';

// The local gateway over real HTTP on loopback, with two fixture handlers zipped here and run
// by the sandbox's own local-lambda runner (each in its own Node process).
const FIXTURES = join(__dirname, '../fixtures/gateway');
const routes = JSON.parse(readFileSync(join(FIXTURES, 'routes.json'), 'utf8')) as Route[];

let workDir: string;
let lambdas: Map<string, LocalLambda>;
let gateway: Gateway;

async function fixtureLambda(name: string, file: string): Promise<LocalLambda> {
  const zipFile = join(workDir, `${name}.zip`);
  const { sha256 } = await writeDeterministicZip(
    [{ path: 'handler.js', data: readFileSync(join(FIXTURES, file)) }],
    zipFile,
  );
  await writeFile(`${zipFile}.sha256`, sha256);
  const manifest = {
    name,
    memory: 128,
    timeout: 10,
    architecture: process.arch === 'arm64' ? 'arm64' : 'x86_64',
    runtimeDependencies: [],
  } as unknown as LambdaManifest;
  return new LocalLambda({
    manifest,
    zipFile,
    functionName: `slipway-test-${name}`,
    environment: { AWS_REGION: 'eu-west-1' },
    cacheDir: join(workDir, 'functions'),
    logFile: join(workDir, 'logs', `${name}.log`),
  });
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'gateway-'));
  lambdas = new Map([
    ['gw-route', await fixtureLambda('gw-route', 'route.cjs')],
    ['gw-authorizer', await fixtureLambda('gw-authorizer', 'authorizer.cjs')],
  ]);
  gateway = await startGateway({
    routes,
    authorizer: { lambda: 'gw-authorizer', identitySource: 'Authorization', cacheTtlSeconds: 300 },
    invoke: (name, event) => lambdas.get(name)!.invoke(event),
    schemas: EDGE_SCHEMAS,
    integrationTimeoutMs: 1500,
  });
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all([...(lambdas?.values() ?? [])].map((l) => l.stop()));
  await rm(workDir, { recursive: true, force: true });
});

const call = (path: string, init: RequestInit = {}) => fetch(`${gateway.url}${path}`, init);
/** The proxy event the fixture route echoes back. */
type ProxyEvent = ApiGatewayProxyEvent & { requestContext: { authorizer: unknown } };

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('routing and limits', () => {
  it.each([
    ['GET', '/nowhere'],
    ['POST', '/things/1'],
    ['GET', '/uploads'],
  ])('%s %s → 403 Missing Authentication Token', async (method, path) => {
    const res = await call(path, { method });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await res.text()).toBe('{"message":"Missing Authentication Token"}');
  });

  it("answers 413 over the route's maxBodyBytes, before the authorizer runs", async () => {
    const before = gateway.authorizerInvocations;
    const res = await call('/uploads', {
      method: 'POST',
      headers: bearer('member'),
      body: 'x'.repeat(1025),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('{"message":"Request Too Long"}');
    expect(gateway.authorizerInvocations).toBe(before);
  });

  it('answers 413 over 10 MB on any route', async () => {
    const res = await call('/files/big.bin', {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
  });
});

describe('the proxy event', () => {
  it('carries path, query, headers, parameters and the request context', async () => {
    const res = await call('/echo/a/b%20c?x=1&x=2&y=3', { headers: { 'X-Trace': 't1' } });
    expect(res.status).toBe(200);
    const event = (await res.json()) as ProxyEvent;
    expect(event).toMatchObject({
      resource: '/echo/{proxy+}',
      path: '/echo/a/b%20c',
      httpMethod: 'GET',
      queryStringParameters: { x: '2', y: '3' },
      multiValueQueryStringParameters: { x: ['1', '2'], y: ['3'] },
      pathParameters: { proxy: 'a/b c' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        stage: 'local',
        resourcePath: '/echo/{proxy+}',
        httpMethod: 'GET',
        path: '/local/echo/a/b%20c',
        identity: { sourceIp: '127.0.0.1' },
        authorizer: null,
        requestId: res.headers.get('x-amzn-requestid'),
      },
    });
    expect(event.headers?.['X-Trace']).toBe('t1');
    expect(event.multiValueHeaders?.['X-Trace']).toEqual(['t1']);
    expect(typeof event.requestContext.requestTimeEpoch).toBe('number');
  });

  it('passes a binary media type base64-encoded and maps a base64 result back to bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const sent = await call('/files/a/b.bin', {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const event = await sent.json();
    expect(event).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });

    const image = await call('/image');
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]),
    );
  });

  it('passes a JSON body as text', async () => {
    const body = JSON.stringify({ filename: 'a.jpg', contentType: 'image/jpeg', size: 10 });
    const res = await call('/uploads', {
      method: 'POST',
      headers: { ...bearer('member'), 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ body, isBase64Encoded: false });
  });

  it('refuses a body failing its schema with 400 (the request validator)', async () => {
    const res = await call('/uploads', {
      method: 'POST',
      headers: { ...bearer('member'), 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'a.jpg', contentType: 'image/jpeg', size: -1 }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('{"message":"Invalid request body"}');
  });
});

describe('the authorizer', () => {
  it('answers 401 without calling the authorizer when Authorization is missing', async () => {
    const before = gateway.authorizerInvocations;
    const res = await call('/things/1');
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('{"message":"Unauthorized"}');
    expect(gateway.authorizerInvocations).toBe(before);
  });

  it('answers 401 when the authorizer throws Unauthorized, 500 when it fails otherwise', async () => {
    const bad = await call('/things/1', { headers: bearer('bad') });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toBe('{"message":"Unauthorized"}');
    const crash = await call('/things/1', { headers: bearer('crash') });
    expect(crash.status).toBe(500);
    expect(await crash.text()).toBe('{"message":null}');
  });

  it.each([
    ['deny', 'GET', '/things/1'],
    ['member', 'DELETE', '/things/1'],
    ['none', 'GET', '/things/1'],
  ])('answers 403 for %s on %s %s', async (token, method, path) => {
    const res = await call(path, { method, headers: bearer(token) });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
  });

  it('caches the policy per Authorization header and passes principalId and context', async () => {
    // Prepare: a header value no earlier test sent, so the first request misses the cache.
    const token = bearer('member#cache');
    const before = gateway.authorizerInvocations;
    // Act
    const first = (await (await call('/things/1', { headers: token })).json()) as ProxyEvent;
    const second = (await (await call('/things/2', { headers: token })).json()) as ProxyEvent;
    // Assess: one authorizer run, for the first request; the second used the cached policy
    // (and, as in AWS, the context of the run that made it).
    expect(gateway.authorizerInvocations - before).toBe(1);
    const context = {
      principalId: 'user-member',
      userId: 'user-member',
      roles: 'member',
      invocation: expect.stringMatching(/^\d+$/),
      eventType: 'REQUEST',
      methodArn: `${gateway.methodArnPrefix}/GET/things/1`,
      resource: '/things/{id}',
    };
    expect(first.requestContext.authorizer).toEqual(context);
    expect(second.requestContext.authorizer).toEqual(first.requestContext.authorizer);
    expect(second.pathParameters).toEqual({ id: '2' });
    expect(gateway.methodArnPrefix).toBe('arn:aws:execute-api:eu-west-1:000000000000:local/local');
  });

  it('runs the authorizer again for another header value', async () => {
    const before = gateway.authorizerInvocations;
    const res = await call('/things/3', { headers: bearer('member#other') });
    expect(res.status).toBe(200);
    expect(gateway.authorizerInvocations).toBe(before + 1);
  });
});

describe('integration errors', () => {
  it('answers 502 when the Lambda fails or returns no proxy result', async () => {
    for (const [method, path] of [
      ['POST', '/fail'],
      ['GET', '/malformed'],
    ]) {
      const res = await call(path, { method });
      expect(res.status).toBe(502);
      expect(await res.text()).toBe('{"message":"Internal server error"}');
    }
  });

  it('answers 504 past the integration timeout', async () => {
    const res = await call('/slow');
    expect(res.status).toBe(504);
    expect(await res.text()).toBe('{"message":"Endpoint request timed out"}');
  });
});

describe('local identity', () => {
  it('mints RS256 tokens that verify against its JWKS, also from the identity file', async () => {
    const identity = await startLocalIdentity({ workDir });
    try {
      // What the authorizer checks (libs/edge's Supabase verifier, which the sandbox may not
      // import): RS256 from the JWKS URL, the issuer and the audience.
      const keys = createRemoteJWKSet(new URL(identity.jwksUrl));
      const verify = async (token: string) => {
        const { payload, protectedHeader } = await jwtVerify(token, keys, {
          issuer: identity.issuer,
          audience: 'authenticated',
          algorithms: ['RS256'],
        });
        return { alg: protectedHeader.alg, sub: payload.sub, app_metadata: payload.app_metadata };
      };
      expect(identity.issuer).toBe(`${identity.projectUrl}/auth/v1`);
      expect(identity.rolesClaim).toBe('app_metadata.roles');
      expect(await verify(await identity.mintToken({ sub: 'u-1', roles: ['member'] }))).toEqual({
        alg: 'RS256',
        sub: 'u-1',
        app_metadata: { roles: ['member'] },
      });
      // What `--token` does: sign from the identity file, without the running object.
      expect(await verify(await mintLocalToken(workDir, { roles: ['admin'] }))).toEqual({
        alg: 'RS256',
        sub: 'local-user-admin',
        app_metadata: { roles: ['admin'] },
      });
      const jwks = (await (await fetch(`${identity.projectUrl}/.well-known/jwks.json`)).json()) as {
        keys: Record<string, unknown>[];
      };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(jwks.keys[0].d).toBeUndefined();
      const expired = await identity.mintToken({ roles: ['member'], expiresIn: -3600 });
      await expect(verify(expired)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    } finally {
      await identity.close();
    }
    await expect(mintLocalToken(workDir, { roles: ['member'] })).rejects.toThrow(
      /start the sandbox with the gateway first/,
    );
  });
});

describe('local Secrets Manager', () => {
  it('answers GetSecretValue to the real SDK client through AWS_ENDPOINT_URL_SECRETS_MANAGER', async () => {
    const secrets = await startLocalSecrets({
      secrets: { 'slipway-local-stripe-webhook': 'whsec_local' },
    });
    const previous = process.env[SECRETS_MANAGER_ENDPOINT_ENV];
    process.env[SECRETS_MANAGER_ENDPOINT_ENV] = secrets.endpoint;
    try {
      const client = new SecretsManagerClient({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const got = await client.send(
        new GetSecretValueCommand({ SecretId: 'slipway-local-stripe-webhook' }),
      );
      expect(got).toMatchObject({
        Name: 'slipway-local-stripe-webhook',
        SecretString: 'whsec_local',
        VersionStages: ['AWSCURRENT'],
      });
      const byArn = await client.send(new GetSecretValueCommand({ SecretId: got.ARN }));
      expect(byArn.SecretString).toBe('whsec_local');
      secrets.put('slipway-local-stripe-webhook', '["whsec_new","whsec_local"]');
      const rotated = await client.send(
        new GetSecretValueCommand({ SecretId: 'slipway-local-stripe-webhook' }),
      );
      expect(rotated.SecretString).toBe('["whsec_new","whsec_local"]');
      expect(rotated.VersionId).not.toBe(got.VersionId);
      await expect(
        client.send(new GetSecretValueCommand({ SecretId: 'missing' })),
      ).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: expect.stringContaining('The sandbox holds: slipway-local-stripe-webhook.'),
      });
    } finally {
      if (previous === undefined) delete process.env[SECRETS_MANAGER_ENDPOINT_ENV];
      else process.env[SECRETS_MANAGER_ENDPOINT_ENV] = previous;
      await secrets.close();
    }
  });
});

describe('tracing', () => {
  const trace = {
    traceId: '1-6b110000-0123456789abcdef01234567',
    parentId: 'cccccccccccccccc',
  };
  let traced: Gateway;
  const written: XraySegmentDocument[] = [];
  const invoked: { name: string; trace?: TraceContext }[] = [];
  beforeAll(async () => {
    traced = await startGateway({
      routes,
      authorizer: { lambda: 'gw-authorizer', identitySource: 'Authorization', cacheTtlSeconds: 0 },
      invoke: (name, event, t) => (
        invoked.push({ name, trace: t }),
        lambdas.get(name)!.invoke(event)
      ),
      tracing: { write: (d) => written.push(d) },
      apiName: 'slipway-test-api',
      stage: 'test',
      functionNameOf: (name) => `slipway-test-${name}`,
    });
  });
  afterAll(() => traced?.close());

  it('writes the stage segment, joining X-Amzn-Trace-Id, with a Lambda subsegment per authorizer and integration call', async () => {
    const res = await fetch(`${traced.url}/things/7`, {
      headers: {
        ...bearer('member'),
        'X-Amzn-Trace-Id': `Root=${trace.traceId};Parent=${trace.parentId};Sampled=1`,
      },
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));

    const [segment] = written.filter((d) => d.trace_id === trace.traceId);
    expect(segment).toMatchObject({
      name: 'slipway-test-api/test',
      parent_id: trace.parentId,
      origin: 'AWS::ApiGateway::Stage',
      http: { request: { method: 'GET', url: '/things/7' }, response: { status: 200 } },
      aws: { api_id: 'local', stage: 'test', request_id: res.headers.get('x-amzn-requestid') },
    });
    expect(segment.fault ?? segment.error).toBeUndefined();
    const calls = segment.subsegments!;
    expect(calls.map((c) => [c.name, c.namespace, c.aws])).toEqual([
      [
        'Lambda',
        'aws',
        { operation: 'Invoke', function_name: 'slipway-test-gw-authorizer', region: 'eu-west-1' },
      ],
      [
        'Lambda',
        'aws',
        { operation: 'Invoke', function_name: 'slipway-test-gw-route', region: 'eu-west-1' },
      ],
    ]);
    expect(invoked.slice(-2)).toEqual([
      { name: 'gw-authorizer', trace: { traceId: trace.traceId, parentId: calls[0].id } },
      { name: 'gw-route', trace: { traceId: trace.traceId, parentId: calls[1].id } },
    ]);
  });

  it('starts a trace without a header and marks a 502 a fault with the failed call', async () => {
    const before = written.length;
    const res = await fetch(`${traced.url}/fail`, { method: 'POST' });
    expect(res.status).toBe(502);
    await new Promise((r) => setTimeout(r, 20));

    const [segment] = written.slice(before);
    expect(segment.trace_id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(segment.parent_id).toBeUndefined();
    expect(segment).toMatchObject({ fault: true, http: { response: { status: 502 } } });
    expect(segment.subsegments!.map((c) => [c.name, c.fault])).toEqual([['Lambda', true]]);
  });
});
