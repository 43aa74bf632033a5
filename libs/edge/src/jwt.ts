import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { EdgeConfigurationError, IdentityProviderError, TokenRejectedError } from './errors';

// Bearer-token verification for the REQUEST authorizer (issue 13): one verifier per identity
// provider, configured once per environment. The algorithm allow-list is fixed by the kind of
// key the provider has, never by the token: an asymmetric provider accepts RS256/ES256 only, so
// an HS256 token "signed" with the provider's public key is refused before any key is used
// (RFC 8725 §2.1 and §3.1, https://www.rfc-editor.org/rfc/rfc8725). `none` is never allowed.

/** Algorithms accepted from a provider that publishes a JWKS. */
export const ASYMMETRIC_ALGORITHMS = Object.freeze(['RS256', 'ES256'] as const);
/** Algorithms accepted from a provider configured with a shared secret. */
export const SHARED_SECRET_ALGORITHMS = Object.freeze(['HS256'] as const);
/** Default leeway for `exp` and `nbf`, in seconds: clocks of issuer and Lambda drift. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
/** Default wait before an unknown `kid` may refetch the JWKS again, in milliseconds. */
export const DEFAULT_JWKS_COOLDOWN_MS = 30_000;

/** A Cognito user pool: RS256 tokens, JWKS at `<issuer>/.well-known/jwks.json`. */
export interface CognitoProvider {
  readonly kind: 'cognito';
  /** For example `eu-west-1`. */
  readonly region: string;
  /** For example `eu-west-1_AbCdEf123`. */
  readonly userPoolId: string;
  /**
   * App client ids accepted: an ID token's `aud`, an access token's `client_id` (Cognito's
   * access tokens carry no `aud`).
   */
  readonly clientIds: readonly string[];
  /** Overrides where the JWKS is fetched (tests, the sandbox); defaults to the pool's. */
  readonly jwksUrl?: string;
}

/** A Supabase project's Auth: HS256 with the project's JWT secret, or its asymmetric JWKS. */
export interface SupabaseProvider {
  readonly kind: 'supabase';
  /** The project's URL, for example `https://abcd.supabase.co`; the issuer is `<url>/auth/v1`. */
  readonly projectUrl: string;
  /** Accepted `aud` values; Supabase signs user tokens for `authenticated`. */
  readonly audience?: readonly string[];
  /**
   * The project's JWT secret (from Secrets Manager, never an environment variable). With it
   * the verifier accepts HS256 only; without it, RS256/ES256 from the project's JWKS.
   */
  readonly jwtSecret?: string;
  /** Dotted path of the roles claim, for example `app_metadata.roles` or `user_role`. */
  readonly rolesClaim: string;
  /** Overrides where the JWKS is fetched (tests, the sandbox). */
  readonly jwksUrl?: string;
}

/** The identity provider of one environment. */
export type IdentityProvider = CognitoProvider | SupabaseProvider;

/** Knobs shared by every provider. */
export interface VerifierOptions {
  /** Leeway for `exp`/`nbf` in seconds (default {@link DEFAULT_CLOCK_TOLERANCE_SECONDS}). */
  readonly clockToleranceSeconds?: number;
  /** Minimum time between JWKS refetches on an unknown `kid` (default {@link DEFAULT_JWKS_COOLDOWN_MS}). */
  readonly jwksCooldownMs?: number;
  /** How long a fetched JWKS is trusted without refetching (default 10 minutes). */
  readonly jwksCacheMaxAgeMs?: number;
  /** JWKS fetch timeout in milliseconds (default 5000). */
  readonly jwksTimeoutMs?: number;
  /** The clock, for tests. */
  readonly currentDate?: () => Date;
}

/** Who the caller is, once the token verified. */
export interface VerifiedIdentity {
  /** The token's `sub`. */
  readonly userId: string;
  /** Role names from the provider's roles claim, deduplicated, in the token's order. */
  readonly roles: readonly string[];
  /** The verified claims, for callers that need more (never log them whole). */
  readonly claims: JWTPayload;
}

/** Verifies one bearer token; built once per cold start by {@link createTokenVerifier}. */
export type TokenVerifier = (token: string) => Promise<VerifiedIdentity>;

// One remote key set per JWKS URL for the life of the execution environment: jose caches the
// keys inside it, so warm invocations verify without a fetch.
const keySets = new Map<string, JWTVerifyGetKey>();

/** The issuer (`iss`) a provider's tokens carry. */
export function issuerOf(provider: IdentityProvider): string {
  return provider.kind === 'cognito'
    ? `https://cognito-idp.${provider.region}.amazonaws.com/${provider.userPoolId}`
    : `${provider.projectUrl.replace(/\/+$/, '')}/auth/v1`;
}

