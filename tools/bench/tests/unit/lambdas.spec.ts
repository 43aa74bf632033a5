import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { discoverLambdas } from '../../src/lambdas';

/** Every workspace a test made; removed after the file's tests, whether they passed or not. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bench-lambdas-'));
  made.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A valid manifest (the bench loads them as the stacks do). */
const manifest = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    name,
    domain: 'etl',
    description: `The ${name} function.`,
    memory: 256,
    timeout: 30,
    environment: {},
    permissions: [],
    logRetentionDays: 30,
    alarms: { errors: 1, throttles: 1 },
    ...extra,
  });

describe('discoverLambdas', () => {
  it('lists every apps/<name> with a manifest, sorted, with its package outputs and deploy-time variables', () => {
    const root = workspace({
      'apps/zeta/lambda.manifest.json': manifest('zeta'),
      'apps/alpha/lambda.manifest.json': manifest('alpha', {
        environment: { LIMIT: '5' },
        permissions: ['read data:raw/*', 'write data:staging/*'],
      }),
      'apps/not-a-lambda/README.md': '# no manifest here',
    });

    const lambdas = discoverLambdas(root);

    expect(lambdas.map((l) => l.name)).toEqual(['alpha', 'zeta']);
    expect(lambdas[0]).toEqual({
      name: 'alpha',
      bundleFile: join(root, 'dist/apps/alpha/bundle/handler.js'),
      zipFile: join(root, 'dist/apps/alpha/alpha.zip'),
      // A handler that reads BUCKET_DATA at init must load; NODE_OPTIONS is the bench's to set.
      environment: {
        LIMIT: '5',
        BUCKET_DATA: 'slipway-bench-data-111111111111',
        POWERTOOLS_SERVICE_NAME: 'alpha',
        POWERTOOLS_METRICS_NAMESPACE: 'Slipway/etl',
        SLIPWAY_ENVIRONMENT: 'bench',
      },
    });
  });

  it('returns nothing when there is no apps folder', () => {
    expect(discoverLambdas(workspace({ 'README.md': '' }))).toEqual([]);
  });

  it('names the manifest that is not JSON', () => {
    const root = workspace({ 'apps/broken/lambda.manifest.json': '{ nope' });
    expect(() => discoverLambdas(root)).toThrow(
      /broken[/\\]lambda\.manifest\.json[\s\S]*is not valid JSON/,
    );
  });
});
