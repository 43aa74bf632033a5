import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppSyncResolverEventSchema, type AppSyncResolverEvent } from '@slipway/events';
import { callerOf } from '../../src';

// The two identity shapes AppSync gives a resolver of the users API: Cognito user pools (dev,
// staging) and the edge's Lambda authorizer (prod, Supabase). Fixtures are whole resolver events.

const identityOf = (name: string): AppSyncResolverEvent['identity'] =>
  AppSyncResolverEventSchema.parse(
    JSON.parse(readFileSync(join(__dirname, '../events/appsync', `${name}.json`), 'utf8')),
  ).identity;
const SUB = '7d1f3c2a-0000-4000-8000-000000000001';

describe('callerOf', () => {
  it('reads a Cognito user pool identity (no groups)', () => {
    expect(callerOf(identityOf('query-user'))).toEqual({
      userId: SUB,
      roles: [],
      auth: 'AMAZON_COGNITO_USER_POOLS',
    });
  });

  it('reads the Cognito groups, from groups or else the cognito:groups claim', () => {
    const cognito = identityOf('query-user') as Record<string, unknown>;

    expect([
      callerOf({ ...cognito, groups: ['admin'] }).roles,
      callerOf({ ...cognito, claims: { 'cognito:groups': ['editor'] } }).roles,
    ]).toEqual([['admin'], ['editor']]);
  });

  it("reads the edge authorizer's resolverContext (AWS_LAMBDA)", () => {
    expect(callerOf(identityOf('query-user-lambda-auth'))).toEqual({
      userId: SUB,
      roles: ['member', 'admin'],
      auth: 'AWS_LAMBDA',
    });
  });

  it('refuses an event without identity as Unauthorized', () => {
    expect(() => callerOf(null)).toThrow(
      expect.objectContaining({
        name: 'Unauthorized',
        message:
          'The request reached the resolver without a caller identity: sign in and send your token in the Authorization header',
      }),
    );
  });

  it('refuses a resolverContext without a userId, naming the shapes it reads', () => {
    // Prepare: the valid Lambda identity with one field broken
    const identity = structuredClone(identityOf('query-user-lambda-auth')) as {
      resolverContext: Record<string, unknown>;
    };
    delete identity.resolverContext['userId'];

    // Act + Assess
    expect(() => callerOf(identity)).toThrow(
      expect.objectContaining({
        name: 'UsersConfigurationError',
        message:
          "The resolver event's identity has neither the Cognito user pool shape (sub, claims) nor the edge authorizer's (resolverContext with userId and roles), but keys resolverContext: deploy the users API with AMAZON_COGNITO_USER_POOLS or the edge's AWS_LAMBDA authorizer",
      }),
    );
  });
});
