/**
 * Plan guards on real offline plans: Terraform and the AWS provider plan the governed bucket
 * module against a state where the bucket exists, once renamed (the provider plans a replace)
 * and once unchanged. The engine must block the replace unless the run allows that address.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planOffline } from '@slipway/terraform';
import { exitCode, scan } from '../../src/engine';
import { render } from '../../src/report';

const REPO = path.join(__dirname, '../../../..');
const FIXTURE = path.join(__dirname, 'fixtures/bucket-rename');
const ADDRESS = 'module.uploads.aws_s3_bucket.this';
/** Both plans' roots live under one folder, removed after the tests (also on failure). */
const scratch = mkdtempSync(path.join(tmpdir(), 'governance-plan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Plans the fixture root with `bucket_name` against the prior state; returns the plan file. */
async function planWith(bucketName: string): Promise<string> {
  const dir = mkdtempSync(path.join(scratch, 'root-'));
  writeFileSync(
    path.join(dir, 'main.tf'),
    readFileSync(path.join(FIXTURE, 'main.tf.tpl'), 'utf8').replace(
      'BUCKET_MODULE',
      path.join(REPO, 'terraform/modules/bucket'),
    ),
  );
  const outFile = path.join(dir, 'plan.json');
  await planOffline({
    dir,
    outFile,
    priorState: path.join(FIXTURE, 'prior-state.json'),
    vars: { bucket_name: bucketName },
  });
  return outFile;
}

let renamed: string;
let unchanged: string;
beforeAll(async () => {
  // Prepare: two real plans (sequential: terraform init shares the plugin cache).
  renamed = await planWith('slipway-dev-uploads-renamed');
  unchanged = await planWith('slipway-dev-uploads-111111111111');
}, 240_000);

describe('plan guard on a real offline plan', () => {
  it('sees the replace Terraform planned for the renamed bucket', () => {
    // Assess: the premise of the next tests comes from the provider, not from a fixture.
    const plan = JSON.parse(readFileSync(renamed, 'utf8')) as {
      resource_changes: { address: string; change: { actions: string[] } }[];
    };
    const change = plan.resource_changes.find((c) => c.address === ADDRESS);
    expect(change?.change.actions).toEqual(['delete', 'create']);
  });

  it('blocks replacing a stateful bucket', async () => {
    // Act
    const result = await scan({ plans: [renamed], profile: 'baseline' });

    // Assess
    const guard = result.findings.filter((f) => f.ruleId === 'SLW-PLAN-001');
    expect(guard.map((f) => f.address)).toEqual([ADDRESS]);
    expect(guard[0].allowed).toBeUndefined();
    expect(exitCode(result, 'high')).toBe(1);
    expect(Object.values(result.blastRadius)[0]).toMatchObject({ replace: 1, delete: 0 });
  });

  it('lets the run pass when that address is explicitly allowed, and says so', async () => {
    // Act
    const result = await scan({ plans: [renamed], profile: 'baseline', allowDestroy: [ADDRESS] });

    // Assess
    const guard = result.findings.filter((f) => f.ruleId === 'SLW-PLAN-001');
    expect(guard).toHaveLength(1);
    expect(guard[0].allowed).toBeDefined();
    expect(exitCode(result, 'low')).toBe(0);
    expect(render(result, 'table')).toContain('(allowed)');
    expect(render(result, 'markdown')).toMatch(/allowed by --allow-destroy/);
  });

  it('does not flag the same bucket when nothing forces a replace', async () => {
    // Act
    const result = await scan({ plans: [unchanged], profile: 'baseline' });

    // Assess
    expect(result.findings.filter((f) => f.ruleId === 'SLW-PLAN-001')).toEqual([]);
    expect(Object.values(result.blastRadius)[0]).toMatchObject({ replace: 0, delete: 0 });
  });
});
