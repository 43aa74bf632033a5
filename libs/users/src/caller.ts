import {
  AppSyncCognitoIdentitySchema,
  AppSyncLambdaIdentitySchema,
  type AppSyncResolverEvent,
} from '@slipway/events';
import { UnauthorizedError, UsersConfigurationError } from './errors';

// Who calls, from the resolver event's `identity`, whose shape depends on the API's auth mode
// (terraform/stacks/src/graphql.ts picks it per environment): a Cognito user pool that AppSync
// verifies itself, or the edge's Lambda authorizer (Supabase, prod), whose answer arrives as
// `identity.resolverContext`. In both modes the caller's `Authorization` header reaches the
// resolver in `request.headers`, and that token, not this identity, is what the user service
// trusts: the identity is for logs and for resolvers that branch on roles.
// https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html#aws-appsync-resolver-context-reference-identity-js

/** The caller of one field. */
export interface Caller {
  /** The token's `sub`. */
  readonly userId: string;
  /** Cognito groups, or the roles the edge's authorizer read from the token. */
  readonly roles: readonly string[];
  /** The API's auth mode the identity came from. */
  readonly auth: 'AMAZON_COGNITO_USER_POOLS' | 'AWS_LAMBDA';
}

/**
 * The caller from a resolver event's `identity`, in either auth mode the users API is deployed
 * with.
 *
 * @throws {UnauthorizedError} when the event has no identity (the API let an anonymous request
 *   through).
 * @throws {UsersConfigurationError} when the identity is of neither shape (another auth mode).
 * @example
 * callerOf({ resolverContext: { userId: 'u-1', roles: 'member,admin' } });
 * // { userId: 'u-1', roles: ['member', 'admin'], auth: 'AWS_LAMBDA' }
 */
export function callerOf(identity: AppSyncResolverEvent['identity']): Caller {
  if (identity === null || identity === undefined) {
    throw new UnauthorizedError(
      'The request reached the resolver without a caller identity: sign in and send your token in the Authorization header',
    );
  }
  if ('resolverContext' in identity) {
    const parsed = AppSyncLambdaIdentitySchema.safeParse(identity);
    if (parsed.success) {
      const { userId, roles } = parsed.data.resolverContext;
      return { userId, roles: roles.split(',').filter(Boolean), auth: 'AWS_LAMBDA' };
    }
  } else {
    const parsed = AppSyncCognitoIdentitySchema.safeParse(identity);
    if (parsed.success) {
      const groups = parsed.data.groups ?? parsed.data.claims['cognito:groups'];
      return {
        userId: parsed.data.sub,
        roles: Array.isArray(groups) ? groups.map(String) : [],
        auth: 'AMAZON_COGNITO_USER_POOLS',
      };
    }
  }
  throw new UsersConfigurationError(
    `The resolver event's identity has neither the Cognito user pool shape (sub, claims) nor the edge authorizer's (resolverContext with userId and roles), but keys ${Object.keys(identity).sort().join(', ') || '(none)'}: deploy the users API with AMAZON_COGNITO_USER_POOLS or the edge's AWS_LAMBDA authorizer`,
  );
}
