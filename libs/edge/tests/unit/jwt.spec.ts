import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type CryptoKey,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { createHmac } from 'node:crypto';
import {
  bearerTokenOf,
  createTokenVerifier,
  IdentityProviderError,
  issuerOf,
  type CognitoProvider,
  type SupabaseProvider,
  TokenRejectedError,
  type TokenRejection,
} from '../../src';

// Keys are generated here and the JWKS is served over real HTTP on loopback, so the verifier
// fetches and caches it exactly as it would from Cognito or Supabase.

const REGION = 'eu-west-1';
const POOL = 'eu-west-1_TestPool1';
const CLIENT = 'client-abc';
const SUPABASE_URL = 'https://abcd.supabase.co';
const SECRET = 'super-secret-jwt-token-with-at-least-32-characters';

interface Jwks {
  server: Server;
  url: string;
  keys: JWK[];
  hits: number;
}

let rsa: { publicKey: CryptoKey; privateKey: CryptoKey };
let ec: { publicKey: CryptoKey; privateKey: CryptoKey };
let other: { publicKey: CryptoKey; privateKey: CryptoKey };
let jwks: Jwks;

async function serveJwks(keys: JWK[]): Promise<Jwks> {
  const state = { keys, hits: 0 } as Jwks;
  state.server = createServer((_req, res) => {
    state.hits += 1;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return state;
}

beforeAll(async () => {
  rsa = await generateKeyPair('RS256', { extractable: true });
  ec = await generateKeyPair('ES256', { extractable: true });
  other = await generateKeyPair('RS256', { extractable: true });
  jwks = await serveJwks([
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ]);
});
afterAll(() => new Promise((resolve) => jwks.server.close(resolve)));

const now = () => Math.floor(Date.now() / 1000);
const cognito = (): CognitoProvider => ({
  kind: 'cognito',
  region: REGION,
  userPoolId: POOL,
  clientIds: [CLIENT],
  jwksUrl: jwks.url,
});
const cognitoIdClaims = (): JWTPayload => ({
  iss: issuerOf(cognito()),
  aud: CLIENT,
  sub: 'user-1',
  token_use: 'id',
  'cognito:groups': ['editor', 'viewer', 'editor'],
  iat: now(),
  exp: now() + 600,
});

async function sign(
  claims: JWTPayload,
  key: CryptoKey | Uint8Array = rsa.privateKey,
  header: { alg: string; kid?: string } = { alg: 'RS256', kid: 'rsa-1' },
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

const b64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Freezes the clock (Date only: timers and I/O run for real, the JWKS server needs them) so the
 * tolerance edges (29 s accepted, 31 s refused) do not depend on how long signing took on a
 * loaded machine.
 */
function freezeClock(): void {
  beforeEach(() => {
    jest.useFakeTimers({
      now: new Date('2026-12-01T12:00:00Z'),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
  });
  afterEach(() => jest.useRealTimers());
}

describe('createTokenVerifier: accepted tokens', () => {
  freezeClock();

  it('verifies a Cognito ID token (RS256) and maps cognito:groups to roles', async () => {
    // Prepare
    const token = await sign(cognitoIdClaims());

    // Act
    const identity = await createTokenVerifier(cognito())(token);

    // Assess
    expect({ userId: identity.userId, roles: identity.roles }).toEqual({
      userId: 'user-1',
      roles: ['editor', 'viewer'],
    });
  });

  it('verifies a Cognito access token (ES256) by its client_id', async () => {
    // Prepare
    const { aud: _aud, ...claims } = cognitoIdClaims();
    const token = await sign({ ...claims, token_use: 'access', client_id: CLIENT }, ec.privateKey, {
      alg: 'ES256',
      kid: 'ec-1',
    });

    // Act
    const identity = await createTokenVerifier(cognito())(token);

    // Assess
    expect(identity.roles).toEqual(['editor', 'viewer']);
  });

  it('accepts a token expired 29 s ago (inside the 30 s tolerance)', async () => {
    // Prepare
    const token = await sign({ ...cognitoIdClaims(), exp: now() - 29 });

    // Act
    const identity = await createTokenVerifier(cognito())(token);

    // Assess
    expect(identity.userId).toBe('user-1');
  });

  it('verifies a Supabase HS256 token with the project secret, roles from app_metadata.roles', async () => {
    // Prepare
    const provider: SupabaseProvider = {
      kind: 'supabase',
      projectUrl: SUPABASE_URL,
      jwtSecret: SECRET,
      rolesClaim: 'app_metadata.roles',
    };
    const token = await sign(
      {
        iss: `${SUPABASE_URL}/auth/v1`,
        aud: 'authenticated',
        sub: 'b5f3c2a0-0000-4000-8000-000000000001',
        role: 'authenticated',
        app_metadata: { roles: ['admin'] },
        exp: now() + 600,
      },
      new TextEncoder().encode(SECRET),
      { alg: 'HS256' },
    );

    // Act
    const identity = await createTokenVerifier(provider)(token);

    // Assess
    expect({ userId: identity.userId, roles: identity.roles }).toEqual({
      userId: 'b5f3c2a0-0000-4000-8000-000000000001',
      roles: ['admin'],
    });
  });

  it('verifies a Supabase ES256 token from its JWKS, a single-string user_role claim', async () => {
    // Prepare
    const provider: SupabaseProvider = {
      kind: 'supabase',
      projectUrl: SUPABASE_URL,
      rolesClaim: 'user_role',
      jwksUrl: jwks.url,
    };
    const token = await sign(
      {
        iss: `${SUPABASE_URL}/auth/v1`,
        aud: 'authenticated',
        sub: 'u-2',
        user_role: 'editor',
        exp: now() + 60,
      },
      ec.privateKey,
      { alg: 'ES256', kid: 'ec-1' },
    );

    // Act
    const identity = await createTokenVerifier(provider)(token);

    // Assess
    expect(identity.roles).toEqual(['editor']);
  });
});

describe('createTokenVerifier: refused tokens', () => {
  freezeClock();

  const publicPem = async () => exportSPKI(rsa.publicKey);

  const cases: [what: string, token: () => Promise<string>, reason: TokenRejection][] = [
    ['expired 31 s ago', () => sign({ ...cognitoIdClaims(), exp: now() - 31 }), 'expired'],
    ['nbf 31 s ahead', () => sign({ ...cognitoIdClaims(), nbf: now() + 31 }), 'not_yet_valid'],
    [
      'another issuer',
      () =>
        sign({
          ...cognitoIdClaims(),
          iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other',
        }),
      'bad_issuer',
    ],
    [
      'another app client',
      () => sign({ ...cognitoIdClaims(), aud: 'client-other' }),
      'bad_audience',
    ],
    [
      'alg none',
      async () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(cognitoIdClaims())}.`,
      'alg_not_allowed',
    ],
    [
      'HS256 signed with the issuer public key (key confusion)',
      async () => {
        const header = b64url({ alg: 'HS256', kid: 'rsa-1' });
        const body = b64url(cognitoIdClaims());
        const mac = createHmac('sha256', await publicPem())
          .update(`${header}.${body}`)
          .digest('base64url');
        return `${header}.${body}.${mac}`;
      },
      'alg_not_allowed',
    ],
    [
      'RS384 (a real algorithm, not on the list)',
      async () => `${b64url({ alg: 'RS384', kid: 'rsa-1' })}.${b64url(cognitoIdClaims())}.c2ln`,
      'alg_not_allowed',
    ],
    [
      'an unknown kid',
      () => sign(cognitoIdClaims(), other.privateKey, { alg: 'RS256', kid: 'rsa-9' }),
      'unknown_kid',
    ],
    [
      'a signature by another key under a known kid',
      () => sign(cognitoIdClaims(), other.privateKey),
      'bad_signature',
    ],
    [
      'a changed payload',
      async () => {
        const [h, , s] = (await sign(cognitoIdClaims())).split('.');
        return `${h}.${b64url({ ...cognitoIdClaims(), 'cognito:groups': ['admin'] })}.${s}`;
      },
      'bad_signature',
    ],
    ['no sub', async () => sign({ ...cognitoIdClaims(), sub: undefined }), 'malformed'],
    ['no exp', async () => sign({ ...cognitoIdClaims(), exp: undefined }), 'malformed'],
    ['not a JWT', async () => 'not-a-jwt', 'malformed'],
    [
      'two segments only',
      async () => (await sign(cognitoIdClaims())).split('.').slice(0, 2).join('.'),
      'malformed',
    ],
  ];

  it.each(cases)('refuses %s', async (_what, make, reason) => {
    // Prepare
    const token = await make();
    const verify = createTokenVerifier(cognito(), { jwksCooldownMs: 60_000 });

    // Act
    const error = await verify(token).then(
      () => undefined,
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(TokenRejectedError);
    expect((error as TokenRejectedError).reason).toBe(reason);
    expect((error as Error).message).not.toContain(token);
    expect((error as Error).message).not.toContain('user-1');
  });

  it('refuses an RS256 token where Supabase is configured with its HS256 secret', async () => {
    // Prepare
    const provider: SupabaseProvider = {
      kind: 'supabase',
      projectUrl: SUPABASE_URL,
      jwtSecret: SECRET,
      rolesClaim: 'user_role',
    };
    const token = await sign({
      iss: `${SUPABASE_URL}/auth/v1`,
      aud: 'authenticated',
      sub: 'u',
      exp: now() + 60,
    });

    // Act
    const error = await createTokenVerifier(provider)(token).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'TokenRejectedError', reason: 'alg_not_allowed' });
  });

  it('refuses a Supabase token for another audience', async () => {
    // Prepare
    const provider: SupabaseProvider = {
      kind: 'supabase',
      projectUrl: SUPABASE_URL,
      jwtSecret: SECRET,
      rolesClaim: 'user_role',
    };
    const token = await sign(
      { iss: `${SUPABASE_URL}/auth/v1`, aud: 'anon', sub: 'u', exp: now() + 60 },
      new TextEncoder().encode(SECRET),
      { alg: 'HS256' },
    );

    // Act
    const error = await createTokenVerifier(provider)(token).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'TokenRejectedError', reason: 'bad_audience' });
  });
});

describe('createTokenVerifier: JWKS cache', () => {
  it('fetches the JWKS once across verifications and refetches at most once per cooldown for unknown kids', async () => {
    // Prepare
    const own = await serveJwks([
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256' },
    ]);
    const verify = createTokenVerifier(
      { ...cognito(), jwksUrl: own.url },
      { jwksCooldownMs: 60_000 },
    );
    const good = await sign(cognitoIdClaims());
    const unknown = await sign(cognitoIdClaims(), other.privateKey, { alg: 'RS256', kid: 'rsa-9' });

    // Act
    await verify(good);
    await verify(good);
    const first = await verify(unknown).catch((e: TokenRejectedError) => e.reason);
    const second = await verify(unknown).catch((e: TokenRejectedError) => e.reason);
    await new Promise((resolve) => own.server.close(resolve));

    // Assess
    expect([first, second, own.hits]).toEqual(['unknown_kid', 'unknown_kid', 1]);
  });

  it('picks up a rotated key on an unknown kid once the cooldown has passed', async () => {
    // Prepare
    const own = await serveJwks([
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256' },
    ]);
    const verify = createTokenVerifier({ ...cognito(), jwksUrl: own.url }, { jwksCooldownMs: 0 });
    await verify(await sign(cognitoIdClaims()));
    own.keys.push({ ...(await exportJWK(other.publicKey)), kid: 'rsa-2', alg: 'RS256' });

    // Act
    const identity = await verify(
      await sign(cognitoIdClaims(), other.privateKey, { alg: 'RS256', kid: 'rsa-2' }),
    );
    await new Promise((resolve) => own.server.close(resolve));

    // Assess
    expect([identity.userId, own.hits]).toEqual(['user-1', 2]);
  });

  it("reports an unreachable JWKS as the provider's failure, not the token's", async () => {
    // Prepare
    const gone = await serveJwks([]);
    await new Promise((resolve) => gone.server.close(resolve));
    const verify = createTokenVerifier({ ...cognito(), jwksUrl: gone.url });

    // Act
    const error = await verify(await sign(cognitoIdClaims())).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(IdentityProviderError);
    expect((error as Error).message).toBe(
      `The JWKS of ${issuerOf(cognito())} could not be fetched. Check that the issuer is reachable from the authorizer.`,
    );
  });
});

describe('bearerTokenOf', () => {
  it("reads the token whatever the header name's case", () => {
    expect(bearerTokenOf({ authorization: 'Bearer abc.def.ghi' })).toBe('abc.def.ghi');
    expect(bearerTokenOf({ Authorization: 'bearer abc.def.ghi' })).toBe('abc.def.ghi');
  });

  it.each([
    [null],
    [{}],
    [{ Authorization: 'Basic dXNlcjpwdw==' }],
    [{ Authorization: 'Bearer ' }],
  ])('refuses %j as malformed', (headers) => {
    expect(() => bearerTokenOf(headers)).toThrow(
      expect.objectContaining({
        reason: 'malformed',
        message:
          'The request has no "Authorization: Bearer <token>" header. Sign in and send the token you received.',
      }),
    );
  });
});
