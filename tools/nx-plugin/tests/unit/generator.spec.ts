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

  it('refuses a trigger it does not know, naming the ones it does', async () => {
    await expect(
      lambdaGenerator(tree, { name: 'bad-kind', trigger: 'queue' as never }),
    ).rejects.toThrow(
      '--trigger=queue is not a trigger the generator knows: use invoke, http, event or schedule.',
    );
  });
});
