import type {
  AppSyncAuthorizerResult,
  AuthorizerResult,
  AuthorizerStatement,
} from '@slipway/events';
import { EdgeConfigurationError } from './errors';

// The REQUEST authorizer's IAM policy (issue 13). API Gateway caches the policy per
// Authorization header for every route of the API, so it must be right for every route, not
// only the one requested: it allows the method ARN of each route whose roles the user has and
// denies the method ARN of each route whose roles the user lacks.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html

/** One authorized route, as the manifests compile it. */
export interface AuthorizedRoute {
  /** `GET`, `POST`, … or `ANY`. */
  readonly method: string;
  /** API Gateway path syntax: `/things/{id}`, `/files/{proxy+}`. */
  readonly path: string;
  /** The user needs at least one of these roles; an empty list admits every signed-in user. */
  readonly roles: readonly string[];
}

/** Who the caller is, from the verified token. */
export interface CallerIdentity {
  readonly userId: string;
  readonly roles: readonly string[];
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);

/**
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>` from the `methodArn` of the
 * authorizer's event: the prefix every route's method ARN shares.
 *
 * @throws {EdgeConfigurationError} when `methodArn` is not an execute-api method ARN.
 * @example
 * methodArnPrefixOf('arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/dev/GET/things/42');
 * // 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/dev'
 */
export function methodArnPrefixOf(methodArn: string): string {
  const match = /^(arn:aws[\w-]*:execute-api:[\w-]+:\d{12}:[\w]+\/[\w-]+)\//.exec(methodArn);
  if (match === null) {
    throw new EdgeConfigurationError(
      `"${methodArn}" is not an API Gateway method ARN (arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>): pass the authorizer event's methodArn.`,
    );
  }
  return match[1] as string;
}

/**
 * The method ARN of a route: path parameters (`{id}`, `{proxy+}`) become `*`, the way API
 * Gateway matches a request's ARN against the policy, and `ANY` becomes `*`.
 *
 * @throws {EdgeConfigurationError} for a method or path API Gateway would not accept.
 * @example
 * routeMethodArn(prefix, { method: 'GET', path: '/things/{id}', roles: [] }); // `${prefix}/GET/things/*`
 */
export function routeMethodArn(
  prefix: string,
  route: Pick<AuthorizedRoute, 'method' | 'path'>,
): string {
  const method = route.method.toUpperCase();
  if (!METHODS.has(method)) {
    throw new EdgeConfigurationError(
      `Route method "${route.method}" is not one API Gateway knows: use one of ${[...METHODS].join(', ')}.`,
    );
  }
  if (!/^\/([\w.~-]+|\{\w+\}|\{\w+\+\})?(\/([\w.~-]+|\{\w+\}|\{\w+\+\}))*$/.test(route.path)) {
    throw new EdgeConfigurationError(
      `Route path "${route.path}" is not API Gateway path syntax: start with "/", use segments of letters, digits, "-", "_", "." or "~", and {name} or a final {name+} for parameters.`,
    );
  }
  const resource = route.path.slice(1).replace(/\{\w+\+?\}/g, '*');
  return `${prefix}/${method === 'ANY' ? '*' : method}/${resource}`;
}

/**
 * The authorizer's response for one verified caller: `Allow` on the method ARNs of the routes
 * whose roles the caller has, `Deny` on the others, and the context the routes read
 * (`userId`, `roles` comma-joined: context values cannot be arrays).
 *
 * A wildcard in an allowed ARN also matches deeper paths (IAM's `*` spans `/`), so the explicit
 * `Deny` is what keeps `/things/{id}/secret` closed to a user allowed `/things/{id}`; where an
 * allowed and a denied route overlap that way, the deny wins (IAM's rule), which fails closed.
 *
 * @example
 * authorizerResult({ userId: 'u-1', roles: ['viewer'] }, routes, methodArnPrefixOf(event.methodArn));
 */