/** Where a provider's JWKS is published (or the configured override). */
export function jwksUrlOf(provider: IdentityProvider): string {
  if (provider.jwksUrl !== undefined) return provider.jwksUrl;
  return `${issuerOf(provider)}/.well-known/jwks.json`;
}

/**
 * Builds the verifier for one provider. Call it once at cold start and keep the result: the
 * JWKS it fetches is cached for the life of the execution environment.
 *
 * @throws {EdgeConfigurationError} for a provider configuration that cannot verify anything.
 * @example
 * const verify = createTokenVerifier({ kind: 'cognito', region: 'eu-west-1', userPoolId, clientIds: [clientId] });
 * const { userId, roles } = await verify(bearerTokenOf(event.headers));
 */
export function createTokenVerifier(
  provider: IdentityProvider,
  options: VerifierOptions = {},
): TokenVerifier {
  checkProvider(provider);
  const issuer = issuerOf(provider);
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const shared = provider.kind === 'supabase' && provider.jwtSecret !== undefined;
  const algorithms: readonly string[] = shared ? SHARED_SECRET_ALGORITHMS : ASYMMETRIC_ALGORITHMS;
  const key: Uint8Array | JWTVerifyGetKey = shared
    ? new TextEncoder().encode((provider as SupabaseProvider).jwtSecret)
    : keySetFor(jwksUrlOf(provider), options);
  const audience =
    provider.kind === 'supabase' ? [...(provider.audience ?? ['authenticated'])] : undefined;

  return async (token) => {
    // Refuse on the header alone first: an attack token (alg none, HS256 against a JWKS)
    // then costs no key lookup and no JWKS fetch.
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch (error) {
      throw rejected('malformed', { cause: error });
    }
    if (typeof alg !== 'string' || !algorithms.includes(alg)) {
      throw new TokenRejectedError(
        'alg_not_allowed',
        `The token's signing algorithm is not accepted by this API (accepted: ${algorithms.join(', ')}). Sign in again through ${issuer}.`,
      );
    }
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(token, key as Uint8Array, {
        issuer,
        audience,
        algorithms: [...algorithms],
        clockTolerance: tolerance,
        requiredClaims: ['sub', 'exp'],
        currentDate: options.currentDate?.(),
      });
      payload = verified.payload;
    } catch (error) {
      throw translate(error, issuer, tolerance);
    }
    if (provider.kind === 'cognito') checkCognitoClient(payload, provider.clientIds);
    return {
      userId: payload.sub as string,
      roles: rolesOf(
        payload,
        provider.kind === 'cognito' ? ['cognito:groups'] : provider.rolesClaim.split('.'),
      ),
      claims: payload,
    };
  };
}

/**
 * The bearer token of an `Authorization: Bearer <token>` header (names compared without case,
 * as HTTP does).
 *
 * @throws {TokenRejectedError} `malformed` when the header is missing or not a bearer token.
 */
export function bearerTokenOf(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
): string {
  const entry = Object.entries(headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'authorization',
  );
  const match = /^Bearer +([^\s]+)\s*$/i.exec(entry?.[1] ?? '');
  if (match === null) {
    throw new TokenRejectedError(
      'malformed',
      'The request has no "Authorization: Bearer <token>" header. Sign in and send the token you received.',
    );
  }
  return match[1] as string;
}

/**
 * The JWT of an `Authorization` header value as AppSync hands it to a Lambda authorizer
 * (`authorizationToken`): `Bearer <token>`, or the bare token (Cognito-style clients send it
 * alone). Only the header's value is seen here, so the scheme is optional, unlike
 * {@link bearerTokenOf}.
 *
 * @throws {TokenRejectedError} `malformed` when the value is empty, or holds more than a token.
 * @example
 * authorizationValueToken('Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln'); // 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln'
 */
export function authorizationValueToken(value: string | null | undefined): string {
  const match = /^(?:Bearer +)?([^\s]+)\s*$/i.exec(value?.trim() ?? '');
  if (match === null || /^bearer$/i.test(match[1] as string)) {
    throw new TokenRejectedError(
      'malformed',
      'The request has no token in its Authorization header (send "Bearer <token>" or the token alone). Sign in and send the token you received.',
    );
  }
  return match[1] as string;
}

function keySetFor(url: string, options: VerifierOptions): JWTVerifyGetKey {
  const cacheKey = JSON.stringify([
    url,
    options.jwksCooldownMs,
    options.jwksCacheMaxAgeMs,
    options.jwksTimeoutMs,
  ]);
  let keySet = keySets.get(cacheKey);
  if (keySet === undefined) {
    keySet = createRemoteJWKSet(new URL(url), {
      cooldownDuration: options.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
      cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
      timeoutDuration: options.jwksTimeoutMs ?? 5_000,
    });
    keySets.set(cacheKey, keySet);
  }
  return keySet;
}

