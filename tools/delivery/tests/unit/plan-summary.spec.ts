import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  classifyActions,
  collectPlanFiles,
  main,
  parseArgs,
  PLAN_SUMMARY_MARKER,
  redactPlan,
  renderPlanSummary,
  summarizeStack,
  type TerraformPlanJson,
} from '../../src/plan-summary';
import { UsageError } from '../../src/errors';

/** This file's temp folders live under one folder, removed after its tests (also on failure). */
const scratch = mkdtempSync(join(tmpdir(), 'plan-summary-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PLANS = join(__dirname, '../fixtures/plans');
const fixture = (name: string): TerraformPlanJson =>
  JSON.parse(readFileSync(join(PLANS, `${name}.json`), 'utf8')) as TerraformPlanJson;

/** Runs the CLI in-process. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { write: (s) => void out.push(s), error: (s) => void err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

describe('classifyActions', () => {
  it.each([
    [['create'], 'create'],
    [['update'], 'update'],
    [['delete'], 'delete'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['no-op'], 'no-op'],
    [['read'], 'read'],
    [['forget'], 'forget'],
  ])('%j is %s', (actions, expected) => {
    expect(classifyActions(actions)).toBe(expected);
  });
});

describe('summarizeStack', () => {
  it('counts per action and lists changes most dangerous first, without data sources', () => {
    // Act
    const summary = summarizeStack({ stack: 'media-dev', plan: fixture('mixed') });

    // Assess
    expect(summary.counts).toEqual({ create: 1, update: 1, replace: 2, delete: 1, 'no-op': 1 });
    expect(summary.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      'delete aws_sqs_queue.old',
      'replace module.api.aws_cloudwatch_log_group.this',
      'replace module.bucket.aws_s3_bucket.this',
      'forget aws_sns_topic.kept_elsewhere',
      'update module.api.aws_lambda_function.this',
      'create module.bucket["a|b"].aws_s3_bucket.this',
    ]);
    expect(summary.changes[0]?.reason).toBe('delete_because_no_resource_config');
  });
});

describe('renderPlanSummary', () => {
  const mixed = summarizeStack({ stack: 'media-dev', plan: fixture('mixed') });
  const quiet = summarizeStack({ stack: 'platform-dev', plan: fixture('no-changes') });

  it('opens with the hidden marker the workflow edits its comment by', () => {
    expect(renderPlanSummary([quiet]).split('\n')[0]).toBe(PLAN_SUMMARY_MARKER);
  });

  it('says "no changes" plainly when nothing changes', () => {
    // Act
    const markdown = renderPlanSummary([quiet]);

    // Assess
    expect(markdown).toContain('**no changes** in any of them');
    expect(markdown).toContain('### platform-dev: no changes');
    expect(markdown).toContain('| platform-dev | 0 | 0 | 0 | 0 | 2 |');
    expect(markdown).not.toContain('CAUTION');
  });

  it('says so when nothing was planned at all', () => {
    expect(renderPlanSummary([])).toContain('No stacks affected by this change: nothing to plan.');
  });

  it('calls out destroys and replaces of every stack before any table of resources', () => {
    // Act
    const markdown = renderPlanSummary([mixed, quiet], { commit: 'abcdef0123456789abcdef' });

    // Assess
    expect(markdown).toContain('2 stacks planned at `abcdef012345`; 1 with changes.');
    const caution = markdown.indexOf('[!CAUTION]');
    expect(caution).toBeGreaterThan(markdown.indexOf('| Stack |'));
    expect(caution).toBeLessThan(markdown.indexOf('| Action | Resource |'));
    expect(markdown).toContain('**3 resources would be destroyed or replaced.**');
    expect(markdown).toContain(
      '> - media-dev: **replace** `module.api.aws_cloudwatch_log_group.this` (replace_because_cannot_update)',
    );
    expect(markdown).not.toMatch(/> - .*forget/);
  });

  it('keeps an address with a pipe inside its table cell', () => {
    expect(renderPlanSummary([mixed])).toContain(
      '| create | `module.bucket["a\\|b"].aws_s3_bucket.this` |',
    );
  });

  it('says when only outputs change', () => {
    // Act
    const markdown = renderPlanSummary([
      summarizeStack({ stack: 'platform-dev', plan: fixture('outputs-only') }),
    ]);

    // Assess
    expect(markdown).toContain('only output values change: `release`.');
    expect(markdown).not.toContain('### platform-dev: no changes');
  });

  it('appends the governance report after the plans', () => {
    // Act
    const markdown = renderPlanSummary([mixed], {
      governanceMarkdown: '## Governance\n\nNo findings.\n',
    });

    // Assess
    expect(markdown.indexOf('## Governance')).toBeGreaterThan(markdown.indexOf('### media-dev'));
    expect(markdown.trimEnd().endsWith('No findings.')).toBe(true);
  });

  describe('a plan too large for one comment', () => {
    // A clone of the mixed fixture with 3,000 more resources to create.
    const big = fixture('mixed');
    big.resource_changes = [
      ...(big.resource_changes ?? []),
      ...Array.from({ length: 3000 }, (_, i) => ({
        address: `module.lambda_${i}.aws_lambda_function.this`,
        mode: 'managed',
        change: { actions: ['create'] },
      })),
    ];
    const summary = summarizeStack({ stack: 'media-dev', plan: big });

    it("fits under GitHub's 65,536 characters, keeps the destroys and says what it left out", () => {
      // Act
      const markdown = renderPlanSummary([summary]);

      // Assess
      expect(markdown.length).toBeLessThan(65_536);
      expect(markdown).toContain('> - media-dev: **delete** `aws_sqs_queue.old`');
      expect(markdown).toMatch(/… \d+ more changes not listed here/);
      expect(markdown).toContain('| media-dev | 3001 | 1 | 2 | 1 | 1 |');
    });

    it('cuts a long governance report last, and says so', () => {
      // Act
      const governance = `## Governance\n\n${'- finding\n'.repeat(10_000)}`;
      const markdown = renderPlanSummary([summary], { governanceMarkdown: governance });

      // Assess
      expect(markdown.length).toBeLessThanOrEqual(65_000);
      expect(markdown).toContain('the governance report was cut here');
      expect(markdown).toContain('## Governance');
    });
  });
});

describe('collectPlanFiles', () => {
  it('finds plan JSON in folders, names stacks after files, skips metadata and summary.json', () => {
    // Prepare
    const dir = mkdtempSync(join(scratch, 'plans-'));
    mkdirSync(join(dir, 'plan-media-dev'));
    writeFileSync(join(dir, 'plan-media-dev', 'media-dev.json'), '{}');
    writeFileSync(join(dir, 'plan-media-dev', 'media-dev.tfplan.meta.json'), '{}');
    writeFileSync(join(dir, 'summary.json'), '{}');
    writeFileSync(join(dir, 'etl-dev.json'), '{}');

    // Act
    const files = collectPlanFiles([dir]);

    // Assess
    expect(files.map((f) => f.stack)).toEqual(['etl-dev', 'media-dev']);
  });
});

describe('parseArgs', () => {
  it('reads paths and flags in either form', () => {
    expect(
      parseArgs(['a.json', '--commit=abc', '--governance', 'g.md', 'dir', '--max-chars', '9000']),
    ).toEqual({
      paths: ['a.json', 'dir'],
      commit: 'abc',
      governance: 'g.md',
      maxChars: 9000,
    });
  });

  it.each([
    [[], 'give at least one plan JSON file'],
    [['a.json', '--max-chars', 'lots'], '--max-chars must be a whole number'],
    [['a.json', '--title'], '--title needs a value'],
    [['a.json', '--comment', 'x'], 'unknown argument "--comment"'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('main', () => {
  it('renders the fixtures and exits 0', async () => {
    // Act
    const result = await cli([PLANS]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.out).toContain('| mixed | 1 | 1 | 2 | 1 | 1 |');
  });

  it('prints no value of the plan: sensitive ones, plaintext ones or the prior state', async () => {
    // Prepare: a plan JSON whose variables, resource changes, outputs, planned values and prior
    // state carry values (marked sensitive or not) that all contain SECRET or PLAINTEXT.
    const file = join(PLANS, 'sensitive.json');
    const secrets = readFileSync(file, 'utf8').match(/"[A-Z]+-(SECRET|PLAINTEXT)-[a-z0-9]+"/g);

    // Act
    const result = await cli([file, '--commit', 'abc123', '--title', 'Plan']);

    // Assess: exactly the addresses, actions and reasons; none of the 11 values.
    expect(secrets).toHaveLength(11);
    expect(result).toEqual({
      code: 0,
      err: '',
      out: [
        PLAN_SUMMARY_MARKER,
        '## Plan',
        '',
        '1 stack planned at `abc123`; 1 with changes.',
        '',
        '| Stack | Create | Update | Replace | Delete | No-op |',
        '| ----- | -----: | -----: | ------: | -----: | ----: |',
        '| sensitive | 0 | 1 | 1 | 0 | 0 |',
        '',
        '> [!CAUTION]',
        '> **1 resource would be destroyed or replaced.** Make sure each one is intended; replacing a bucket or a log group loses its data.',
        '>',
        '> - sensitive: **replace** `module.lambda_api.aws_lambda_function.this` (replace_because_cannot_update)',
        '',
        '### sensitive: 0 to create, 1 to update, 1 to replace, 0 to delete',
        '',
        '| Action | Resource |',
        '| ------ | -------- |',
        '| **replace** | `module.lambda_api.aws_lambda_function.this` |',
        '| update | `aws_ssm_parameter.db_password` |',
        '',
      ].join('\n'),
    });
    expect(result.out).not.toMatch(/SECRET|PLAINTEXT|hunter2/);
  });

  it('writes the plan without a value as <stack>.changes.json, which renders the same summary', async () => {
    // Prepare
    const file = join(PLANS, 'sensitive.json');
    const dir = mkdtempSync(join(scratch, 'changes-'));
    const changes = join(dir, 'sensitive.changes.json');

    // Act
    const full = await cli([file, '--commit', 'abc123', '--changes-out', changes]);
    const redacted = await cli([dir, '--commit', 'abc123']);

    // Assess: the stack keeps its name, the Markdown is the same, no value is in the file.
    expect(full.code).toBe(0);
    expect(redacted).toEqual(full);
    expect(readFileSync(changes, 'utf8')).not.toMatch(/SECRET|PLAINTEXT|hunter2|before|after/);
    expect(JSON.parse(readFileSync(changes, 'utf8'))).toEqual(redactPlan(fixture('sensitive')));
    expect(redactPlan(fixture('sensitive'))).toEqual({
      format_version: fixture('sensitive').format_version,
      terraform_version: fixture('sensitive').terraform_version,
      resource_changes: [
        {
          address: 'aws_ssm_parameter.db_password',
          mode: 'managed',
          change: { actions: ['update'] },
        },
        {
          address: 'module.lambda_api.aws_lambda_function.this',
          mode: 'managed',
          change: { actions: ['delete', 'create'] },
          action_reason: 'replace_because_cannot_update',
        },
      ],
      output_changes: { db_password: { actions: ['update'] } },
    });
  });

  it('writes --changes-out for one plan only', async () => {
    const result = await cli([PLANS, '--changes-out', join(scratch, 'x.changes.json')]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--changes-out writes one plan');
  });

  it('exits 1 naming a file that is not plan JSON', async () => {
    // Prepare
    const file = join(mkdtempSync(join(scratch, 'plans-')), 'media-dev.json');
    writeFileSync(file, '{"resource_changes": []}');

    // Act
    const result = await cli([file]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${file}: has no "format_version"`);
  });

  it('exits 1 for a path that does not exist and 2 for bad usage', async () => {
    expect((await cli(['/nonexistent/plans'])).code).toBe(1);
    expect((await cli(['--nope'])).code).toBe(2);
  });
});