export function authorizerResult(
  identity: CallerIdentity,
  routes: readonly AuthorizedRoute[],
  methodArnPrefix: string,
): AuthorizerResult {
  const allowed: string[] = [];
  const denied: string[] = [];
  for (const route of routes) {
    const arn = routeMethodArn(methodArnPrefix, route);
    const admits =
      route.roles.length === 0 || route.roles.some((role) => identity.roles.includes(role));
    (admits ? allowed : denied).push(arn);
  }
  const statements: AuthorizerStatement[] = [];
  const unique = (arns: string[]) => [...new Set(arns)].sort();
  // A method ARN both allowed and denied (two routes compile to one ARN) is denied.
  const deny = unique(denied);
  const allow = unique(allowed).filter((arn) => !deny.includes(arn));
  if (allow.length > 0)
    statements.push({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: allow });
  if (deny.length > 0)
    statements.push({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: deny });
  if (statements.length === 0) {
    // No authorized route at all: deny the whole stage rather than return an empty policy.
    statements.push({
      Action: 'execute-api:Invoke',
      Effect: 'Deny',
      Resource: [`${methodArnPrefix}/*/*`],
    });
  }
  return {
    principalId: identity.userId,
    policyDocument: { Version: '2012-10-17', Statement: statements },
    context: { userId: identity.userId, roles: identity.roles.join(',') },
  };
}

/**
 * The response for a caller whose token was refused, for authorizers that answer with a
 * policy rather than `Unauthorized` (API Gateway then answers 403 instead of 401).
 */
export function denyAllResult(methodArnPrefix: string): AuthorizerResult {
  return {
    principalId: 'anonymous',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${methodArnPrefix}/*/*`] },
      ],
    },
  };
}

/**
 * The longest AppSync may keep the authorizer's answer for one token, in seconds: the
 * graphql-api module's `lambda_authorizer_ttl_seconds` default, which is also the REST API's
 * authorizer cache (the manifest's `cacheTtlSeconds`).
 */
export const APPSYNC_AUTHORIZER_MAX_TTL_SECONDS = 300;

/** AppSync's upper bound for `ttlOverride`, in seconds. */
const APPSYNC_TTL_LIMIT_SECONDS = 3600;

/**
 * The answer to AppSync for a verified caller (the GraphQL API's `AWS_LAMBDA` auth).
 *
 * Every signed-in user may call the API: AppSync gets no route table, and what a caller may read
 * or change is the user service's decision, which the resolvers ask with the caller's own token
 * (libs/users). So no `deniedFields`; the roles travel in `resolverContext` for resolvers that
 * want them (`roles` comma-joined: AppSync takes string values only).
 *
 * AppSync caches the answer per token for `ttlOverride` seconds: never past the token's `exp`
 * (0, no caching, when `exp` is already behind, inside the clock tolerance), never longer than
 * `maxTtlSeconds` ({@link APPSYNC_AUTHORIZER_MAX_TTL_SECONDS}).
 *
 * @example
 * appSyncAuthorizerResult({ userId: 'u-1', roles: ['member'] }, { expiresAt: 1_800_000_600, now: 1_800_000_000 });
 * // { isAuthorized: true, resolverContext: { userId: 'u-1', roles: 'member' }, ttlOverride: 300 }
 */
export function appSyncAuthorizerResult(
  identity: CallerIdentity,
  times: { readonly expiresAt: number; readonly now: number; readonly maxTtlSeconds?: number },
): AppSyncAuthorizerResult {
  const cap = Math.min(
    times.maxTtlSeconds ?? APPSYNC_AUTHORIZER_MAX_TTL_SECONDS,
    APPSYNC_TTL_LIMIT_SECONDS,
  );
  const remaining = Math.floor(times.expiresAt - times.now);
  return {
    isAuthorized: true,
    resolverContext: { userId: identity.userId, roles: identity.roles.join(',') },
    ttlOverride: Math.max(0, Math.min(cap, remaining)),
  };
}

/** The answer to AppSync for a refused token: `isAuthorized: false`, no context. */
export const APPSYNC_REFUSED: Readonly<AppSyncAuthorizerResult> = Object.freeze({
  isAuthorized: false,
});