function checkProvider(provider: IdentityProvider): void {
  if (provider.kind === 'cognito') {
    if (
      !/^[a-z]{2}(-[a-z]+)+-\d$/.test(provider.region) ||
      !/^[\w-]+_[0-9a-zA-Z]+$/.test(provider.userPoolId)
    ) {
      throw new EdgeConfigurationError(
        `Cognito provider needs a region like eu-west-1 and a user pool id like eu-west-1_AbC123 (got region "${provider.region}", pool "${provider.userPoolId}"): set both from the user pool's settings.`,
      );
    }
    if (provider.clientIds.length === 0) {
      throw new EdgeConfigurationError(
        'Cognito provider has no clientIds: list the app client ids whose tokens this API accepts.',
      );
    }
    return;
  }
  if (!/^https?:\/\/[^/]+/.test(provider.projectUrl)) {
    throw new EdgeConfigurationError(
      `Supabase provider needs projectUrl like https://<project>.supabase.co (got "${provider.projectUrl}").`,
    );
  }
  if (provider.jwtSecret !== undefined && provider.jwtSecret.length < 32) {
    // Never print the secret: its length is enough to act on.
    throw new EdgeConfigurationError(
      `Supabase jwtSecret is ${provider.jwtSecret.length} characters; HS256 needs at least 32. Use the project's JWT secret from its API settings.`,
    );
  }
  if (provider.rolesClaim.trim() === '') {
    throw new EdgeConfigurationError(
      'Supabase rolesClaim is empty: name the claim holding roles, for example app_metadata.roles or user_role.',
    );
  }
}

function checkCognitoClient(payload: JWTPayload, clientIds: readonly string[]): void {
  const use = payload['token_use'];
  const client = use === 'access' ? payload['client_id'] : use === 'id' ? payload.aud : undefined;
  const clients = Array.isArray(client) ? client : [client];
  if (!clients.some((c) => typeof c === 'string' && clientIds.includes(c))) {
    throw new TokenRejectedError(
      'bad_audience',
      'The token was issued for another app client of the user pool. Sign in through this application to get a token for it.',
    );
  }
}

function rolesOf(payload: JWTPayload, path: readonly string[]): string[] {
  let value: unknown = payload;
  for (const step of path) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[step]
        : undefined;
  }
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return [
    ...new Set(list.filter((role): role is string => typeof role === 'string' && role !== '')),
  ];
}

const MESSAGES = {
  not_yet_valid:
    "The token is not valid yet (its nbf is in the future). Check the issuer's clock, or retry shortly.",
  bad_signature:
    "The token's signature does not verify. Sign in again to get a token from the configured issuer.",
  unknown_kid:
    'The token was signed with a key the issuer does not publish. Sign in again to get a current token.',
  malformed:
    'The token is not a well-formed signed JWT. Send the token exactly as the issuer returned it.',
} as const;

function rejected(
  reason: keyof typeof MESSAGES,
  options?: { cause?: unknown },
): TokenRejectedError {
  return new TokenRejectedError(reason, MESSAGES[reason], options);
}

function translate(error: unknown, issuer: string, tolerance: number): Error {
  const cause = { cause: error };
  if (error instanceof errors.JWTExpired) {
    return new TokenRejectedError(
      'expired',
      `The token has expired (beyond the ${tolerance} s clock tolerance). Sign in again to get a new one.`,
      cause,
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return rejected('not_yet_valid', cause);
    if (error.claim === 'iss') {
      return new TokenRejectedError(
        'bad_issuer',
        `The token was not issued by ${issuer}. Sign in through that issuer.`,
        cause,
      );
    }
    if (error.claim === 'aud') {
      return new TokenRejectedError(
        'bad_audience',
        'The token was issued for another audience. Sign in through this application to get a token for it.',
        cause,
      );
    }
    return new TokenRejectedError(
      'malformed',
      `The token lacks a valid "${error.claim}" claim. Send a token the issuer made for users.`,
      cause,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return rejected('bad_signature', cause);
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenRejectedError(
      'alg_not_allowed',
      `The token's signing algorithm is not accepted. Sign in again through ${issuer}.`,
      cause,
    );
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return rejected('unknown_kid', cause);
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new IdentityProviderError(
      `The JWKS of ${issuer} could not be read (${error.code}). Check that the issuer is reachable from the authorizer.`,
      cause,
    );
  }
  if (
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return rejected('malformed', cause);
  }
  // A fetch failure (DNS, refused connection, HTTP status) is the provider's, not the caller's.
  return new IdentityProviderError(
    `The JWKS of ${issuer} could not be fetched. Check that the issuer is reachable from the authorizer.`,
    cause,
  );
}
