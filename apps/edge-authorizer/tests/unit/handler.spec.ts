import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { SignJWT } from 'jose';

// The whole path the deployed function runs: environment → config → the HS256 secret read by
// name from Secrets Manager (mocked) → jose verification → the route policy.

const JWT_SECRET = 'supabase-test-jwt-secret-0123456789abcdef';
const ISSUER = 'https://abcd.supabase.co/auth/v1';
const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/dev';
const ENV = {
  AWS_REGION: 'eu-west-1',
  JWT_PROVIDER: 'supabase',
  JWT_ISSUER: ISSUER,
  JWT_AUDIENCE: 'authenticated',
  JWT_ROLES_CLAIM: 'app_metadata.roles',
  JWT_SECRET_NAME: 'slipway/dev/supabase-jwt-secret',
  ROUTE_ROLES: JSON.stringify([
    { method: 'POST', path: '/uploads', roles: ['member'] },
    { method: 'DELETE', path: '/things/{id}', roles: ['admin'] },
  ]),
};
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-edge-authorizer' } as Context;
const fixture = JSON.parse(
  readFileSync(join(__dirname, '../events/api-gateway/authorizer-request.json'), 'utf8'),
);
/** AppSync's authorizer event of the GraphQL API (AWS_LAMBDA auth). */
const appSyncFixture = JSON.parse(
  readFileSync(join(__dirname, '../events/appsync/authorizer-request.json'), 'utf8'),
);

async function token(claims: { exp?: number; roles?: string[] } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ app_metadata: { roles: claims.roles ?? ['member'] } })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setIssuer(ISSUER)
    .setAudience('authenticated')
    .setIssuedAt(now - 60)
    .setExpirationTime(claims.exp ?? now + 600)
    .sign(new TextEncoder().encode(JWT_SECRET));
}

const appSyncWithToken = (value: string) => ({
  ...appSyncFixture,
  authorizationToken: `Bearer ${value}`,
  requestHeaders: { ...appSyncFixture.requestHeaders, authorization: `Bearer ${value}` },
});
/** The EMF lines of the `AuthorizerDecisions` metric, as `[api, outcome]`. */
const decisionsIn = (logs: string[]) =>
  logs
    .filter((l) => l.includes('"AuthorizerDecisions"'))
    .map((l) => JSON.parse(l) as { api: string; outcome: string })
    .map((m) => [m.api, m.outcome]);

const withToken = (value: string) => ({
  ...fixture,
  headers: { ...fixture.headers, Authorization: `Bearer ${value}` },
  multiValueHeaders: undefined,
});

type Handler = (typeof import('../../src/handler'))['handler'];
let secretsManager: AwsClientStub<SecretsManager.SecretsManagerClient>;
let GetSecretValue: typeof SecretsManager.GetSecretValueCommand;

/**
 * A new execution environment: fresh modules (the handler keeps its configuration per
 * environment), with Secrets Manager answering the JWT secret by name.
 */
function loadHandler(): Handler {
  jest.resetModules();
  const sdk = jest.requireActual<typeof SecretsManager>('@aws-sdk/client-secrets-manager');
  GetSecretValue = sdk.GetSecretValueCommand;
  secretsManager = mockClient(sdk.SecretsManagerClient);
  secretsManager
    .on(GetSecretValue, { SecretId: ENV.JWT_SECRET_NAME })
    .resolves({ SecretString: JWT_SECRET });
  return jest.requireActual<typeof import('../../src/handler')>('../../src/handler').handler;
}

describe('edge-authorizer handler', () => {
  const saved = { ...process.env };
  let logs: string[];
  beforeEach(() => {
    Object.assign(process.env, ENV);
    logs = [];
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, 'write').mockImplementation((chunk) => {
        logs.push(String(chunk));
        return true;
      });
    }
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('allows the routes of the caller’s roles and denies the others', async () => {
    const handler = loadHandler();

    const result = await handler(withToken(await token()), context);

    expect(result).toEqual({
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${PREFIX}/POST/uploads`] },
          { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${PREFIX}/DELETE/things/*`] },
        ],
      },
      context: { userId: 'user-1', roles: 'member' },
    });
    expect(secretsManager.commandCalls(GetSecretValue)).toHaveLength(1);
  });

  it('reads the secret once per execution environment', async () => {
    const handler = loadHandler();

    await handler(withToken(await token()), context);
    await handler(withToken(await token({ roles: ['admin'] })), context);

    expect(secretsManager.commandCalls(GetSecretValue)).toHaveLength(1);
  });

  it('answers Unauthorized for an expired token, logging the reason once and never the token', async () => {
    const handler = loadHandler();
    const expired = await token({ exp: Math.floor(Date.now() / 1000) - 3600 });

    await expect(handler(withToken(expired), context)).rejects.toThrow(/^Unauthorized$/);

    const lines = logs.filter((l) => l.includes('"level"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'ERROR',
      error: { message: 'Unauthorized', reason: 'expired' },
    });
    expect(logs.join('')).not.toContain(expired);
    expect(logs.join('')).not.toContain(JWT_SECRET);
  });

  it('answers Unauthorized for a request without a bearer token', async () => {
    const handler = loadHandler();
    const { Authorization: _dropped, ...headers } = fixture.headers;

    await expect(
      handler({ ...fixture, headers, multiValueHeaders: undefined }, context),
    ).rejects.toThrow(/^Unauthorized$/);
  });

  it('answers AppSync isAuthorized true with the caller’s context, counted as APPSYNC', async () => {
    // Prepare
    const handler = loadHandler();

    // Act
    const result = await handler(
      appSyncWithToken(await token({ roles: ['member', 'admin'] })),
      context,
    );

    // Assess
    expect(result).toEqual({
      isAuthorized: true,
      resolverContext: { userId: 'user-1', roles: 'member,admin' },
      ttlOverride: 300,
    });
    expect(decisionsIn(logs)).toEqual([['APPSYNC', 'AUTHORIZED']]);
  });

  it('answers AppSync isAuthorized false for an expired token, logging the reason once and never the token', async () => {
    // Prepare
    const handler = loadHandler();
    const expired = await token({ exp: Math.floor(Date.now() / 1000) - 3600 });

    // Act
    const result = await handler(appSyncWithToken(expired), context);

    // Assess
    expect(result).toEqual({ isAuthorized: false });
    const lines = logs.filter((l) => l.includes('"level"')).map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.level, l.message, l.reason])).toEqual([
      ['WARN', 'Refused', 'expired'],
    ]);
    expect(decisionsIn(logs)).toEqual([['APPSYNC', 'expired']]);
    expect(logs.join('')).not.toContain(expired);
  });

  it('counts a REST decision as REST', async () => {
    const handler = loadHandler();

    await handler(withToken(await token()), context);

    expect(decisionsIn(logs)).toEqual([['REST', 'AUTHORIZED']]);
  });

  it('fails naming the field for a malformed AppSync event', async () => {
    // Prepare
    const handler = loadHandler();
    const event = appSyncWithToken(await token());
    event.requestContext = { ...event.requestContext, apiId: '' };

    // Act + Assess
    await expect(handler(event, context)).rejects.toThrow(
      'Invalid authorizer event: requestContext.apiId: Too small: expected string to have >=1 characters (AppSync authorizer event)',
    );
  });

  it('fails naming the variable when the environment lacks ROUTE_ROLES', async () => {
    delete process.env.ROUTE_ROLES;
    const handler = loadHandler();

    await expect(handler(withToken(await token()), context)).rejects.toThrow(
      'ROUTE_ROLES is missing: set it to the JWT routes of the API as JSON (routeTable).',
    );
  });
});
