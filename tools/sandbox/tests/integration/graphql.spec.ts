import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { INVALID_TOKEN_BODY, MISSING_TOKEN_BODY } from '../../src/graphql';
import { USER_SERVICE_URL_PARAMETER } from '../../src/graphql-services';
import { startSandbox, type Sandbox } from '../../src/sandbox';

// The users API end to end on the local cloud (issue 14, "Bad input and faults"): the committed
// SDL executed by the local GraphQL endpoint, Query.user and Mutation.updateProfile resolved by
// the packaged users-graphql zip with AppSync's direct Lambda resolver event, its base URL read
// from the SSM stand-in, and the stub user service that records the Authorization it received
// and can be down, slow or answering 500. One sandbox for the suite: starting it is the slow part.

const root = resolve(__dirname, '../../../..');
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/graphql', name), 'utf8')) as unknown;
const USER = fixture('user-u-1.json');
const QUERY_USER = 'query Get($id: ID!) { user(id: $id) { id displayName email bio updatedAt } }';
const UPDATE_PROFILE =
  'mutation Update($input: UpdateProfileInput!) { updateProfile(input: $input) { id displayName bio } }';

let workDir: string;
let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'graphql-'));
  sandbox = await startSandbox({ root, workDir });
  token = await sandbox.graphql!.identity.mintToken({ sub: 'u-1', roles: ['member'] });
});

afterAll(async () => {
  await sandbox?.stop();
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await sandbox.graphql!.userService.up();
  sandbox.graphql!.userService.behave({ kind: 'normal' });
  sandbox.graphql!.userService.clear();
});

