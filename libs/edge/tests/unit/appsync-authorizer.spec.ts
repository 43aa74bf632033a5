import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import {
  type AppSyncAuthorizerEvent,
  AppSyncAuthorizerEventSchema,
  AppSyncAuthorizerResultSchema,
  EdgeAuthorizerEventSchema,
  parseEvent,
} from '@slipway/events';
import {
  appSyncAuthorizerResult,
  authorizationValueToken,
  authorizeAppSync,
  createTokenVerifier,
  IdentityProviderError,
  type TokenVerifier,
} from '../../src';

// The GraphQL API's side of the edge authorizer (AppSync AWS_LAMBDA auth). Tokens are real HS256
// JWTs checked by the real verifier (a Supabase provider with its shared secret: no network), at
// a fixed clock so the cache TTL can be pinned.

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters';
const ISSUER = 'https://abcd.supabase.co/auth/v1';
const NOW = 1_800_000_000;
const raw = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '../events', name), 'utf8'));
const appSyncEvent = (): AppSyncAuthorizerEvent =>
  AppSyncAuthorizerEventSchema.parse(raw('appsync/authorizer-request.json'));
const withToken = (authorizationToken: string): AppSyncAuthorizerEvent => ({
  ...appSyncEvent(),
  authorizationToken,
});

const verify = createTokenVerifier(
  {
    kind: 'supabase',
    projectUrl: 'https://abcd.supabase.co',
    jwtSecret: SECRET,
    rolesClaim: 'app_metadata.roles',
  },
  { currentDate: () => new Date(NOW * 1000) },
);
const deps = { verify, now: () => NOW };

/** The error parsing `event` as the handler does throws, as `{ name, message }`. */
function failureOf(event: unknown): { name: string; message: string } | undefined {
  try {
    parseEvent(EdgeAuthorizerEventSchema, event, 'authorizer event');
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  return undefined;
}

async function token(change: { exp?: number; iss?: string; roles?: string[] } = {}) {
  return new SignJWT({ app_metadata: { roles: change.roles ?? ['member', 'admin'] } })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setIssuer(change.iss ?? ISSUER)
    .setAudience('authenticated')
    .setIssuedAt(NOW - 60)
    .setExpirationTime(change.exp ?? NOW + 3600)
    .sign(new TextEncoder().encode(SECRET));
}

describe('EdgeAuthorizerEventSchema', () => {
  it('tells an AppSync event from an API Gateway REQUEST event by its shape', () => {
    // Act
    const appSync = EdgeAuthorizerEventSchema.parse(raw('appsync/authorizer-request.json'));
    const rest = EdgeAuthorizerEventSchema.parse(raw('api-gateway/authorizer-request.json'));

    // Assess
    expect([appSync.api, appSync.event.requestContext.requestId]).toEqual([
      'APPSYNC',
      '5e2b6a1c-7f3d-4c1e-9a8b-0d6f2e4c8a10',
    ]);
    expect([rest.api, rest.event.requestContext.requestId]).toEqual([
      'REST',
      'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    ]);
  });

  it.each<[string, (event: Record<string, unknown>) => void, string]>([
    [
      'a requestId that is no string',
      (event) => {
        (event['requestContext'] as Record<string, unknown>)['requestId'] = 42;
      },
      'requestContext.requestId: Invalid input: expected string, received number (AppSync authorizer event)',
    ],
    [
      'an account id that is not 12 digits',
      (event) => {
        (event['requestContext'] as Record<string, unknown>)['accountId'] = '1234';
      },
      'requestContext.accountId: must be a 12-digit AWS account id (AppSync authorizer event)',
    ],
    [
      'no authorizationToken',
      (event) => {
        delete event['authorizationToken'];
      },
      'authorizationToken: Invalid input: expected string, received undefined (AppSync authorizer event)',
    ],
  ])('refuses an AppSync event with %s, naming the field', (_case, breakIt, message) => {
    // Prepare
    const event = raw('appsync/authorizer-request.json');
    breakIt(event);

    // Act + Assess
    expect(failureOf(event)).toEqual({
      name: 'EventParseError',
      message: `Invalid authorizer event: ${message}`,
    });
  });

  it('refuses an event of neither kind, saying what it accepts', () => {
    expect(failureOf({ requestContext: {} })).toEqual({
      name: 'EventParseError',
      message:
        'Invalid authorizer event: (root): is neither an API Gateway REQUEST authorizer event (type "REQUEST", methodArn) nor an AppSync authorizer event (authorizationToken, requestContext.queryString): invoke this function only as the REST API authorizer or the GraphQL API Lambda authorizer',
    });
  });
});

describe('AppSyncAuthorizerResultSchema', () => {
  it('admits the authorized answer and refuses a resolverContext value that is no string', () => {
    const answer = appSyncAuthorizerResult(
      { userId: 'user-1', roles: ['member'] },
      { expiresAt: NOW + 60, now: NOW },
    );
    const numeric = { ...answer, resolverContext: { userId: 'user-1', roles: 3 } };

    expect(AppSyncAuthorizerResultSchema.parse(answer)).toEqual(answer);
    expect(AppSyncAuthorizerResultSchema.safeParse(numeric).error?.issues[0]?.path).toEqual([
      'resolverContext',
      'roles',
    ]);
  });
});

describe('appSyncAuthorizerResult', () => {
  it.each([
    ['an hour left: the 300 s cap', NOW + 3600, undefined, 300],
    ['two minutes left: the token’s remaining life', NOW + 120, undefined, 120],
    ['expired inside the clock tolerance: no caching', NOW - 10, undefined, 0],
    ['a smaller cap', NOW + 3600, 60, 60],
    ['a cap beyond AppSync’s 3600 s', NOW + 7200, 5000, 3600],
  ])('caches %s', (_case, expiresAt, maxTtlSeconds, ttl) => {
    expect(
      appSyncAuthorizerResult(
        { userId: 'u-1', roles: [] },
        { expiresAt, now: NOW, ...(maxTtlSeconds ? { maxTtlSeconds } : {}) },
      ),
    ).toEqual({
      isAuthorized: true,
      resolverContext: { userId: 'u-1', roles: '' },
      ttlOverride: ttl,
    });
  });
});

describe('authorizationValueToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer   abc.def.ghi ', 'abc.def.ghi'],
    ['abc.def.ghi', 'abc.def.ghi'],
  ])('takes the token of %j', (value, expected) => {
    expect(authorizationValueToken(value)).toBe(expected);
  });

  it.each(['', '   ', 'Bearer', 'Bearer ', 'Bearer a b'])('refuses %j as malformed', (value) => {
    expect(() => authorizationValueToken(value)).toThrow(
      expect.objectContaining({
        name: 'TokenRejectedError',
        reason: 'malformed',
        message:
          'The request has no token in its Authorization header (send "Bearer <token>" or the token alone). Sign in and send the token you received.',
      }),
    );
  });
});

