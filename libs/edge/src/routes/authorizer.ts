import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type {
  ApiGatewayRequestAuthorizerEvent,
  AppSyncAuthorizerEvent,
  AppSyncAuthorizerResult,
  AuthorizerResult,
} from '@slipway/events';
import {
  APPSYNC_REFUSED,
  appSyncAuthorizerResult,
  type AuthorizedRoute,
  authorizerResult,
  methodArnPrefixOf,
} from '../authorize';
import type { AuthorizerConfig } from '../config';
import { EdgeConfigurationError, TokenRejectedError, type TokenRejection } from '../errors';
import {
  authorizationValueToken,
  bearerTokenOf,
  type IdentityProvider,
  type TokenVerifier,
} from '../jwt';
import type { SecretReader } from './stripe-webhook';

/**
 * What the authorizer Lambda must throw for API Gateway to answer 401: exactly this message
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html).
 */
export const UNAUTHORIZED = 'Unauthorized';

/** What the REQUEST authorizer decided. */
export type AuthorizerDecision =
  | { readonly status: 'authorized'; readonly result: AuthorizerResult }
  | { readonly status: 'unauthorized'; readonly reason: TokenRejection };

/**
 * The REQUEST authorizer: the bearer token of the request is verified and, if it holds, the
 * policy covers every route of the API by the caller's roles ({@link authorizerResult}). A
 * refused token is `unauthorized` with its reason, for the handler to log and then
 * `throw new Error(UNAUTHORIZED)` (401, no detail); a role without the route gets a Deny in the
 * policy (403). An unreachable identity provider throws (`IdentityProviderError`, a 500).
 *
 * @example
 * const decision = await authorizeRequest(event, { verify, routes });
 * if (decision.status === 'unauthorized') { logger.warn('token refused', decision); throw new Error(UNAUTHORIZED); }
 * return decision.result;
 */
export async function authorizeRequest(
  event: ApiGatewayRequestAuthorizerEvent,
  deps: { readonly verify: TokenVerifier; readonly routes: readonly AuthorizedRoute[] },
): Promise<AuthorizerDecision> {
  const prefix = methodArnPrefixOf(event.methodArn);
  try {
    const identity = await deps.verify(bearerTokenOf(event.headers));
    return { status: 'authorized', result: authorizerResult(identity, deps.routes, prefix) };
  } catch (error) {
    if (error instanceof TokenRejectedError)
      return { status: 'unauthorized', reason: error.reason };
    throw error;
  }
}

/** What the authorizer decided for AppSync: both outcomes are answers, never a thrown error. */
export type AppSyncAuthorizerDecision =
  | { readonly status: 'authorized'; readonly result: AppSyncAuthorizerResult }
  | {
      readonly status: 'unauthorized';
      readonly reason: TokenRejection;
      readonly result: AppSyncAuthorizerResult;
    };

/**
 * The same authorizer for a GraphQL API (AppSync `AWS_LAMBDA` auth): the token of
 * `authorizationToken` (`Bearer <jwt>` or bare) is verified by the same verifier as the REST
 * API's. A valid one is `isAuthorized: true` with `resolverContext` `{ userId, roles }` and a
 * TTL within the token's life ({@link appSyncAuthorizerResult}); a refused one is
 * `isAuthorized: false` with its reason for the log (AppSync answers `UnauthorizedException`).
 * An unreachable identity provider throws (`IdentityProviderError`), as for the REST API.
 *
 * @example
 * const decision = await authorizeAppSync(event, { verify });
 * if (decision.status === 'unauthorized') logger.warn('Refused', { reason: decision.reason });
 * return decision.result;
 */
export async function authorizeAppSync(
  event: AppSyncAuthorizerEvent,
  deps: {
    readonly verify: TokenVerifier;
    /** Unix seconds now (tests); defaults to the clock. */
    readonly now?: () => number;
    readonly maxTtlSeconds?: number;
  },
): Promise<AppSyncAuthorizerDecision> {
  try {
    const identity = await deps.verify(authorizationValueToken(event.authorizationToken));
    const now = deps.now?.() ?? Date.now() / 1000;
    return {
      status: 'authorized',
      result: appSyncAuthorizerResult(identity, {
        // `exp` is a required claim of the verifier: it never admits a token without one.
        expiresAt: identity.claims.exp as number,
        now,
        ...(deps.maxTtlSeconds !== undefined ? { maxTtlSeconds: deps.maxTtlSeconds } : {}),
      }),
    };
  } catch (error) {
    if (error instanceof TokenRejectedError)
      return { status: 'unauthorized', reason: error.reason, result: { ...APPSYNC_REFUSED } };
    throw error;
  }
}

/**
 * The identity provider of an {@link AuthorizerConfig}, with the Supabase JWT secret read from
 * Secrets Manager (Powertools Parameters) when `jwtSecretName` is set. Call once per execution
 * environment: the secret is read once and kept with the verifier.
 *
 * @throws {EdgeConfigurationError} when the secret is empty or not a string (its value is
 * never printed).
 * @example
 * const verify = createTokenVerifier(await identityProviderOf(authorizerConfigFromEnv(process.env)));
 */
export async function identityProviderOf(
  config: AuthorizerConfig,
  options: { read?: SecretReader } = {},
): Promise<IdentityProvider> {
  if (config.jwtSecretName === undefined || config.provider.kind !== 'supabase')
    return config.provider;
  const read: SecretReader = options.read ?? ((id, opts) => getSecret(id, opts));
  const value = await read(config.jwtSecretName, { maxAge: 300 });
  if (typeof value !== 'string' || value.trim() === '') {
    throw new EdgeConfigurationError(
      `Secret ${config.jwtSecretName} holds no JWT secret: store the Supabase project's JWT secret as its plain string value.`,
    );
  }
  return { ...config.provider, jwtSecret: value.trim() };
}
