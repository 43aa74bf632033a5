/**
 * drift-report on real `terraform plan -detailed-exitcode` results: a root in step with its
 * state (exit 0), one with a change not applied (exit 2) and a plan that fails (exit 1), saved
 * the way the drift workflow saves them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/drift-report';
import { localRoot, terraform, terraformOk } from './terraform-root';

/** What the drift job does for one stack: plan -detailed-exitcode, keep code, JSON and log. */
function checkDrift(root: string, results: string, stack: string, vars: string[]): number {
  const plan = join(root, `${stack}.tfplan`);
  const result = terraform(root, [
    'plan',
    '-detailed-exitcode',
    '-no-color',
    `-out=${plan}`,
    ...vars.flatMap((v) => ['-var', v]),
  ]);
  writeFileSync(join(results, `${stack}.exitcode`), `${result.status}\n`);
  writeFileSync(join(results, `${stack}.log`), result.stdout + result.stderr);
  if (result.status !== 1)
    writeFileSync(
      join(results, `${stack}.json`),
      terraformOk(root, ['show', '-json', plan]).stdout,
    );
  return result.status;
}

describe('drift-report over real detailed exit codes', () => {
  let root: string;
  let results: string;
  const codes: Record<string, number> = {};

  beforeAll(() => {
    // Prepare: state holds release "live".
    root = localRoot();
    results = mkdtempSync(join(tmpdir(), 'delivery-drift-'));
    terraformOk(root, ['apply', '-auto-approve', '-no-color', '-var', 'release=live']);
    codes['demo-dev'] = checkDrift(root, results, 'demo-dev', ['release=live']);
    codes['demo-staging'] = checkDrift(root, results, 'demo-staging', ['release=next']);
    // A variable the root does not declare fails the plan.
    codes['demo-prod'] = checkDrift(root, results, 'demo-prod', ['release=live', 'nope=1']);
  }, 120_000);

  afterAll(() => {
    for (const dir of [root, results]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('rests on the three exit codes of terraform', () => {
    expect(codes).toEqual({ 'demo-dev': 0, 'demo-staging': 2, 'demo-prod': 1 });
  });

  it('reports no drift, undeployed changes and a failed plan, and asks for the issue', async () => {
    // Act
    const out: string[] = [];
    const json = join(results, 'status.json');
    const code = await main([results, '--json', json, '--date', '2026-11-27'], {
      write: (s) => void out.push(s),
      error: (s) => void out.push(s),
    });
    const markdown = out.join('');

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual({
      drifted: [],
      pending: ['demo-staging'],
      failed: ['demo-prod'],
      clean: ['demo-dev'],
      notify: true,
    });
    expect(markdown).toContain('| demo-dev | no drift | 0 | 0 |');
    expect(markdown).toContain('| demo-staging | undeployed changes | 0 | 1 |');
    expect(markdown).toContain('| demo-prod | **plan failed** | – | – |');
    expect(markdown).toContain('- update: `output.release`');
    // The failed plan's own error is quoted for whoever opens the issue.
    expect(markdown).toMatch(/### demo-prod: plan failed[\s\S]*```[\s\S]*Error/);
  });
});
