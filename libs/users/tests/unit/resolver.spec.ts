import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppSyncResolverEventSchema, type AppSyncResolverEvent, type User } from '@slipway/events';
import { resolveUsersField, type UserService } from '../../src';

const fixture = (name: string): AppSyncResolverEvent =>
  AppSyncResolverEventSchema.parse(
    JSON.parse(readFileSync(join(__dirname, '../events/appsync', `${name}.json`), 'utf8')),
  );
const SUB = '7d1f3c2a-0000-4000-8000-000000000001';
const USER = JSON.parse(
  readFileSync(join(__dirname, '../events/user-service/user.json'), 'utf8'),
) as User;

/** A user service recording what the resolver asked. */
function recording() {
  const calls: unknown[][] = [];
  const users: UserService = {
    getUser: async (...args) => {
      calls.push(['getUser', ...args]);
      return USER;
    },
    updateProfile: async (...args) => {
      calls.push(['updateProfile', ...args]);
      return { ...USER, displayName: 'Ada L.' };
    },
  };
  return { users, calls };
}

describe('resolveUsersField', () => {
  it('resolves Query.user with the id and the caller authorization', async () => {
    // Prepare
    const { users, calls } = recording();

    // Act
    const result = await resolveUsersField(fixture('query-user'), { users, budgetMs: 9000 });

    // Assess
    expect(result).toEqual({
      field: 'Query.user',
      user: USER,
      caller: { userId: SUB, roles: [], auth: 'AMAZON_COGNITO_USER_POOLS' },
    });
    expect(calls).toEqual([
      [
        'getUser',
        'u-1',
        { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.test-token.signature', budgetMs: 9000 },
      ],
    ]);
  });

  it("resolves Query.user behind the edge's Lambda authorizer, forwarding the same header", async () => {
    // Prepare: AWS_LAMBDA mode, identity is only the authorizer's resolverContext
    const { users, calls } = recording();

    // Act
    const result = await resolveUsersField(fixture('query-user-lambda-auth'), {
      users,
      budgetMs: 9000,
    });

    // Assess
    expect(result).toEqual({
      field: 'Query.user',
      user: USER,
      caller: { userId: SUB, roles: ['member', 'admin'], auth: 'AWS_LAMBDA' },
    });
    expect(calls).toEqual([
      [
        'getUser',
        'u-1',
        {
          authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.supabase-token.signature',
          budgetMs: 9000,
        },
      ],
    ]);
  });

  it('refuses an event without identity as Unauthorized, without calling the service', async () => {
    const { users, calls } = recording();

    await expect(
      resolveUsersField({ ...fixture('query-user'), identity: null }, { users }),
    ).rejects.toMatchObject({ name: 'Unauthorized' });
    expect(calls).toEqual([]);
  });

  it('resolves Mutation.updateProfile with the input', async () => {
    const { users, calls } = recording();

    const result = await resolveUsersField(fixture('update-profile'), { users });

    expect(result.field).toBe('Mutation.updateProfile');
    expect(result.user?.displayName).toBe('Ada L.');
    expect(calls).toEqual([
      [
        'updateProfile',
        { id: 'u-1', displayName: 'Ada L.', bio: 'Counts things.' },
        { authorization: 'eyJhbGciOiJSUzI1NiJ9.test-token.signature', budgetMs: undefined },
      ],
    ]);
  });

  it.each([
    [
      'an empty id',
      (e: AppSyncResolverEvent) => ({ ...e, arguments: { id: '' } }),
      'Invalid arguments of Query.user: id: Too small: expected string to have >=1 characters',
    ],
    [
      'an unknown argument',
      (e: AppSyncResolverEvent) => ({ ...e, arguments: { id: 'u-1', admin: true } }),
      'Invalid arguments of Query.user: (root): Unrecognized key: "admin"',
    ],
  ])('refuses %s as BadRequest without calling the service', async (_what, change, message) => {
    const { users, calls } = recording();

    await expect(resolveUsersField(change(fixture('query-user')), { users })).rejects.toMatchObject(
      { name: 'BadRequest', message },
    );
    expect(calls).toEqual([]);
  });

  it('refuses a field it does not resolve, naming the ones it does', async () => {
    const { users } = recording();
    const event = fixture('query-user');

    await expect(
      resolveUsersField({ ...event, info: { ...event.info, fieldName: 'users' } }, { users }),
    ).rejects.toMatchObject({
      name: 'UsersConfigurationError',
      message:
        'This function resolves Query.user and Mutation.updateProfile, not Query.users: attach another Lambda to it (a graphql trigger in its manifest)',
    });
  });
});
