import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { discoverLambdas } from '../../src/lambdas';

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bench-lambdas-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('discoverLambdas', () => {
  it('lists every apps/<name> with a manifest, sorted, with its package outputs', () => {
    const root = workspace({
      'apps/zeta/lambda.manifest.json': JSON.stringify({ name: 'zeta' }),
      'apps/alpha/lambda.manifest.json': JSON.stringify({
        name: 'alpha',
        environment: { LIMIT: 5 },
      }),
      'apps/not-a-lambda/README.md': '# no manifest here',
    });

    const lambdas = discoverLambdas(root);

    expect(lambdas.map((l) => l.name)).toEqual(['alpha', 'zeta']);
    expect(lambdas[0]).toEqual({
      name: 'alpha',
      bundleFile: join(root, 'dist/apps/alpha/bundle/handler.js'),
      zipFile: join(root, 'dist/apps/alpha/alpha.zip'),
      environment: { LIMIT: '5' },
    });
  });

  it('returns nothing when there is no apps folder', () => {
    expect(discoverLambdas(workspace({ 'README.md': '' }))).toEqual([]);
  });

  it('names the manifest that is not JSON', () => {
    const root = workspace({ 'apps/broken/lambda.manifest.json': '{ nope' });
    expect(() => discoverLambdas(root)).toThrow(
      /broken[/\\]lambda\.manifest\.json is not valid JSON/,
    );
  });
});
