import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, shOk } from './workspace';

describe('nx affected follows code and infrastructure', () => {
  const dir = copyWorkspace('affected');
  const lambdas = readdirSync(join(dir, 'apps')).filter((a) =>
    existsSync(join(dir, 'apps', a, 'lambda.manifest.json')),
  );

  /** Projects affected by appending a line to `file` (relative to the workspace). */
  function affectedBy(file: string, line: string): string[] {
    shOk(dir, 'git checkout -q -- . && git clean -qfd');
    appendFileSync(join(dir, file), line);
    const out = shOk(dir, 'npx nx show projects --affected --base=HEAD --json');
    return (JSON.parse(out.slice(out.indexOf('['), out.lastIndexOf(']') + 1)) as string[]).sort();
  }

  it('a change in one app affects that app and the stacks only', () => {
    expect(affectedBy('apps/media-validate/src/handler.ts', '\n// touched\n')).toEqual([
      'media-validate',
      'stacks',
    ]);
  });

  it('a change in libs/observability affects every Lambda (and the stacks that deploy them)', () => {
    const affected = affectedBy('libs/observability/src/index.ts', '\n// touched\n');

    expect(lambdas.length).toBeGreaterThan(0);
    expect(affected).toEqual(expect.arrayContaining([...lambdas, 'observability', 'stacks']));
    expect(affected).not.toContain('tf-lambda-function');
  });

  it('a change in the lambda-function module affects that module and the stacks', () => {
    expect(affectedBy('terraform/modules/lambda-function/main.tf', '\n# touched\n')).toEqual([
      'stacks',
      'tf-lambda-function',
    ]);
  });
});
