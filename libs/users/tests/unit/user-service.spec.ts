import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearerAuthorization, createUserService, parseServiceBaseUrl, type Fetch } from '../../src';

const USER = JSON.parse(
  readFileSync(join(__dirname, '../events/user-service/user.json'), 'utf8'),
) as Record<string, unknown>;
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.test-token.signature';
const BASE = new URL('https://users.internal.example.com/v1');

/** A fake service answering `answers` in turn (the last one repeats), recording each request. */
function fakeService(...answers: (Response | Error | 'hang')[]) {
  const requests: { url: string; method: string; headers: Headers; body?: string }[] = [];
  const fetchFn: Fetch = async (input, init) => {
    requests.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
    });
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    if (answer === 'hang')
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      );
    if (answer instanceof Error) throw answer;
    return answer.clone();
  };
  return { fetchFn, requests };
}
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const refused = () =>
  Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
  });
const client = (fetchFn: Fetch, timeoutMs = 200) =>
  createUserService({ baseUrl: BASE, timeoutMs, retryDelayMs: 1, fetch: fetchFn });
const call = { authorization: `Bearer ${TOKEN}` };

describe('user service client', () => {
  it('reads a user with the caller token forwarded exactly', async () => {
    // Prepare
    const service = fakeService(json(200, USER));

    // Act
    const user = await client(service.fetchFn).getUser('u-1', call);

    // Assess
    expect(user).toEqual(USER);
    expect(service.requests).toHaveLength(1);
    expect(service.requests[0].url).toBe('https://users.internal.example.com/v1/users/u-1');
    expect(service.requests[0].method).toBe('GET');
    expect(service.requests[0].headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('changes a profile with PATCH and the changes only, once', async () => {
    // Prepare
    const service = fakeService(json(200, { ...USER, displayName: 'Ada L.' }));

    // Act
    const user = await client(service.fetchFn).updateProfile(
      { id: 'u-1', displayName: 'Ada L.' },
      { authorization: TOKEN },
    );

    // Assess
    expect(user.displayName).toBe('Ada L.');
    expect(service.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['PATCH', 'https://users.internal.example.com/v1/users/u-1', '{"displayName":"Ada L."}'],
    ]);
    expect(service.requests[0].headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('answers null for a user the service does not know (404), without a retry', async () => {
    const service = fakeService(json(404, { message: 'no such user' }));

    await expect(client(service.fetchFn).getUser('u-9', call)).resolves.toBeNull();
    expect(service.requests).toHaveLength(1);
  });

  // Each HTTP outcome and the GraphQL errorType (the error's name) AppSync returns for it, with
  // how many requests the read and the mutation make (a read retries what a retry can change).
  const cases: {
    what: string;
    answers: (Response | Error | 'hang')[];
    errorType: string;
    message: string;
    readRequests: number;
  }[] = [
    {
      what: '401',
      answers: [json(401, {})],
      errorType: 'Unauthorized',
      message:
        "The user service refused the caller's token for user u-1 (401): sign in again or ask for access",
      readRequests: 1,
    },
    {
      what: '403',
      answers: [json(403, {})],
      errorType: 'Unauthorized',
      message:
        "The user service refused the caller's token for user u-1 (403): sign in again or ask for access",
      readRequests: 1,
    },
    {
      what: '422 with a reason',
      answers: [json(422, { message: 'displayName is too long' })],
      errorType: 'BadRequest',
      message: 'The user service refused user u-1 (422): displayName is too long',
      readRequests: 1,
    },
    {
      what: '500 twice',
      answers: [json(500, {})],
      errorType: 'UpstreamUnavailable',
      message: 'The user service answered 500 for user u-1: try again',
      readRequests: 2,
    },
    {
      what: '429 twice',
      answers: [json(429, {})],
      errorType: 'UpstreamUnavailable',
      message: 'The user service answered 429 for user u-1: try again',
      readRequests: 2,
    },
    {
      what: 'a refused connection twice',
      answers: [refused()],
      errorType: 'UpstreamUnavailable',
      message: 'The user service could not be reached (ECONNREFUSED) for user u-1: try again',
      readRequests: 2,
    },
    {
      what: 'no answer within the timeout, twice',
      answers: ['hang'],
      errorType: 'UpstreamUnavailable',
      message: 'The user service did not answer within 200 ms for user u-1: try again',
      readRequests: 2,
    },
    {
      what: 'a body that is no user',
      answers: [json(200, { ...USER, email: 'not-an-email' })],
      errorType: 'UpstreamUnavailable',
      message:
        'The user service answered user u-1 with no valid user (email: Invalid email address)',
      readRequests: 2,
    },
  ];

  it.each(cases)('reads: $what → $errorType after $readRequests request(s)', async (c) => {
    // Prepare
    const service = fakeService(...c.answers);

    // Act
    const error = await client(service.fetchFn)
      .getUser('u-1', call)
      .catch((e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: c.errorType, message: c.message });
    expect(service.requests).toHaveLength(c.readRequests);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it.each(cases)('mutation: $what → $errorType after exactly one request', async (c) => {
    const service = fakeService(...c.answers);

    const error = await client(service.fetchFn)
      .updateProfile({ id: 'u-1', bio: 'x' }, call)
      .catch((e: Error) => e);

    expect((error as Error).name).toBe(c.errorType);
    expect(service.requests).toHaveLength(1);
  });

  it('reads successfully when the one retry succeeds after a 503', async () => {
    const service = fakeService(json(503, {}), json(200, USER));

    await expect(client(service.fetchFn).getUser('u-1', call)).resolves.toEqual(USER);
    expect(service.requests).toHaveLength(2);
  });

  it('does not retry when the budget left cannot hold another attempt', async () => {
    const service = fakeService('hang');

    const error = await client(service.fetchFn, 5000)
      .getUser('u-1', { ...call, budgetMs: 150 })
      .catch((e: Error) => e);

    expect(error).toMatchObject({
      name: 'UpstreamUnavailable',
      message: 'The user service did not answer within 150 ms for user u-1: try again',
    });
    expect(service.requests).toHaveLength(1);
  });

  it('maps 404 on the mutation to NotFound', async () => {
    const service = fakeService(json(404, {}));

    await expect(
      client(service.fetchFn).updateProfile({ id: 'u-9', bio: 'x' }, call),
    ).rejects.toMatchObject({
      name: 'NotFound',
      message: 'No user u-9: check the id (the user service answered 404)',
    });
  });

  it.each([undefined, '', 'Bearer ', 'Bearer a b'])(
    'refuses to call without one bearer token (%p) as Unauthorized',
    async (authorization) => {
      const service = fakeService(json(200, USER));

      await expect(client(service.fetchFn).getUser('u-1', { authorization })).rejects.toMatchObject(
        { name: 'Unauthorized' },
      );
      expect(service.requests).toHaveLength(0);
    },
  );

  it.each([
    ['abc.def', 'Bearer abc.def'],
    ['Bearer abc.def', 'Bearer abc.def'],
    ['bearer   abc.def ', 'Bearer abc.def'],
  ])('forwards %p as %p', (header, expected) => {
    expect(bearerAuthorization(header)).toBe(expected);
  });
});

describe('parseServiceBaseUrl', () => {
  it.each([
    ['https://users.internal.example.com/v1', 'https://users.internal.example.com/v1'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/'],
    ['http://localhost:4010/api', 'http://localhost:4010/api'],
  ])('accepts %p', (value, href) => {
    expect(parseServiceBaseUrl(value, 'SSM parameter /p').href).toBe(href);
  });

  it.each([
    [
      'http://users.internal.example.com',
      "SSM parameter /p holds a http:// URL: the user service gets the caller's token, so its base URL must be https:// (http:// only to a loopback host, for the sandbox)",
    ],
    [
      'users.internal.example.com',
      "SSM parameter /p does not hold a URL: store the user service's base URL, e.g. https://users.internal.example.com/v1",
    ],
    [
      'https://user:pw@users.internal.example.com',
      'SSM parameter /p must hold a base URL without credentials, query or fragment, e.g. https://users.internal.example.com/v1',
    ],
  ])('refuses %p, saying why', (value, message) => {
    expect(() => parseServiceBaseUrl(value, 'SSM parameter /p')).toThrow(
      expect.objectContaining({ name: 'UsersConfigurationError', message }),
    );
  });
});