/** POSTs a GraphQL request to the local endpoint, as a client of AppSync would. */
async function graphql(
  body: { query: string; variables?: Record<string, unknown> },
  /** `null` sends no Authorization header. */
  authorization: string | null = token,
) {
  const response = await fetch(sandbox.graphql!.endpoint.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === null ? {} : { authorization }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}
const requests = () =>
  sandbox.graphql!.userService.requests.map((r) => ({
    method: r.method,
    path: r.path,
    authorization: r.authorization,
  }));
/** The GraphQL error AppSync's direct Lambda resolver makes of the function's error. */
const resolverError = (field: string, column: number, errorType: string, message: string) => ({
  path: [field],
  data: null,
  errorType,
  errorInfo: null,
  locations: [{ line: 1, column, sourceName: null }],
  message,
});

/** Where each root field starts in QUERY_USER and UPDATE_PROFILE (the `locations` AppSync reports). */
const FIELD_COLUMN: Record<string, number> = {
  user: QUERY_USER.indexOf('user(') + 1,
  updateProfile: UPDATE_PROFILE.indexOf('updateProfile(') + 1,
};
/** The whole answer to an operation whose one field failed in its resolver. */
const fieldFailed = (field: string, errorType: string, message: string) => ({
  status: 200,
  body: {
    data: { [field]: null },
    errors: [resolverError(field, FIELD_COLUMN[field]!, errorType, message)],
  },
});

describe('the local GraphQL endpoint with the users-graphql resolver', () => {
  it('keeps the user service base URL in the SSM stand-in, where the function reads it', () => {
    expect(sandbox.graphql!.userService.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(USER_SERVICE_URL_PARAMETER).toBe('/slipway/local/users/service-url');
  });

  it('answers Query.user from the user service, which received exactly the caller token', async () => {
    // Act
    const result = await graphql({ query: QUERY_USER, variables: { id: 'u-1' } });

    // Assess
    expect(result).toEqual({ status: 200, body: { data: { user: USER } } });
    expect(requests()).toEqual([
      { method: 'GET', path: '/users/u-1', authorization: `Bearer ${token}` },
    ]);
    expect(sandbox.graphql!.ssm.reads(USER_SERVICE_URL_PARAMETER)).toBe(1);
  });

  it("traces the request as AppSync does: the API's segment, the resolver's Lambda and the function's call to the user service", async () => {
    const root = '1-6b110000-00000000000000000000abcd';
    const response = await fetch(sandbox.graphql!.endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: token,
        'x-amzn-trace-id': `Root=${root};Parent=abababababababab;Sampled=1`,
      },
      body: JSON.stringify({ query: QUERY_USER, variables: { id: 'u-1' } }),
    });
    expect(response.status).toBe(200);

    const trace = (await sandbox.xray.segments()).filter((d) => d.trace_id === root);
    const api = trace.find((d) => d.origin === 'AWS::AppSync::GraphQLAPI')!;
    expect(api).toMatchObject({
      name: 'slipway-local-users',
      parent_id: 'abababababababab',
      http: { response: { status: 200 } },
    });
    const [invoke] = api.subsegments!;
    expect(invoke).toMatchObject({
      name: 'Lambda',
      aws: { operation: 'Invoke', function_name: 'slipway-local-users-graphql' },
    });
    const service = trace.find((d) => d.origin === 'AWS::Lambda')!;
    expect([service.name, service.parent_id]).toEqual(['slipway-local-users-graphql', invoke.id]);
    // The resolver's HTTP call to the user service (X-Ray SDK's captured https/http), in the same trace.
    expect(trace.filter((d) => d.namespace === 'remote').map((d) => d.name)).toEqual(['127.0.0.1']);
  });

  it('changes a profile through Mutation.updateProfile, the token forwarded once', async () => {
    // Act
    const result = await graphql({
      query: UPDATE_PROFILE,
      variables: { input: { id: 'u-1', displayName: 'Ada L.', bio: 'Counts things.' } },
    });

    // Assess
    expect(result).toEqual({
      status: 200,
      body: {
        data: { updateProfile: { id: 'u-1', displayName: 'Ada L.', bio: 'Counts things.' } },
      },
    });
    expect(sandbox.graphql!.userService.requests).toEqual([
      {
        method: 'PATCH',
        path: '/users/u-1',
        authorization: `Bearer ${token}`,
        body: { displayName: 'Ada L.', bio: 'Counts things.' },
      },
    ]);
  });

  it('answers null for a user the service does not know', async () => {
    const result = await graphql({ query: QUERY_USER, variables: { id: 'u-404' } });

    expect(result).toEqual({ status: 200, body: { data: { user: null } } });
    expect(requests()).toHaveLength(1);
  });

  it.each([
    ['no Authorization header', null, MISSING_TOKEN_BODY],
    [
      'a token the identity provider did not sign',
      'eyJhbGciOiJIUzI1NiJ9.e30.forged',
      INVALID_TOKEN_BODY,
    ],
  ])('refuses %s with 401 like AppSync, running nothing', async (_what, authorization, body) => {
    const before = sandbox.graphql!.endpoint.invocations.length;

    const result = await graphql({ query: QUERY_USER, variables: { id: 'u-1' } }, authorization);

    expect(result).toEqual({ status: 401, body });
    expect(sandbox.graphql!.endpoint.invocations).toHaveLength(before);
    expect(requests()).toEqual([]);
  });

  it('retries the read once on 500, then answers UpstreamUnavailable', async () => {
    // Prepare
    sandbox.graphql!.userService.behave({ kind: 'status', status: 500 });

    // Act
    const result = await graphql({ query: QUERY_USER, variables: { id: 'u-1' } });

    // Assess
    expect(result).toEqual(
      fieldFailed(
        'user',
        'UpstreamUnavailable',
        'The user service answered 500 for user u-1: try again',
      ),
    );
    expect(requests()).toEqual([
      { method: 'GET', path: '/users/u-1', authorization: `Bearer ${token}` },
      { method: 'GET', path: '/users/u-1', authorization: `Bearer ${token}` },
    ]);
  });

  it('never retries the mutation on 500', async () => {
    sandbox.graphql!.userService.behave({ kind: 'status', status: 500 });

    const result = await graphql({
      query: UPDATE_PROFILE,
      variables: { input: { id: 'u-1', bio: 'again' } },
    });

    expect(result).toEqual(
      fieldFailed(
        'updateProfile',
        'UpstreamUnavailable',
        'The user service answered 500 for the profile of user u-1: try again',
      ),
    );
    expect(requests()).toHaveLength(1);
  });

  it('answers UpstreamUnavailable when the service is down (connection refused), no hang', async () => {
    await sandbox.graphql!.userService.down();

    const result = await graphql({ query: QUERY_USER, variables: { id: 'u-1' } });

    expect(result).toEqual(
      fieldFailed(
        'user',
        'UpstreamUnavailable',
        'The user service could not be reached (ECONNREFUSED) for user u-1: try again',
      ),
    );
  });

  it('answers UpstreamUnavailable when the service is slower than the timeout, read retried once', async () => {
    sandbox.graphql!.userService.behave({ kind: 'slow', delayMs: 8000 });

    const result = await graphql({ query: QUERY_USER, variables: { id: 'u-1' } });

    expect(result).toEqual(
      fieldFailed(
        'user',
        'UpstreamUnavailable',
        'The user service did not answer within 3000 ms for user u-1: try again',
      ),
    );
    expect(requests()).toHaveLength(2);
  });

  it('answers UpstreamUnavailable for a slow mutation after one attempt', async () => {
    sandbox.graphql!.userService.behave({ kind: 'slow', delayMs: 8000 });

    const result = await graphql({
      query: UPDATE_PROFILE,
      variables: { input: { id: 'u-1', bio: 'slow' } },
    });

    expect(result).toEqual(
      fieldFailed(
        'updateProfile',
        'UpstreamUnavailable',
        'The user service did not answer within 3000 ms for the profile of user u-1: try again',
      ),
    );
    expect(requests()).toHaveLength(1);
  });

  it('answers a field the SDL lacks with a ValidationError, invoking nothing', async () => {
    const before = sandbox.graphql!.endpoint.invocations.length;

    const result = await graphql({ query: '{ users { id } }' });

    expect(result).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            path: null,
            locations: [{ line: 1, column: 3, sourceName: null }],
            message: 'Cannot query field "users" on type "Query". Did you mean "user"?',
            errorType: 'ValidationError',
          },
        ],
      },
    });
    expect(sandbox.graphql!.endpoint.invocations).toHaveLength(before);
  });

  it('never writes the caller token to the function log', async () => {
    // Prepare: a success and a failure, both logged.
    await graphql({ query: QUERY_USER, variables: { id: 'u-1' } });
    sandbox.graphql!.userService.behave({ kind: 'status', status: 401 });
    await graphql({ query: QUERY_USER, variables: { id: 'u-1' } });
    await sandbox.lambdas.get('slipway-local-users-graphql')!.stop();

    // Act
    const log = await readFile(join(workDir, 'logs', 'users-graphql.log'), 'utf8');

    // Assess: the log holds both outcomes, and no part of the token.
    expect(log).toContain('"message":"Resolved"');
    expect(log).toContain('"name":"Unauthorized"');
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.split('.')[2]);
  });
});
