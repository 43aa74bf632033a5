/**
 * Stale plans, for real: a root with a local backend is planned with -out, then its state is
 * moved by another apply. Both plan-guard and `terraform apply <plan>` must refuse the old plan,
 * and a plan made after the move must pass both.
 */
import { rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/plan-guard';
import { localRoot, terraform, terraformOk } from './terraform-root';

const COMMIT = 'c0ffee0000000000000000000000000000000001';
const STACK = ['--stack', 'demo-dev', '--environment', 'dev'];

/** Runs the plan-guard CLI in-process; returns its exit code and what it printed. */
async function guard(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { write: (s) => void out.push(s), error: (s) => void err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

describe('plan-guard with terraform on a local backend', () => {
  let dir: string;
  let plan: string;

  beforeAll(async () => {
    // Prepare: state at serial 1, then a saved plan of another release, recorded.
    dir = localRoot();
    terraformOk(dir, ['apply', '-auto-approve', '-no-color', '-var', 'release=one']);
    plan = join(dir, 'demo-dev.tfplan');
    terraformOk(dir, ['plan', '-no-color', `-out=${plan}`, '-var', 'release=two']);
    const recorded = await guard(['record', '--plan', plan, ...STACK, '--commit', COMMIT]);
    if (recorded.code !== 0) throw new Error(recorded.err);
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes a fresh plan', async () => {
    // Act
    const result = await guard([
      'verify',
      '--plan',
      plan,
      ...STACK,
      '--commit',
      COMMIT,
      '--dir',
      dir,
    ]);

    // Assess
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('demo-dev plan is fresh');
  });

  it('refuses the plan from another commit or for another stack, naming both', async () => {
    // Act
    const result = await guard([
      'verify',
      '--plan',
      plan,
      '--stack',
      'demo-prod',
      '--environment',
      'prod',
      '--commit',
      'c0ffee0000000000000000000000000000000002',
      '--dir',
      dir,
    ]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toContain('the plan is for demo-dev (dev), not for demo-prod (prod)');
    expect(result.err).toContain(
      `the plan was made at commit ${COMMIT}, but c0ffee0000000000000000000000000000000002 is checked out`,
    );
  });

  describe('after another apply moved the state', () => {
    beforeAll(() => {
      // Prepare: someone applies a third release; the state goes to serial 2.
      terraformOk(dir, ['apply', '-auto-approve', '-no-color', '-var', 'release=three']);
    }, 60_000);

    it('plan-guard refuses the old plan and says the serial moved', async () => {
      // Act
      const result = await guard([
        'verify',
        '--plan',
        plan,
        ...STACK,
        '--commit',
        COMMIT,
        '--dir',
        dir,
      ]);

      // Assess
      expect(result.code).toBe(1);
      expect(result.err).toContain('the state moved from serial 1 to 2 since the plan');
      expect(result.err).toContain('Re-run the plan');
    });

    it('terraform apply refuses it too: "Saved plan is stale"', () => {
      // Act
      const result = terraform(dir, ['apply', '-no-color', '-input=false', plan]);

      // Assess
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Saved plan is stale');
    });

    it('a plan made after the move passes both', async () => {
      // Prepare
      const fresh = join(dir, 'fresh.tfplan');
      terraformOk(dir, ['plan', '-no-color', `-out=${fresh}`, '-var', 'release=four']);
      await guard(['record', '--plan', fresh, ...STACK, '--commit', COMMIT]);

      // Act
      const verified = await guard([
        'verify',
        '--plan',
        fresh,
        ...STACK,
        '--commit',
        COMMIT,
        '--dir',
        dir,
      ]);
      const applied = terraform(dir, ['apply', '-no-color', '-input=false', fresh]);

      // Assess
      expect(verified.code).toBe(0);
      expect(applied.status).toBe(0);
      expect(terraformOk(dir, ['output', '-raw', 'release']).stdout).toBe('four');
    });
  });

  it('refuses a plan file that is not the one recorded', async () => {
    // Prepare: a new plan recorded, then its bytes changed on the way to the apply job.
    const other = join(dir, 'tampered.tfplan');
    terraformOk(dir, ['plan', '-no-color', `-out=${other}`, '-var', 'release=five']);
    await guard(['record', '--plan', other, ...STACK, '--commit', COMMIT]);
    appendFileSync(other, Buffer.from([0]));

    // Act
    const result = await guard([
      'verify',
      '--plan',
      other,
      ...STACK,
      '--commit',
      COMMIT,
      '--dir',
      dir,
    ]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /the plan file's sha256 is [0-9a-f]{16}…, not the [0-9a-f]{16}… recorded/,
    );
  });

  it('refuses to record something that is not a saved plan', async () => {
    // Prepare
    const notAPlan = join(dir, 'plan.json');
    writeFileSync(notAPlan, '{"format_version":"1.2"}');

    // Act
    const result = await guard(['record', '--plan', notAPlan, ...STACK, '--commit', COMMIT]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toContain('is not a saved Terraform plan (terraform plan -out=<file>)');
  });
});
