/**
 * plan-summary on a real plan: Terraform and the AWS provider (offline mirror) plan the governed
 * bucket module against a prior state in which the bucket has another name and a queue is no
 * longer declared. The Markdown must call out the replace and the delete first, and its counts
 * must agree with the offline-plan tooling's own summary of the same JSON.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planOffline, type PlanSummary } from '@slipway/terraform';
import { main, PLAN_SUMMARY_MARKER } from '../../src/plan-summary';

const REPO = join(__dirname, '../../../..');
const FIXTURE = join(__dirname, 'fixtures/real-plan');
const BUCKET = 'module.uploads.aws_s3_bucket.this';
const QUEUE = 'aws_sqs_queue.legacy';

describe('plan-summary on a real offline plan', () => {
  let dir: string;
  let planFile: string;
  let offlineSummary: PlanSummary;
  let markdown: string;

  beforeAll(async () => {
    // Prepare: a real plan JSON named like the stacks' plans (<stack>.json).
    dir = mkdtempSync(join(tmpdir(), 'delivery-plan-'));
    writeFileSync(
      join(dir, 'main.tf'),
      readFileSync(join(FIXTURE, 'main.tf.tpl'), 'utf8').replace(
        'BUCKET_MODULE',
        join(REPO, 'terraform/modules/bucket'),
      ),
    );
    planFile = join(dir, 'uploads-dev.json');
    ({ summary: offlineSummary } = await planOffline({
      dir,
      outFile: planFile,
      priorState: join(FIXTURE, 'prior-state.json'),
      vars: { bucket_name: 'slipway-dev-uploads-renamed' },
    }));

    // Act
    const out: string[] = [];
    const code = await main([planFile, '--commit', 'abcdef0123456789'], {
      write: (s) => void out.push(s),
      error: (s) => void out.push(s),
    });
    if (code !== 0) throw new Error(out.join(''));
    markdown = out.join('');
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('rests on a plan in which the provider replaces the bucket and deletes the queue', () => {
    // Assess: the premise comes from Terraform, not from a fixture.
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as {
      resource_changes: { address: string; change: { actions: string[] } }[];
    };
    const actions = Object.fromEntries(
      plan.resource_changes.map((c) => [c.address, c.change.actions]),
    );
    expect(actions[BUCKET]).toEqual(['delete', 'create']);
    expect(actions[QUEUE]).toEqual(['delete']);
  });

  it('counts exactly what the offline-plan tooling counts', () => {
    // Assess: an independent count of the same JSON (tools/terraform summarizePlan).
    const { create, update, replace, delete: del, noop } = offlineSummary;
    expect(markdown).toContain(
      `| uploads-dev | ${create} | ${update} | ${replace} | ${del} | ${noop} |`,
    );
    expect(replace).toBe(1);
    expect(del).toBe(1);
    expect(create).toBeGreaterThan(3);
  });

  it('opens with the sticky-comment marker and calls out the destroys before the resource table', () => {
    // Assess
    expect(markdown.startsWith(`${PLAN_SUMMARY_MARKER}\n`)).toBe(true);
    const caution = markdown.indexOf('[!CAUTION]');
    const table = markdown.indexOf('| Action | Resource |');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(table);
    const callout = markdown.slice(caution, table);
    expect(callout).toContain(`uploads-dev: **delete** \`${QUEUE}\``);
    expect(callout).toContain(`uploads-dev: **replace** \`${BUCKET}\``);
    expect(callout).toContain('2 resources would be destroyed or replaced');
  });

  it('lists the changed resources with the delete and the replace first', () => {
    // Assess
    const rows = markdown
      .slice(markdown.indexOf('| Action | Resource |'))
      .split('\n')
      .filter((line) => /^\| (\*\*)?(create|update|replace|delete)/.test(line));
    expect(rows[0]).toBe(`| **delete** | \`${QUEUE}\` |`);
    expect(rows[1]).toBe(`| **replace** | \`${BUCKET}\` |`);
    expect(rows.slice(2).every((row) => row.startsWith('| create |'))).toBe(true);
    expect(rows).toHaveLength(offlineSummary.create + 2);
  });

  it('stays under the limit it is given and says what it left out', async () => {
    // Act
    const out: string[] = [];
    await main([planFile, '--max-chars', '1000'], {
      write: (s) => void out.push(s),
      error: (s) => void out.push(s),
    });
    const short = out.join('');

    // Assess
    expect(short.length).toBeLessThanOrEqual(1000);
    expect(short).toContain('not listed here');
    expect(short).toContain(`**replace** \`${BUCKET}\``);
  });
});
