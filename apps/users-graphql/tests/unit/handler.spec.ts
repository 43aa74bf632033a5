import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { Context } from 'aws-lambda';

// The user service is a fetch stub; SSM is the SDK mock Powertools Parameters calls.

const PARAM = '/slipway/dev/users/service-url';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.test-token.signature';
const ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test-secret-key',
  USERS_SERVICE_URL_PARAM_NAME: PARAM,
  USER_SERVICE_TIMEOUT_MS: '1000',
};
const USER = {
  id: 'u-1',
  displayName: 'Ada Lovelace',
  email: 'ada@example.com',
  bio: null,
  updatedAt: '2026-11-30T09:00:00Z',
};
const context = {
  awsRequestId: 'req-1',
  functionName: 'slipway-dev-users-graphql',
  getRemainingTimeInMillis: () => 9000,
} as unknown as Context;
const fixture = (name = 'query-user') =>
  JSON.parse(readFileSync(join(__dirname, `../events/appsync/${name}.json`), 'utf8'));
/** The `Resolved` log line, parsed. */
const resolvedLine = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.includes('"message":"Resolved"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

type Handler = (typeof import('../../src/handler'))['handler'];
type Ssm = typeof import('@aws-sdk/client-ssm');
let ssm: AwsClientStub<InstanceType<Ssm['SSMClient']>>;
let GetParameterCommand: Ssm['GetParameterCommand'];
/**
 * A new execution environment (the handler reads its configuration once per environment), its
 * SSM client mocked in the same module registry the handler loads.
 */
const loadHandler = (): Handler => {
  jest.resetModules();
  const sdk = jest.requireActual<Ssm>('@aws-sdk/client-ssm');
  GetParameterCommand = sdk.GetParameterCommand;
  ssm = mockClient(sdk.SSMClient);
  ssm
    .on(GetParameterCommand, { Name: PARAM })
    .resolves({ Parameter: { Name: PARAM, Value: 'https://users.internal.example.com/v1' } });
  return jest.requireActual<typeof import('../../src/handler')>('../../src/handler').handler;
};

describe('users-graphql handler', () => {
  const saved = { ...process.env };
  let output: string;
  beforeEach(() => {
    Object.assign(process.env, ENV);
    output = '';
    const capture = (chunk: unknown) => {
      output += String(chunk);
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
    ssm?.restore();
  });

  it('answers Query.user from the service the parameter names, with the caller token', async () => {
    // Prepare
    const fetchSpy = jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response(JSON.stringify(USER), { status: 200 }));

    // Act
    const result = await loadHandler()(fixture(), context);

    // Assess
    expect(result).toEqual(USER);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0];
    expect(String(url)).toBe('https://users.internal.example.com/v1/users/u-1');
    expect(new Headers(init?.headers).get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input.Name)).toEqual([PARAM]);
    expect(output).not.toContain(TOKEN);
  });

  it.each([
    [
      'a Cognito user pool (AppSync verified the token)',
      'query-user',
      `Bearer ${TOKEN}`,
      'AMAZON_COGNITO_USER_POOLS',
    ],
    [
      "the edge's Lambda authorizer (resolverContext)",
      'query-user-lambda-auth',
      'Bearer eyJhbGciOiJIUzI1NiJ9.supabase-token.signature',
      'AWS_LAMBDA',
    ],
  ])(
    'behind %s: forwards the caller header and logs the caller by id',
    async (_mode, name, header, auth) => {
      // Prepare
      const fetchSpy = jest
        .spyOn(globalThis, 'fetch')
        .mockResolvedValue(new Response(JSON.stringify(USER), { status: 200 }));

      // Act
      await loadHandler()(fixture(name), context);

      // Assess
      expect(new Headers(fetchSpy.mock.calls[0]?.[1]?.headers).get('authorization')).toBe(header);
      expect(
        resolvedLine(output).map((l) => [l['field'], l['found'], l['userId'], l['auth']]),
      ).toEqual([['Query.user', true, '7d1f3c2a-0000-4000-8000-000000000001', auth]]);
      expect(output).not.toContain(header.slice('Bearer '.length));
    },
  );

  it('throws UpstreamUnavailable (AppSync errorType) after one retry on 500, logging no token', async () => {
    // Prepare
    const fetchSpy = jest
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () => new Response('{}', { status: 500 }));

    // Act
    const error = await loadHandler()(fixture(), context).catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({
      name: 'UpstreamUnavailable',
      message: 'The user service answered 500 for user u-1: try again',
    });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(output).toContain('"message":"Handler failed"');
    expect(output).not.toContain(TOKEN);
  });

  it('refuses an event that is not AppSync resolver event, naming the field', async () => {
    const event = fixture();
    delete event.info;

    await expect(loadHandler()(event, context)).rejects.toMatchObject({
      name: 'EventParseError',
      message:
        'Invalid AppSync resolver event: info: Invalid input: expected object, received undefined',
    });
  });
});
