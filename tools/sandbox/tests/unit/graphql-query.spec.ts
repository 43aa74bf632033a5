import { startGraphqlEndpoint, type GraphqlEndpoint } from '../../src/graphql';
import { runGraphqlQuery } from '../../src/graphql-query';
import type { Sandbox } from '../../src/sandbox';

/**
 * `--graphql` against the real local endpoint (graphql-js on loopback) with a stand-in identity
 * and Lambda: what is sent (token, variables), what is printed, and when the run fails.
 */
describe('runGraphqlQuery', () => {
  const SDL = 'type Query { thingStatus(id: ID!): String }';
  let endpoint: GraphqlEndpoint;
  /** The resolver events the stand-in Lambda received. */
  let events: { arguments: unknown; identity: { sub: string; groups: string[] | null } }[];
  let sandbox: Sandbox;
  beforeEach(async () => {
    events = [];
    endpoint = await startGraphqlEndpoint({
      sdl: SDL,
      resolvers: [{ parent: 'Query', field: 'thingStatus', lambda: 'users-thing-status' }],
      // The token names its role; the endpoint turns it into the resolver event's identity.
      verify: async (token) =>
        token.startsWith('token-for-')
          ? {
              sub: `local-user-${token.slice(10)}`,
              issuer: 'http://127.0.0.1/auth/v1',
              username: `local-user-${token.slice(10)}`,
              claims: {},
              sourceIp: ['127.0.0.1'],
              defaultAuthStrategy: 'ALLOW',
              groups: [token.slice(10)],
            }
          : undefined,
      invoke: async (_lambda, event) => {
        events.push(event as (typeof events)[number]);
        const { id } = (event as { arguments: { id: string } }).arguments;
        return id === 'boom'
          ? {
              ok: false,
              durationMs: 1,
              error: {
                errorType: 'ThingUnavailable',
                errorMessage: 'no status for boom',
                trace: [],
              },
            }
          : { ok: true, durationMs: 1, result: `${id}: OK` };
      },
    });
    sandbox = {
      graphql: {
        endpoint,
        identity: { mintToken: async ({ roles }: { roles: string[] }) => `token-for-${roles[0]}` },
      },
    } as unknown as Sandbox;
  });
  afterEach(() => endpoint.close());

  it('sends the operation and its variables with a member token and prints the answer', async () => {
    // Act
    const result = await runGraphqlQuery(sandbox, {
      query: 'query Q($id: ID!) { thingStatus(id: $id) }',
      variables: '{"id":"t-1"}',
    });

    // Assess
    expect(result.ok).toBe(true);
    expect(result.summary).toEqual({
      status: 200,
      body: { data: { thingStatus: 't-1: OK' } },
      invocations: [{ lambda: 'users-thing-status', field: 'Query.thingStatus', ok: true }],
    });
    expect(result.text).toBe(
      [
        `POST ${endpoint.url} as local-user-member (role member): 200`,
        '  Query.thingStatus resolved by users-thing-status: ok',
        '{\n  "data": {\n    "thingStatus": "t-1: OK"\n  }\n}',
      ].join('\n'),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      arguments: { id: 't-1' },
      identity: { sub: 'local-user-member', groups: ['member'] },
    });
  });

  it('signs as the given role', async () => {
    await runGraphqlQuery(sandbox, { query: '{ thingStatus(id: "t-2") }', role: 'admin' });

    expect(events[0]?.identity).toMatchObject({ sub: 'local-user-admin', groups: ['admin'] });
  });

  it('fails when the response has errors: a resolver error and an invalid query', async () => {
    const failed = await runGraphqlQuery(sandbox, { query: '{ thingStatus(id: "boom") }' });
    const invalid = await runGraphqlQuery(sandbox, { query: '{ nothing }' });

    expect(failed.ok).toBe(false);
    expect(failed.summary.body).toMatchObject({
      data: { thingStatus: null },
      errors: [{ errorType: 'ThingUnavailable', message: 'no status for boom' }],
    });
    expect(failed.summary.invocations).toEqual([
      {
        lambda: 'users-thing-status',
        field: 'Query.thingStatus',
        ok: false,
        errorType: 'ThingUnavailable',
      },
    ]);
    expect(failed.text.split('\n').slice(0, 2)).toEqual([
      `POST ${endpoint.url} as local-user-member (role member): 200, with errors`,
      '  Query.thingStatus resolved by users-thing-status: failed (ThingUnavailable)',
    ]);
    expect(invalid.ok).toBe(false);
    expect(invalid.summary.invocations).toEqual([]);
    expect(invalid.summary.body).toMatchObject({
      data: null,
      errors: [{ errorType: 'ValidationError' }],
    });
  });

  it.each([
    [
      'variables that are not JSON',
      '{"id":',
      /^--variables is not JSON \(.+\): pass an object, e\.g\. --variables '\{"id":"u-1"\}'\.$/,
    ],
    [
      'variables that are not an object',
      '["t-1"]',
      /^--variables is \["t-1"\], not a JSON object: pass e\.g\. --variables '\{"id":"u-1"\}'\.$/,
    ],
  ])('refuses %s and sends nothing', async (_case, variables, message) => {
    await expect(
      runGraphqlQuery(sandbox, { query: '{ thingStatus(id: "t-1") }', variables }),
    ).rejects.toThrow(message);
    expect(events).toEqual([]);
  });

  it('refuses a sandbox without a GraphQL API, saying how to get one', async () => {
    await expect(
      runGraphqlQuery({} as Sandbox, { query: '{ thingStatus(id: "t-1") }' }),
    ).rejects.toThrow(
      '--graphql: the sandbox serves no GraphQL API, because no manifest has a graphql trigger: add one (npx nx g @slipway/nx-plugin:lambda <name> --domain=users --trigger=graphql --field=Query.<field>) and package it.',
    );
  });
});
