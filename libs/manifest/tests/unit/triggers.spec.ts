import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpPathProblem, InvalidManifestError, parseManifest } from '../../src';

const FILE = join(__dirname, '../fixtures/api/apps/edge-things/lambda.manifest.json');
const SHOWN = 'apps/edge-things/lambda.manifest.json';
const valid = (): { triggers: Record<string, unknown>[] } & Record<string, unknown> =>
  JSON.parse(readFileSync(FILE, 'utf8'));

/** A clone of the valid manifest with `change` applied to its second trigger (PUT /things/{id}). */
function withPut(change: (trigger: Record<string, unknown>) => void): unknown {
  const raw = valid();
  change(raw.triggers[1]);
  return raw;
}

function problemsOf(raw: unknown, shown = SHOWN): InvalidManifestError['problems'] {
  try {
    parseManifest(raw, shown);
  } catch (error) {
    if (error instanceof InvalidManifestError) return error.problems;
    throw error;
  }
  throw new Error('expected the manifest to be rejected');
}

describe('http and authorizer triggers', () => {
  it('accepts the valid fixture and applies the defaults', () => {
    // Act
    const manifest = parseManifest(valid(), SHOWN);

    // Assess
    expect(manifest.triggers[1]).toEqual({
      type: 'http',
      method: 'PUT',
      path: '/things/{id}',
      auth: { type: 'jwt', roles: ['admin'] },
      request: 'ThingInput',
      response: 'Thing',
      throttle: { rateLimit: 50, burstLimit: 100 },
      maxBodyBytes: 65536,
      binary: false,
    });
    expect(
      parseManifest({ ...valid(), triggers: [{ type: 'authorizer' }] }, SHOWN).triggers,
    ).toEqual([{ type: 'authorizer', identitySource: 'Authorization', cacheTtlSeconds: 300 }]);
  });

  it.each([
    [
      'an unknown trigger type',
      (t: Record<string, unknown>) => (t.type = 'cron'),
      'triggers.1.type',
      'cron',
      '"type" must be one of "http", "authorizer", "event", "schedule", "graphql"',
    ],
    [
      'an unknown method',
      (t: Record<string, unknown>) => (t.method = 'FETCH'),
      'triggers.1.method',
      'FETCH',
      'must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY',
    ],
    [
      'a trailing slash',
      (t: Record<string, unknown>) => (t.path = '/things/{id}/'),
      'triggers.1.path',
      '/things/{id}/',
      'must not end with "/" (only the root path "/" does)',
    ],
    [
      'a greedy parameter before the end',
      (t: Record<string, unknown>) => (t.path = '/things/{rest+}/x'),
      'triggers.1.path',
      '/things/{rest+}/x',
      'has the greedy parameter "{rest+}" before the end: only the last segment may be {name+}',
    ],
    [
      'a segment with a space',
      (t: Record<string, unknown>) => (t.path = '/my things'),
      'triggers.1.path',
      '/my things',
      'has the segment "my things", which is neither literal (letters, digits, . _ -) nor a parameter "{name}" (or a greedy "{name+}" at the end)',
    ],
    [
      'a public route without a reason',
      (t: Record<string, unknown>) => (t.auth = { type: 'public' }),
      'triggers.1.auth.reason',
      undefined,
      'is required: say why this route needs no token (e.g. "Stripe signs it")',
    ],
    [
      'a public route with a blank reason',
      (t: Record<string, unknown>) => (t.auth = { type: 'public', reason: '  ' }),
      'triggers.1.auth.reason',
      '  ',
      'must not be empty: say why this route needs no token (e.g. "Stripe signs it")',
    ],
    [
      'a JWT route without roles',
      (t: Record<string, unknown>) => (t.auth = { type: 'jwt', roles: [] }),
      'triggers.1.auth.roles',
      [],
      'must name at least one role: a JWT route admits the tokens carrying one of them',
    ],
    [
      'an unknown auth type',
      (t: Record<string, unknown>) => (t.auth = { type: 'iam' }),
      'triggers.1.auth.type',
      'iam',
      'must be {"type": "jwt", "roles": [...]} or {"type": "public", "reason": "..."}',
    ],
    [
      'a rate above the account default',
      (t: Record<string, unknown>) => (t.throttle = { rateLimit: 10001, burstLimit: 100 }),
      'triggers.1.throttle.rateLimit',
      10001,
      'must be at most 10000 requests per second (the account default)',
    ],
    [
      'a burst above the account default',
      (t: Record<string, unknown>) => (t.throttle = { rateLimit: 50, burstLimit: 5001 }),
      'triggers.1.throttle.burstLimit',
      5001,
      'must be at most 5000 requests (the account default)',
    ],
    [
      'a body limit above 10 MB',
      (t: Record<string, unknown>) => (t.maxBodyBytes = 10485761),
      'triggers.1.maxBodyBytes',
      10485761,
      "must be at most 10485760 bytes (API Gateway's 10 MB limit)",
    ],
    [
      'a lowercase schema name',
      (t: Record<string, unknown>) => (t.response = 'thing'),
      'triggers.1.response',
      'thing',
      'must be the PascalCase name of a schema in EDGE_SCHEMAS (libs/events/src/edge/index.ts), e.g. "CreateUploadRequest"',
    ],
    [
      'a request schema on a binary route',
      (t: Record<string, unknown>) => (t.binary = true),
      'triggers.1.request',
      'ThingInput',
      'a binary route has no JSON body to validate: drop "request" or "binary"',
    ],
    [
      'a request schema on a GET',
      (t: Record<string, unknown>) => (t.method = 'GET'),
      'triggers.1.request',
      'ThingInput',
      'a GET request has no body: drop "request" or use POST, PUT or PATCH',
    ],
    [
      'an unknown field',
      (t: Record<string, unknown>) => (t.timeoutMs = 10),
      'triggers.1.timeoutMs',
      10,
      'is not a known field: remove it or fix its spelling',
    ],
  ])('rejects %s naming the field and the fix', (_label, change, field, value, message) => {
    // Prepare
    const raw = withPut(change);

    // Act
    const problems = problemsOf(raw);

    // Assess
    expect(problems).toEqual([{ field, value, message }]);
  });

  it.each([
    [
      'a cache TTL above an hour',
      { type: 'authorizer', cacheTtlSeconds: 3601 },
      'triggers.0.cacheTtlSeconds',
      3601,
      "must be at most 3600 seconds (API Gateway's authorizer cache limit)",
    ],
    [
      'another identity source',
      { type: 'authorizer', identitySource: 'X-Token' },
      'triggers.0.identitySource',
      'X-Token',
      'must be "Authorization": the authorizer reads the bearer token from that header',
    ],
  ])('rejects an authorizer with %s', (_label, trigger, field, value, message) => {
    expect(problemsOf({ ...valid(), triggers: [trigger] })).toEqual([{ field, value, message }]);
  });

  it('refuses routes on the authorizer Lambda', () => {
    // Prepare: the valid routes, with the authorizer trigger put first.
    const raw = valid();
    raw.triggers = [{ type: 'authorizer' }, raw.triggers[0]];

    // Act
    const problems = problemsOf(raw);

    // Assess
    expect(problems).toEqual([
      {
        field: 'triggers.1',
        value: raw.triggers[1],
        message:
          'an authorizer manifest declares the authorizer trigger only: move this trigger to another Lambda',
      },
    ]);
  });

  it.each(['/', '/things', '/things/{id}', '/a.b/c_d-e/{x}/{rest+}', '/{proxy+}'])(
    'accepts the path %s',
    (path) => {
      expect(httpPathProblem(path)).toBeUndefined();
    },
  );

  it.each([
    ['things', 'must start with "/", e.g. "/things/{id}"'],
    ['/a//b', 'must not contain an empty segment ("//")'],
    ['/a/{id}/b/{id}', 'uses the parameter "{id}" twice: give each a distinct name'],
    [
      '/a/{1d}',
      'has the segment "{1d}", which is neither literal (letters, digits, . _ -) nor a parameter "{name}" (or a greedy "{name+}" at the end)',
    ],
  ])('refuses the path %s', (path, message) => {
    expect(httpPathProblem(path)).toBe(message);
  });
});

