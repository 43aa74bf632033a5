import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  apiAuthorizer,
  checkRoutes,
  InvalidRoutesError,
  loadManifests,
  parseManifest,
  routeProblems,
  routeTable,
  type ManifestFile,
} from '../../src';
import { FIXTURE_SCHEMAS } from '../fixtures/api/schemas';

const ROOT = join(__dirname, '../fixtures/api');
const NAMES = ['edge-authorizer', 'edge-things', 'edge-webhook'] as const;
type Raw = { triggers: Record<string, unknown>[] } & Record<string, unknown>;
const shown = (name: string) => `apps/${name}/lambda.manifest.json`;
const raw = (name: string): Raw => JSON.parse(readFileSync(join(ROOT, shown(name)), 'utf8')) as Raw;

/** The valid fixture set with `change` applied to one manifest's raw JSON. */
function filesWith(name: (typeof NAMES)[number], change: (m: Raw) => void): ManifestFile[] {
  return NAMES.map((n) => {
    const manifest = raw(n);
    if (n === name) change(manifest);
    return { file: shown(n), manifest: parseManifest(manifest, shown(n)) };
  });
}

describe('routes across manifests', () => {
  it('loads the fixture set and builds the route table sorted by path and method', () => {
    // Act
    const files = loadManifests(ROOT, FIXTURE_SCHEMAS);
    const routes = routeTable(files.map((f) => f.manifest));

    // Assess
    expect(files.map((f) => f.file)).toEqual(NAMES.map(shown));
    expect(routes).toEqual([
      {
        method: 'ANY',
        path: '/files/{proxy+}',
        lambda: 'edge-things',
        auth: 'jwt',
        roles: ['member'],
        response: 'Thing',
        binary: true,
      },
      {
        method: 'GET',
        path: '/things/{id}',
        lambda: 'edge-things',
        auth: 'jwt',
        roles: ['member', 'admin'],
        response: 'Thing',
        binary: false,
      },
      {
        method: 'PUT',
        path: '/things/{id}',
        lambda: 'edge-things',
        auth: 'jwt',
        roles: ['admin'],
        request: 'ThingInput',
        response: 'Thing',
        throttle: { rateLimit: 50, burstLimit: 100 },
        maxBodyBytes: 65536,
        binary: false,
      },
      {
        method: 'POST',
        path: '/webhooks/stripe',
        lambda: 'edge-webhook',
        auth: 'public',
        roles: [],
        reason: 'Stripe signs every delivery; the handler verifies it',
        request: 'Event',
        response: 'Ack',
        binary: false,
      },
    ]);
    expect(apiAuthorizer(files.map((f) => f.manifest))).toEqual({
      lambda: 'edge-authorizer',
      identitySource: 'Authorization',
      cacheTtlSeconds: 60,
    });
    expect(routeProblems(files, FIXTURE_SCHEMAS)).toEqual([]);
  });

  it.each<[string, (typeof NAMES)[number], (m: Raw) => void, string, unknown, string]>([
    [
      'the same method and path twice',
      'edge-things',
      (m) => (m.triggers[0].method = 'PUT'),
      'triggers.1.path',
      '/things/{id}',
      'PUT /things/{id} overlaps PUT on the same path in apps/edge-things/lambda.manifest.json (triggers.0): serve it from one Lambda, or change the method or the path',
    ],
    [
      'ANY on a path that has a method',
      'edge-things',
      (m) => (m.triggers[0].method = 'ANY'),
      'triggers.1.path',
      '/things/{id}',
      'PUT /things/{id} overlaps ANY on the same path in apps/edge-things/lambda.manifest.json (triggers.0) (ANY matches every method): serve it from one Lambda, or change the method or the path',
    ],
    [
      'a route of another manifest on a taken path',
      'edge-webhook',
      (m) => (m.triggers[0].path = '/files/{proxy+}'),
      'triggers.0.path',
      '/files/{proxy+}',
      'POST /files/{proxy+} overlaps ANY on the same path in apps/edge-things/lambda.manifest.json (triggers.2) (ANY matches every method): serve it from one Lambda, or change the method or the path',
    ],
    [
      'two parameter names at one position',
      'edge-things',
      (m) => (m.triggers[1].path = '/things/{thingId}'),
      'triggers.1.path',
      '/things/{thingId}',
      'names the parameter {thingId} where apps/edge-things/lambda.manifest.json (triggers.0) names it {id} under "/things": API Gateway allows one parameter per position, use {id}',
    ],
    [
      'a response schema not in the catalog',
      'edge-webhook',
      (m) => (m.triggers[0].response = 'Acknowledgement'),
      'triggers.0.response',
      'Acknowledgement',
      'is not a schema in EDGE_SCHEMAS (libs/events/src/edge/index.ts): add it there, or use one of: Ack, ErrorResponse, Event, Thing, ThingInput',
    ],
    [
      'a request schema not in the catalog',
      'edge-things',
      (m) => (m.triggers[1].request = 'ThingPatch'),
      'triggers.1.request',
      'ThingPatch',
      'is not a schema in EDGE_SCHEMAS (libs/events/src/edge/index.ts): add it there, or use one of: Ack, ErrorResponse, Event, Thing, ThingInput',
    ],
    [
      'a second authorizer',
      'edge-webhook',
      (m) => (m.triggers = [{ type: 'authorizer' }]),
      'triggers.0',
      { type: 'authorizer', identitySource: 'Authorization', cacheTtlSeconds: 300 },
      'declares a second authorizer, and apps/edge-authorizer/lambda.manifest.json (triggers.0) already declares one: an API has exactly one, remove this one',
    ],
  ])(
    'refuses %s, naming the manifest, the field and the fix',
    (_l, name, change, field, value, message) => {
      // Prepare
      const files = filesWith(name, change);

      // Act
      const act = () => checkRoutes(files, FIXTURE_SCHEMAS);

      // Assess
      expect(routeProblems(files, FIXTURE_SCHEMAS)).toEqual([
        { file: shown(name), field, value, message },
      ]);
      expect(act).toThrow(InvalidRoutesError);
      expect(act).toThrow(`  - ${shown(name)}: ${field} = ${JSON.stringify(value)}: ${message}`);
    },
  );

  it('refuses every JWT route when no manifest declares the authorizer', () => {
    // Prepare: the authorizer Lambda loses its trigger.
    const files = filesWith('edge-authorizer', (m) => (m.triggers = []));
    const message =
      'needs the API JWT authorizer, and no manifest declares one: add {"type": "authorizer"} to ' +
      'the triggers of the authorizer Lambda (or make this route public with a reason)';

    // Act
    const problems = routeProblems(files, FIXTURE_SCHEMAS);

    // Assess
    expect(problems).toEqual(
      [0, 1, 2].map((i) => ({
        file: shown('edge-things'),
        field: `triggers.${i}.auth`,
        value: raw('edge-things').triggers[i].auth,
        message,
      })),
    );
  });
});
