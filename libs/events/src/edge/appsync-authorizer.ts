import * as z from 'zod';
import {
  type ApiGatewayRequestAuthorizerEvent,
  ApiGatewayRequestAuthorizerEventSchema,
} from './authorizer';

// The AppSync Lambda authorizer (`AWS_LAMBDA` auth of a GraphQL API): its input event and its
// answer. Prod's users API uses the edge's authorizer this way, because AppSync cannot verify
// Supabase tokens itself (terraform/stacks/src/graphql.ts, issue 14).
// https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-lambda-authorization

/**
 * The event AppSync sends the authorizer. `authorizationToken` is the request's whole
 * `Authorization` header value (`Bearer <jwt>` or a bare JWT, as the client sent it); an empty
 * one is a refusal, not a malformed event. `requestHeaders` arrived in 2024 and `variables` may
 * be absent on a query without any, so both are optional; the authorizer reads neither.
 */
export const AppSyncAuthorizerEventSchema = z.looseObject({
  authorizationToken: z.string(),
  requestContext: z.looseObject({
    apiId: z.string().min(1),
    accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    requestId: z.string().min(1),
    queryString: z.string(),
    operationName: z.string().nullish(),
    variables: z.record(z.string(), z.unknown()).nullish(),
  }),
  requestHeaders: z.record(z.string(), z.string()).nullish(),
});
/** The AppSync Lambda authorizer event. */
export type AppSyncAuthorizerEvent = z.infer<typeof AppSyncAuthorizerEventSchema>;

/**
 * What a resolver finds in `identity.resolverContext` once the edge's authorizer admitted the
 * caller. AppSync passes a flat object of string values only, hence `roles` comma-joined (as in
 * the REST API's authorizer context).
 */
export const AppSyncResolverContextSchema = z.object({
  userId: z.string().min(1),
  roles: z.string(),
});
/** `resolverContext` of the edge's AppSync answer. */
export type AppSyncResolverContext = z.infer<typeof AppSyncResolverContextSchema>;

/**
 * The authorizer's answer to AppSync. `isAuthorized: false` refuses the request (AppSync answers
 * `UnauthorizedException`); throwing would be a failure, not a refusal. `ttlOverride` (seconds,
 * 0 to 3600, 0 = do not cache) replaces the API's cache TTL for this token; `deniedFields`
 * (`Type.field` or field ARNs) would null fields for this caller.
 */
export const AppSyncAuthorizerResultSchema = z.object({
  isAuthorized: z.boolean(),
  resolverContext: AppSyncResolverContextSchema.optional(),
  deniedFields: z.array(z.string().min(1)).optional(),
  ttlOverride: z.number().int().min(0).max(3600).optional(),
});
/** The authorizer's answer to AppSync. */
export type AppSyncAuthorizerResult = z.infer<typeof AppSyncAuthorizerResultSchema>;

/**
 * `identity` of a resolver event when the API's auth is the edge's Lambda authorizer
 * (`AWS_LAMBDA`): only what the authorizer answered.
 */
export const AppSyncLambdaIdentitySchema = z.looseObject({
  resolverContext: AppSyncResolverContextSchema,
});
/** `identity` under `AWS_LAMBDA`. */
export type AppSyncLambdaIdentity = z.infer<typeof AppSyncLambdaIdentitySchema>;

/**
 * `identity` of a resolver event when AppSync verified a Cognito user pool token itself
 * (`AMAZON_COGNITO_USER_POOLS`): the token's `sub`, its groups and claims.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html#aws-appsync-resolver-context-reference-identity-js
 */
export const AppSyncCognitoIdentitySchema = z.looseObject({
  sub: z.string().min(1),
  issuer: z.string().optional(),
  username: z.string().optional(),
  claims: z.record(z.string(), z.unknown()),
  groups: z.array(z.string()).nullish(),
});
/** `identity` under `AMAZON_COGNITO_USER_POOLS`. */
export type AppSyncCognitoIdentity = z.infer<typeof AppSyncCognitoIdentitySchema>;

/** Which API invoked the authorizer: the REST API (API Gateway) or a GraphQL API (AppSync). */
export type AuthorizerApiKind = 'REST' | 'APPSYNC';

/**
 * Either event the edge's authorizer Lambda receives, told apart by shape: API Gateway's carries
 * `type: "REQUEST"` and a `methodArn`, AppSync's an `authorizationToken` and the GraphQL
 * `requestContext.queryString`. The output names the API kind, so the handler answers each in
 * its own contract; a failure lists the fields of the kind the event looks like, or says it is
 * neither.
 *
 * @example
 * const input = parseEvent(EdgeAuthorizerEventSchema, raw, 'authorizer event');
 * if (input.api === 'APPSYNC') return authorizeAppSync(input.event, deps);
 */
export const EdgeAuthorizerEventSchema = z.unknown().transform((raw, ctx) => {
  const api = apiKindOf(raw);
  if (api === undefined) {
    ctx.addIssue({
      code: 'custom',
      message:
        'is neither an API Gateway REQUEST authorizer event (type "REQUEST", methodArn) nor an AppSync authorizer event (authorizationToken, requestContext.queryString): invoke this function only as the REST API authorizer or the GraphQL API Lambda authorizer',
    });
    return z.NEVER;
  }
  const parsed =
    api === 'APPSYNC'
      ? AppSyncAuthorizerEventSchema.safeParse(raw)
      : ApiGatewayRequestAuthorizerEventSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({ ...issue, message: `${issue.message} (${API_NAMES[api]})` });
    return z.NEVER;
  }
  return api === 'APPSYNC'
    ? { api, event: parsed.data as AppSyncAuthorizerEvent }
    : { api, event: parsed.data as ApiGatewayRequestAuthorizerEvent };
});
/** An authorizer event with the API kind it came from. */
export type EdgeAuthorizerEvent = z.output<typeof EdgeAuthorizerEventSchema>;

const API_NAMES = {
  REST: 'API Gateway REQUEST authorizer event',
  APPSYNC: 'AppSync authorizer event',
} as const;

function apiKindOf(raw: unknown): AuthorizerApiKind | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const event = raw as Record<string, unknown>;
  if ('type' in event || 'methodArn' in event) return 'REST';
  const context = event['requestContext'];
  const graphql =
    typeof context === 'object' && context !== null && 'queryString' in (context as object);
  if ('authorizationToken' in event || graphql) return 'APPSYNC';
  return undefined;
}