describe('authorizeAppSync', () => {
  it('admits a valid token with the caller’s id and roles as strings, cached at most 300 s', async () => {
    // Prepare
    const event = withToken(`Bearer ${await token()}`);

    // Act
    const decision = await authorizeAppSync(event, deps);

    // Assess
    expect(decision).toEqual({
      status: 'authorized',
      result: {
        isAuthorized: true,
        resolverContext: { userId: 'user-1', roles: 'member,admin' },
        ttlOverride: 300,
      },
    });
  });

  it('admits a bare token (no Bearer), cached no longer than it lives', async () => {
    const decision = await authorizeAppSync(withToken(await token({ exp: NOW + 45 })), deps);

    expect(decision).toEqual({
      status: 'authorized',
      result: {
        isAuthorized: true,
        resolverContext: { userId: 'user-1', roles: 'member,admin' },
        ttlOverride: 45,
      },
    });
  });

  it.each<[string, () => Promise<string>, string]>([
    ['an expired token', () => token({ exp: NOW - 3600 }), 'expired'],
    [
      'a token of another issuer',
      () => token({ iss: 'https://evil.example/auth/v1' }),
      'bad_issuer',
    ],
    ['a token that is no JWT', async () => 'not-a-jwt', 'malformed'],
  ])('refuses %s with isAuthorized false and the reason', async (_case, make, reason) => {
    const decision = await authorizeAppSync(withToken(`Bearer ${await make()}`), deps);

    expect(decision).toEqual({ status: 'unauthorized', reason, result: { isAuthorized: false } });
  });

  it('refuses a request without a token as malformed, never calling the verifier', async () => {
    // Prepare
    const spy = jest.fn<ReturnType<TokenVerifier>, Parameters<TokenVerifier>>();

    // Act
    const decision = await authorizeAppSync(withToken(''), { verify: spy, now: () => NOW });

    // Assess
    expect([decision, spy.mock.calls.length]).toEqual([
      { status: 'unauthorized', reason: 'malformed', result: { isAuthorized: false } },
      0,
    ]);
  });

  it('lets an identity provider failure through (a failed invocation, not a refusal)', async () => {
    const down: TokenVerifier = async () => {
      throw new IdentityProviderError('The JWKS could not be fetched.');
    };

    await expect(
      authorizeAppSync(withToken('Bearer a.b.c'), { verify: down, now: () => NOW }),
    ).rejects.toThrow(IdentityProviderError);
  });
});