describe('event triggers', () => {
  const WORKER = {
    name: 'sessions-welcome-email',
    domain: 'sessions',
    description: 'Sends the welcome email when a session is confirmed.',
    memory: 256,
    timeout: 10,
    permissions: [],
  };
  const EVENT = {
    type: 'event',
    bus: 'platform',
    pattern: { source: ['slipway.sessions'], 'detail-type': ['SessionConfirmed'] },
  };
  const WORKER_FILE = 'apps/sessions-welcome-email/lambda.manifest.json';
  const withEvent = (change: (trigger: Record<string, unknown>) => void) => {
    const trigger: Record<string, unknown> = structuredClone(EVENT);
    change(trigger);
    return { ...WORKER, triggers: [trigger] };
  };

  it('accepts a rule on a bus and applies EventBridge retry defaults (1 h, 3 attempts)', () => {
    expect(parseManifest({ ...WORKER, triggers: [EVENT] }, WORKER_FILE).triggers).toEqual([
      { ...EVENT, retry: { maximumEventAgeSeconds: 3600, maximumAttempts: 3 } },
    ]);
  });

  it.each([
    [
      'a bare value where the pattern needs a list',
      (t: Record<string, unknown>) => ((t.pattern as Record<string, unknown>).source = 'x'),
      'source: a field takes a list of values or operators, or an object of nested fields: got the string "x"; wrap it in a list, such as ["x"]',
    ],
    [
      'an unknown operator',
      (t: Record<string, unknown>) =>
        ((t.pattern as Record<string, unknown>)['detail-type'] = [{ startsWith: 'Session' }]),
      'detail-type[0].startsWith: unknown operator "startsWith": EventBridge supports prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr',
    ],
  ])('refuses %s naming the field of the pattern and the fix', (_label, change, message) => {
    const raw = withEvent(change);

    expect(problemsOf(raw, WORKER_FILE)).toEqual([
      { field: 'triggers.0.pattern', value: raw.triggers[0].pattern, message },
    ]);
  });

  it.each([
    [
      'a retry age under a minute',
      (t: Record<string, unknown>) => (t.retry = { maximumEventAgeSeconds: 30 }),
      'triggers.0.retry.maximumEventAgeSeconds',
      30,
      "must be at least 60 seconds (EventBridge's minimum)",
    ],
    [
      'more retries than EventBridge makes',
      (t: Record<string, unknown>) => (t.retry = { maximumAttempts: 186 }),
      'triggers.0.retry.maximumAttempts',
      186,
      "must be at most 185 retries (EventBridge's maximum)",
    ],
    [
      'a bus written as a name of AWS',
      (t: Record<string, unknown>) => (t.bus = 'Platform_Bus'),
      'triggers.0.bus',
      'Platform_Bus',
      'must be the logical name of a declared bus, e.g. "platform" (the bus of "publish bus:platform")',
    ],
  ])('refuses %s naming the field and the fix', (_label, change, field, value, message) => {
    expect(problemsOf(withEvent(change), WORKER_FILE)).toEqual([{ field, value, message }]);
  });
});
