import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parseManifest } from '@slipway/manifest';
import { lambdaGenerator } from '../../src/generators/lambda/generator';

// Prettier 3 loads its plugins with dynamic import(), which Jest's VM cannot run. Formatting is
// checked for real by tests/integration/lambda-generator.spec.ts (prettier --check).
jest.mock('prettier', () => ({
  getFileInfo: async () => ({ ignored: false, inferredParser: 'typescript' }),
  resolveConfig: async () => ({}),
  format: async (text: string) => text,
}));

describe('lambda generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('scaffolds handler, schema, manifest, tests and project files', async () => {
    await lambdaGenerator(tree, { name: 'demo-x' });

    for (const file of [
      'lambda.manifest.json',
      'project.json',
      'src/handler.ts',
      'src/schema.ts',
      'tests/unit/handler.spec.ts',
      'tests/events/invoke/valid.json',
      'tsconfig.json',
      'tsconfig.app.json',
      'jest.config.cjs',
      'eslint.config.mjs',
      'README.md',
    ]) {
      expect(tree.exists(`apps/demo-x/${file}`)).toBe(true);
    }
    const manifest = parseManifest(
      readJson(tree, 'apps/demo-x/lambda.manifest.json'),
      'apps/demo-x/lambda.manifest.json',
    );
    expect(manifest).toMatchObject({
      name: 'demo-x',
      domain: 'platform',
      memory: 256,
      timeout: 10,
    });
    expect(readJson(tree, 'apps/demo-x/project.json')).toMatchObject({
      name: 'demo-x',
      tags: ['type:lambda', 'scope:platform'],
    });
    expect(tree.read('apps/demo-x/src/schema.ts', 'utf8')).toContain(
      'export const DemoXInputSchema',
    );
    expect(tree.read('apps/demo-x/src/handler.ts', 'utf8')).toContain('instrumentHandler(');
  });

  it('uses the given domain, memory and timeout', async () => {
    await lambdaGenerator(tree, {
      name: 'media-thumbs',
      domain: 'media',
      memory: 1024,
      timeout: 60,
    });

    expect(readJson(tree, 'apps/media-thumbs/lambda.manifest.json')).toMatchObject({
      domain: 'media',
      memory: 1024,
      timeout: 60,
    });
    expect(readJson(tree, 'apps/media-thumbs/project.json').tags).toEqual([
      'type:lambda',
      'scope:media',
    ]);
  });

  it('refuses an existing folder and values the build would refuse', async () => {
    await lambdaGenerator(tree, { name: 'demo-x' });

    await expect(lambdaGenerator(tree, { name: 'demo-x' })).rejects.toThrow(
      'apps/demo-x already exists',
    );
    await expect(lambdaGenerator(tree, { name: 'demo-y', memory: 99999 })).rejects.toThrow(
      'memory = 99999: must be a whole number from 128 to 10240 (MB)',
    );
  });

  describe('--trigger=http', () => {
    const INDEX = 'libs/events/src/edge/index.ts';
    // The real catalog file, so the registration is tested against what it must edit.
    const realIndex = readFileSync(join(__dirname, '../../../../', INDEX), 'utf8');
    beforeEach(() => tree.write(INDEX, realIndex));

    it('declares a JWT route for role member, writes and registers its response contract', async () => {
      await lambdaGenerator(tree, {
        name: 'things-get',
        trigger: 'http',
        route: 'GET /things/{id}',
      });

      expect(readJson(tree, 'apps/things-get/lambda.manifest.json').triggers).toEqual([
        {
          type: 'http',
          method: 'GET',
          path: '/things/{id}',
          auth: { type: 'jwt', roles: ['member'] },
          response: 'ThingsGetResponse',
        },
      ]);
      expect(tree.exists('apps/things-get/src/schema.ts')).toBe(false);
      expect(tree.read('libs/events/src/edge/things-get.ts', 'utf8')).toContain(
        'export const ThingsGetResponseSchema = z.strictObject({',
      );
      const index = tree.read(INDEX, 'utf8') as string;
      expect(index).toContain("import { ThingsGetResponseSchema } from './things-get';\n");
      expect(index).toContain("export * from './things-get';\n");
      expect(index).toContain(
        '  ThingsGetResponse: ThingsGetResponseSchema,\n} as const satisfies',
      );
      expect(tree.read('apps/things-get/src/handler.ts', 'utf8')).toContain(
        'ThingsGetResponseSchema.parse({',
      );
      expect(
        JSON.parse(
          tree.read('apps/things-get/tests/events/api-gateway/valid.json', 'utf8') as string,
        ),
      ).toMatchObject({
        resource: '/things/{id}',
        path: '/things/example-id',
        httpMethod: 'GET',
        pathParameters: { id: 'example-id' },
      });
    });

    it('makes the route public with --public-reason and takes --roles otherwise', async () => {
      await lambdaGenerator(tree, {
        name: 'hook-in',
        trigger: 'http',
        route: 'POST /hooks/in',
        publicReason: 'The sender signs every delivery',
      });
      await lambdaGenerator(tree, {
        name: 'admin-put',
        trigger: 'http',
        route: 'PUT /admin/{id}',
        roles: 'admin, owner',
      });

      expect(readJson(tree, 'apps/hook-in/lambda.manifest.json').triggers[0].auth).toEqual({
        type: 'public',
        reason: 'The sender signs every delivery',
      });
      expect(readJson(tree, 'apps/admin-put/lambda.manifest.json').triggers[0].auth).toEqual({
        type: 'jwt',
        roles: ['admin', 'owner'],
      });
    });

    it('refuses a route that is not "<METHOD> <path>" and a path API Gateway would refuse', async () => {
      await expect(
        lambdaGenerator(tree, { name: 'bad-a', trigger: 'http', route: 'FETCH /x' }),
      ).rejects.toThrow('--route="FETCH /x" is not "<METHOD> <path>"');
      await expect(
        lambdaGenerator(tree, { name: 'bad-b', trigger: 'http', route: 'GET /things/' }),
      ).rejects.toThrow('triggers.0.path = "/things/": must not end with "/"');
      expect(tree.exists('libs/events/src/edge/bad-b.ts')).toBe(false);
      expect(tree.read(INDEX, 'utf8')).toBe(realIndex);
    });
  });

  describe('--trigger=event', () => {
    it('subscribes to <ClassName>Requested from slipway.<domain> on the platform bus, with the default retries', async () => {
      await lambdaGenerator(tree, { name: 'demo-events', trigger: 'event' });

      const manifest = parseManifest(
        readJson(tree, 'apps/demo-events/lambda.manifest.json'),
        'apps/demo-events/lambda.manifest.json',
      );
      expect(manifest.triggers).toEqual([
        {
          type: 'event',
          bus: 'platform',
          pattern: { source: ['slipway.platform'], 'detail-type': ['DemoEventsRequested'] },
          retry: { maximumEventAgeSeconds: 3600, maximumAttempts: 3 },
        },
      ]);
      expect(readJson(tree, 'apps/demo-events/tests/events/eventbridge/valid.json')).toMatchObject({
        'detail-type': 'DemoEventsRequested',
        source: 'slipway.platform',
      });
      expect(tree.read('apps/demo-events/src/schema.ts', 'utf8')).toContain(
        "export const DEMO_EVENTS_DETAIL_TYPE = 'DemoEventsRequested';",
      );
    });

    it('takes --bus and --detail-type, and the manifest check refuses a bus name the build would', async () => {
      await lambdaGenerator(tree, {
        name: 'on-paid',
        domain: 'jobs',
        trigger: 'event',
        bus: 'payments',
        detailType: 'PaymentSucceeded',
      });
      expect(readJson(tree, 'apps/on-paid/lambda.manifest.json').triggers).toEqual([
        {
          type: 'event',
          bus: 'payments',
          pattern: { source: ['slipway.jobs'], 'detail-type': ['PaymentSucceeded'] },
        },
      ]);

      await expect(
        lambdaGenerator(tree, { name: 'bad-bus', trigger: 'event', bus: 'Platform' }),
      ).rejects.toThrow('triggers.0.bus');
      expect(tree.exists('apps/bad-bus')).toBe(false);
    });
  });

  describe('--trigger=schedule', () => {
    it('runs every hour in UTC with the scheduled time as input', async () => {
      await lambdaGenerator(tree, { name: 'demo-tick', trigger: 'schedule' });

      expect(readJson(tree, 'apps/demo-tick/lambda.manifest.json').triggers).toEqual([
        {
          type: 'schedule',
          name: 'every-hour',
          expression: 'rate(1 hour)',
          timezone: 'UTC',
          input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
        },
      ]);
      expect(readJson(tree, 'apps/demo-tick/tests/events/scheduler/valid.json')).toEqual({
        scheduledTime: '2026-12-02T09:00:00Z',
      });
    });

    it('takes --schedule and --timezone, and refuses a time zone the build would', async () => {
      await lambdaGenerator(tree, {
        name: 'nightly',
        trigger: 'schedule',
        schedule: 'cron(30 2 * * ? *)',
        timezone: 'Europe/Paris',
      });
      expect(readJson(tree, 'apps/nightly/lambda.manifest.json').triggers[0]).toMatchObject({
        expression: 'cron(30 2 * * ? *)',
        timezone: 'Europe/Paris',
      });

      await expect(
        lambdaGenerator(tree, { name: 'bad-zone', trigger: 'schedule', timezone: 'Mars/Olympus' }),
      ).rejects.toThrow('triggers.0.timezone');
      expect(tree.exists('apps/bad-zone')).toBe(false);
    });
  });

  describe('--trigger=graphql', () => {
    const SDL = 'libs/users/graphql/schema.graphql';
    const RESOLVER = 'apps/users-graphql/lambda.manifest.json';
    // The real SDL and the manifest resolving its fields, so the edit is tested on what it must edit.
    const repo = join(__dirname, '../../../../');
    const realSdl = readFileSync(join(repo, SDL), 'utf8');
    const realResolver = readFileSync(join(repo, RESOLVER), 'utf8');
    const generated = (field: string) =>
      `  "Resolved by the users-thing-status Lambda. Generated: give it its real arguments, type and description."\n  ${field}(id: ID!): String\n`;
    beforeEach(() => {
      tree.write(SDL, realSdl);
      tree.write(RESOLVER, realResolver);
    });

    it("resolves Query.<field> of the domain's API, adding the field before the type's closing brace", async () => {
      await lambdaGenerator(tree, {
        name: 'users-thing-status',
        domain: 'users',
        trigger: 'graphql',
        field: 'Query.thingStatus',
      });

      expect(
        tree
          .listChanges()
          .map((c) => c.path)
          .filter((p) => p.startsWith('apps/users-thing-status/'))
          .sort(),
      ).toEqual(
        [
          'README.md',
          'eslint.config.mjs',
          'jest.config.cjs',
          'lambda.manifest.json',
          'project.json',
          'src/handler.ts',
          'src/schema.ts',
          'tests/events/appsync/valid.json',
          'tests/unit/handler.spec.ts',
          'tsconfig.app.json',
          'tsconfig.json',
        ].map((f) => `apps/users-thing-status/${f}`),
      );
      const manifest = parseManifest(
        readJson(tree, 'apps/users-thing-status/lambda.manifest.json'),
        'apps/users-thing-status/lambda.manifest.json',
      );
      expect(manifest.domain).toBe('users');
      expect(manifest.triggers).toEqual([
        { type: 'graphql', api: 'users', parent: 'Query', field: 'thingStatus' },
      ]);
      // Every byte of the SDL kept; the field added as the last one of Query.
      const anchor = '  user(id: ID!): User\n}';
      expect(realSdl.split(anchor)).toHaveLength(2);
      expect(tree.read(SDL, 'utf8')).toBe(
        realSdl.replace(anchor, `  user(id: ID!): User\n${generated('thingStatus')}}`),
      );
      const schema = tree.read('apps/users-thing-status/src/schema.ts', 'utf8');
      expect(schema).toContain("export const USERS_THING_STATUS_FIELD = 'Query.thingStatus';");
      expect(schema).toContain(
        "parentTypeName: z.literal('Query'),\n    fieldName: z.literal('thingStatus'),",
      );
      expect(tree.read('apps/users-thing-status/src/handler.ts', 'utf8')).toContain(
        'instrumentHandler(',
      );
      expect(
        readJson(tree, 'apps/users-thing-status/tests/events/appsync/valid.json'),
      ).toMatchObject({
        arguments: { id: 'example-1' },
        info: { parentTypeName: 'Query', fieldName: 'thingStatus' },
      });
    });

    it('adds a Mutation field the same way, and takes a field of the generated shape as it is', async () => {
      await lambdaGenerator(tree, {
        name: 'users-thing-status',
        domain: 'users',
        trigger: 'graphql',
        field: 'Mutation.resetThing',
      });
      const anchor = '  updateProfile(input: UpdateProfileInput!): User\n}';
      const expected = realSdl.replace(
        anchor,
        `  updateProfile(input: UpdateProfileInput!): User\n${generated('resetThing')}}`,
      );
      expect(tree.read(SDL, 'utf8')).toBe(expected);

      // A second Lambda on an unresolved field that already has the generated shape: SDL as is.
      tree.delete('apps/users-thing-status');
      await lambdaGenerator(tree, {
        name: 'users-reset',
        domain: 'users',
        trigger: 'graphql',
        field: 'Mutation.resetThing',
      });
      expect(tree.read(SDL, 'utf8')).toBe(expected);
      expect(readJson(tree, 'apps/users-reset/lambda.manifest.json').triggers).toEqual([
        { type: 'graphql', api: 'users', parent: 'Mutation', field: 'resetThing' },
      ]);
    });

    it.each([
      [
        'a field that is not <Parent>.<field>',
        { field: 'thingStatus' },
        '--field="thingStatus" is not "<Parent>.<field>": write e.g. --field=Query.thingStatus, with Parent Query or Mutation.',
      ],
      [
        'a parent that is not Query or Mutation',
        { field: 'Subscription.thingChanged' },
        '--field="Subscription.thingChanged" is not "<Parent>.<field>": write e.g. --field=Query.thingStatus, with Parent Query or Mutation.',
      ],
      [
        'a domain that owns no GraphQL API',
        { domain: 'media' },
        '--domain=media owns no GraphQL API in GRAPHQL_APIS (libs/manifest/src/graphql.ts): the domains with one are users (API "users", libs/users/graphql/schema.graphql); pass one of them as --domain, or declare the API there first.',
      ],
      [
        'a field a manifest already resolves',
        { field: 'Query.user' },
        'Query.user of the "users" GraphQL API is already resolved by apps/users-graphql/lambda.manifest.json: AppSync holds one resolver per field; pick another --field, or move the trigger out of that manifest first.',
      ],
    ])('refuses %s and writes nothing', async (_case, broken, message) => {
      const valid = {
        name: 'users-thing-status',
        domain: 'users',
        trigger: 'graphql' as const,
        field: 'Query.thingStatus',
      };

      await expect(lambdaGenerator(tree, { ...valid, ...broken })).rejects.toThrow(message);
      expect(tree.exists('apps/users-thing-status')).toBe(false);
      expect(tree.read(SDL, 'utf8')).toBe(realSdl);
    });

    it('refuses an unresolved field of another shape, and an SDL without the parent type', async () => {
      tree.delete(RESOLVER);
      await expect(
        lambdaGenerator(tree, {
          name: 'users-get',
          domain: 'users',
          trigger: 'graphql',
          field: 'Query.user',
        }),
      ).rejects.toThrow(
        'Query.user is in libs/users/graphql/schema.graphql as user(id: ID!): User, and the generator writes resolvers of user(id: ID!): String: pick a new --field (it is added to the SDL), or write this resolver by hand.',
      );

      tree.write(SDL, realSdl.replace(/type Mutation \{[^}]*\}\n/, ''));
      await expect(
        lambdaGenerator(tree, {
          name: 'users-reset',
          domain: 'users',
          trigger: 'graphql',
          field: 'Mutation.resetThing',
        }),
      ).rejects.toThrow(
        'libs/users/graphql/schema.graphql has no "type Mutation { … }": add it (and to the schema block) first, or resolve a field of another root type.',
      );
      expect(tree.exists('apps/users-get')).toBe(false);
      expect(tree.exists('apps/users-reset')).toBe(false);
    });
  });

  it('refuses a trigger it does not know, naming the ones it does', async () => {
    await expect(
      lambdaGenerator(tree, { name: 'bad-kind', trigger: 'queue' as never }),
    ).rejects.toThrow(
      '--trigger=queue is not a trigger the generator knows: use invoke, http, event, schedule or graphql.',
    );
  });
});
