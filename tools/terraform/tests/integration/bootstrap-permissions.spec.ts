/**
 * The bootstrap's roles can plan and apply every stack: each environment's synthesized stacks are
 * planned offline, each planned resource becomes the IAM requests the AWS provider makes for it
 * (terraform/bootstrap/tests/provider-actions.json), and the bootstrap's policies for that
 * environment, from its own offline plan with that environment's account, must allow them: the
 * plan role every read, the deploy role every read and write. A resource type the map does not
 * know fails here first. And every workload role's own policy stays within the environment's
 * workload boundary, so what a deploy creates can also run. The escape routes are asked as
 * requests that must be denied (the plan role writing a lock file or reading another
 * environment's state; the deploy role re-trusting a role, writing a bucket policy outside its
 * buckets, adding a function permission), and the planned trust policies must name the apply
 * workflow on main and the environment (src/iam/trust.ts).
 *
 * The bucket and key policies decide too: the shared-account bootstrap (offline-plan.tfvars) is
 * planned a second time against the state its first plan would leave, with the delivery keys'
 * ARNs filled in (they exist only after apply, and the state bucket policy and the key identity
 * policies name them), and requests are evaluated against the identity policies plus the state
 * bucket, artifact bucket or key policy (src/iam/evaluate.ts, evaluateWithResourcePolicy).
 *
 * The dev stacks' plans are read, not made again: `stacks:plan` writes them once per run
 * (dist/terraform/plans/dev, which stacks:integration and stacks:governance read too) and
 * terraform-tools:integration depends on it. The rest (the other environments' stacks, the
 * bootstrap per environment account, the shared bootstrap's two rounds) are planned here, two at
 * a time, each root in its own copy. (Not tf-bootstrap:plan's plan, though it is round 0: as a
 * dependency it would run beside tf-bootstrap:governance, which would then scan the offline
 * override that planOffline puts into terraform/bootstrap for the plan's duration.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { awsResourceSchemas, stateFromPlan, type ResourceChange } from '../../src/applied-state';
import {
  evaluate,
  evaluateWithResourcePolicy,
  type Decision,
  type NamedPolicy,
  type PolicyDocument,
  type ResourcePolicy,
} from '../../src/iam/evaluate';
import {
  requiredPermissions,
  type PlanJson,
  type ProviderActions,
  type RequiredPermission,
} from '../../src/iam/required-permissions';
import { planOffline } from '../../src/offline-plan';
import { deployTrustProblems, planTrustProblems, type TrustPolicy } from '../../src/iam/trust';

const REPO = resolve(__dirname, '../../../..');
const STACKS = join(REPO, 'terraform/stacks/cdktf.out/stacks');
const BOOTSTRAP = join(REPO, 'terraform/bootstrap');
/** `stacks:plan:<env>` writes each stack's plan JSON to dist/terraform/plans/<env>/<stack>.json. */
const PLANS = join(REPO, 'dist/terraform/plans');
/**
 * Environments whose stacks Nx plans before this suite: the target depends on `stacks:plan`,
 * whose default configuration is dev (a dependsOn cannot pick another configuration).
 */
const PLANNED_BY_NX = new Set(['dev']);
const MAP: ProviderActions = JSON.parse(
  readFileSync(join(BOOTSTRAP, 'tests/provider-actions.json'), 'utf8'),
);
const CONFIG = JSON.parse(readFileSync(join(REPO, 'terraform/stacks/environments.json'), 'utf8'));
const ENVIRONMENTS: Record<string, { accountId: string; region: string }> = CONFIG.environments;

interface Planned {
  stacks: Record<string, PlanJson>;
  policies: Record<
    'terraform_read' | 'deploy_compute' | 'deploy_integration' | 'deploy_api',
    PolicyDocument
  >;
  boundary: PolicyDocument;
  /** assume_role_policy of the environment's plan and deploy roles, as planned. */
  trust: { plan: TrustPolicy; deploy: TrustPolicy };
}

/** offline-plan.tfvars: the repository the planned trust policies name. */
const REPOSITORY = 'acme/slipway';
/** variables.tf defaults: the apply workflow and the one environment pull requests plan. */
const APPLY_WORKFLOW = 'reusable-apply.yml';
const PULL_REQUEST_ENVIRONMENT = 'dev';

const planned: Record<string, Planned> = {};
let work: string;

/** The shared-account bootstrap (offline-plan.tfvars), planned once its delivery keys exist. */
const SHARED_ACCOUNT = '111111111111';
const keyArn = (env: string) =>
  `arn:aws:kms:eu-west-1:${SHARED_ACCOUNT}:key/${{ dev: '1', staging: '2', prod: '3' }[env]!.repeat(8)}-0000-4000-8000-000000000000`;
interface Shared {
  /** aws_iam_policy documents by `<name>/<env>`, e.g. `plan_key/dev`. */
  identity: Record<string, PolicyDocument>;
  keys: Record<string, PolicyDocument>;
  stateBucket: PolicyDocument;
  artifactBucket: PolicyDocument;
}
let shared: Shared;

/** The planned `policy` of one resource change, parsed (it must be known). */
function plannedPolicy(changes: ResourceChange[], address: string): PolicyDocument {
  const policy = changes.find((rc) => rc.address === address)?.change.after?.policy;
  if (typeof policy !== 'string') throw new Error(`bootstrap plan: ${address} has no known policy`);
  return JSON.parse(policy) as PolicyDocument;
}

/** A plan JSON Nx wrote before this suite, or an error that says which target writes it. */
function readPlan(file: string, target: string): PlanJson {
  if (!existsSync(file))
    throw new Error(
      `${file} is missing: run this suite through Nx (npx nx run terraform-tools:integration), which runs ${target} first.`,
    );
  return JSON.parse(readFileSync(file, 'utf8')) as PlanJson;
}

/** Terraform's working files, never copied: each copy is initialized and planned afresh. */
const WORKING_FILES = /^(\.terraform|terraform\.tfstate.*|.*_override\.tf(\.json)?|.*\.tfplan)$/;

/**
 * Copies the modules, the given synthesized stacks and one copy of the bootstrap per label
 * (`terraform/bootstrap-<label>`) into `dir`, keeping their relative layout (stacks and bootstrap
 * call `../…/modules/<name>`). Plans then run in the copy, one root folder each, so they can run
 * side by side: `terraform init` and the offline override never touch the checkout, and this
 * suite can run beside `stacks:plan`, `tf-bootstrap:plan` or governance scans of the same folders.
 */
async function copyTerraform(
  dir: string,
  stacks: string[],
  bootstraps: string[],
): Promise<{ stacks: string; bootstrap: (label: string) => string }> {
  const filter = (src: string) => !WORKING_FILES.test(basename(src));
  const stacksDir = join(dir, 'terraform/stacks/cdktf.out/stacks');
  const bootstrap = (label: string) => join(dir, `terraform/bootstrap-${label}`);
  await cp(join(REPO, 'terraform/modules'), join(dir, 'terraform/modules'), {
    recursive: true,
    filter,
  });
  for (const label of bootstraps)
    await cp(BOOTSTRAP, bootstrap(label), { recursive: true, filter });
  for (const stack of stacks)
    await cp(join(STACKS, stack), join(stacksDir, stack), { recursive: true, filter });
  return { stacks: stacksDir, bootstrap };
}

/** Runs `tasks` at most `limit` at a time (terraform plans are CPU-bound; CI has 2 cores). */
async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

beforeAll(
  async () => {
    // Prepare
    expect(existsSync(STACKS)).toBe(true);
    work = await mkdtemp(join(tmpdir(), 'slipway-bootstrap-permissions-'));
    const envOf = (stack: string) => Object.keys(ENVIRONMENTS).find((e) => stack.endsWith(`-${e}`));
    const toPlan = readdirSync(STACKS)
      .filter((stack) => {
        const env = envOf(stack);
        return env !== undefined && !PLANNED_BY_NX.has(env);
      })
      .sort();
    const copy = await copyTerraform(join(work, 'repo'), toPlan, [
      ...Object.keys(ENVIRONMENTS),
      'shared',
    ]);
    for (const env of Object.keys(ENVIRONMENTS))
      planned[env] = {
        stacks: {},
        policies: {} as never,
        boundary: { Statement: [] },
        trust: {} as never,
      };
    // Every plan of the dev stacks that stacks:plan:dev wrote (all of them, not only the ones
    // synthesized now: the domain test below then also checks that Nx planned every domain).
    for (const env of PLANNED_BY_NX)
      for (const file of readdirSync(join(PLANS, env)).filter(
        (f) => f.endsWith('.json') && f !== 'summary.json',
      ))
        planned[env].stacks[file.replace(/\.json$/, '')] = readPlan(
          join(PLANS, env, file),
          `stacks:plan:${env}`,
        );

    /** One environment account's bootstrap (the README's per-account apply: ARNs match exactly). */
    const planBootstrapOf = (env: string) => async () => {
      const { accountId, region } = ENVIRONMENTS[env];
      const { plan } = await planOffline({
        dir: copy.bootstrap(env),
        outFile: join(work, `bootstrap-${env}.json`),
        varFiles: ['offline-plan.tfvars'],
        vars: {
          aws_account_id: accountId,
          region,
          environments: JSON.stringify([env]),
          admin_principal_arns: JSON.stringify([`arn:aws:iam::${accountId}:role/slipway-admin`]),
        },
      });
      // From the policy resources, not output role_policies_json: its plan_key and deploy_key
      // name the delivery key's ARN, unknown until apply, so the output is not known as a whole.
      const roles = (plan as PlanJson).resource_changes ?? [];
      const changes = roles as unknown as ResourceChange[];
      planned[env].policies = {
        terraform_read: plannedPolicy(changes, `aws_iam_policy.terraform_read["${env}"]`),
        deploy_compute: plannedPolicy(changes, `aws_iam_policy.deploy_compute["${env}"]`),
        deploy_integration: plannedPolicy(changes, `aws_iam_policy.deploy_integration["${env}"]`),
        deploy_api: plannedPolicy(changes, `aws_iam_policy.deploy_api["${env}"]`),
      };
      planned[env].boundary = plannedPolicy(changes, `aws_iam_policy.workload_boundary["${env}"]`);
      const trustOf = (address: string): TrustPolicy => {
        const policy = roles.find((rc) => rc.address === address)?.change.after?.assume_role_policy;
        if (typeof policy !== 'string')
          throw new Error(`bootstrap plan: ${address} has no known assume_role_policy`);
        return JSON.parse(policy) as TrustPolicy;
      };
      planned[env].trust = {
        plan: trustOf(`aws_iam_role.plan["${env}"]`),
        deploy: trustOf(`aws_iam_role.deploy["${env}"]`),
      };
    };

    /** The shared-account bootstrap (offline-plan.tfvars), in two rounds in one folder. */
    const planShared = async () => {
      // Round 0: the keys' ARNs are unknown, so are the policies naming them. The provider's
      // schema (for the state) loads meanwhile.
      const [{ plan }, schemas] = await Promise.all([
        planOffline({
          dir: copy.bootstrap('shared'),
          outFile: join(work, 'bootstrap-shared-0.json'),
          varFiles: ['offline-plan.tfvars'],
        }),
        awsResourceSchemas(),
      ]);
      const round0 = plan as { resource_changes: ResourceChange[] };
      const state = stateFromPlan(round0, schemas, {
        serial: 1,
        lineage: '5e1f0a9e-0000-4000-8000-000000000001',
        known: (rc, key) => {
          if (rc.type === 'aws_kms_key') {
            const arn = keyArn(String(rc.index));
            return key === 'arn' ? arn : key === 'key_id' ? arn.split('/')[1] : undefined;
          }
          // A bucket's id is its name. With a placeholder there, every bucket configuration would
          // be replaced in round 1, and the buckets' module-level depends_on would then defer the
          // modules' data sources, leaving the bucket policies unknown again.
          if (rc.type.startsWith('aws_s3_bucket') && (key === 'id' || key === 'bucket'))
            return round0.resource_changes.find(
              (b) => b.type === 'aws_s3_bucket' && b.module_address === rc.module_address,
            )?.change.after?.bucket;
          return undefined;
        },
      });
      await writeFile(join(work, 'bootstrap-shared.tfstate'), JSON.stringify(state));
      // Round 1: planned against that state, every policy is known.
      const round1 = (
        await planOffline({
          dir: copy.bootstrap('shared'),
          outFile: join(work, 'bootstrap-shared-1.json'),
          varFiles: ['offline-plan.tfvars'],
          priorState: join(work, 'bootstrap-shared.tfstate'),
        })
      ).plan as { resource_changes: ResourceChange[] };
      const changes = round1.resource_changes;
      const identity: Record<string, PolicyDocument> = {};
      for (const env of Object.keys(ENVIRONMENTS))
        for (const name of [
          'terraform_read',
          'plan_key',
          'deploy_compute',
          'deploy_integration',
          'deploy_api',
          'deploy_key',
        ])
          identity[`${name}/${env}`] = plannedPolicy(changes, `aws_iam_policy.${name}["${env}"]`);
      shared = {
        identity,
        keys: Object.fromEntries(
          Object.keys(ENVIRONMENTS).map((env) => [
            env,
            plannedPolicy(changes, `aws_kms_key.delivery["${env}"]`),
          ]),
        ),
        stateBucket: plannedPolicy(changes, 'module.state_bucket.aws_s3_bucket_policy.this'),
        artifactBucket: plannedPolicy(changes, 'module.artifact_bucket.aws_s3_bucket_policy.this'),
      };
    };

    /** One stack of an environment Nx does not plan before this suite. */
    const planStack = (stack: string) => async () => {
      const env = envOf(stack)!;
      const { plan } = await planOffline({
        dir: join(copy.stacks, stack),
        outFile: join(work, `${stack}.json`),
      });
      planned[env].stacks[stack] = plan as PlanJson;
    };

    // Every plan in one pool, each root in its own folder; the longest chain first.
    await pool(2, [
      planShared,
      ...Object.keys(ENVIRONMENTS).map(planBootstrapOf),
      ...toPlan.map(planStack),
    ]);
  },
  15 * 60 * 1000,
);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * Actions the AWS provider calls (provider-actions.json) that the deploy role is denied on purpose
 * (terraform/bootstrap/README.md, "Guards besides scoping"), with the reason.
 */
const WITHHELD: Record<string, string> = {
  'iam:UpdateAssumeRolePolicy':
    'IAM has no condition key on a trust policy, so re-trusting could name an outside account; an administrator applies a changed workload trust',
};

const SUB = 'token.actions.githubusercontent.com:sub';

function requests(env: string): RequiredPermission[] {
  const { accountId, region } = ENVIRONMENTS[env];
  return Object.entries(planned[env].stacks).flatMap(([stack, plan]) =>
    requiredPermissions(stack, plan, MAP, { partition: 'aws', region, account: accountId }),
  );
}

function denied(policies: NamedPolicy[], wanted: RequiredPermission[]): string[] {
  const lines = wanted
    .map((r) => ({ r, d: evaluate(policies, r) }))
    .filter(({ d }) => d.decision !== 'allowed')
    .map(
      ({ r, d }) =>
        `${r.type}: ${r.action} on ${r.resource}${Object.keys(r.context ?? {}).length ? ` ${JSON.stringify(r.context)}` : ''} → ${d.decision}${d.statements.length ? ` (${d.statements.join(', ')})` : ''}`,
    );
  return [...new Set(lines)].sort();
}

/**
 * Each Allow of the workload roles' inline policies (aws_iam_role_policy), action by resource, as
 * a request: the boundary must allow at least as much. A `*` resource is checked as the account's
 * namespace of the action's service (`arn:aws:mediaconvert:<region>:<account>:*`): AWS authorizes
 * the real call on a concrete ARN, which the boundary may scope to the account. Simple condition
 * values of the statement become the request context (iam:PassedToService).
 */
function workloadRequests(env: string): RequiredPermission[] {
  const { accountId, region } = ENVIRONMENTS[env];
  const out: RequiredPermission[] = [];
  for (const [stack, plan] of Object.entries(planned[env].stacks))
    for (const rc of plan.resource_changes ?? []) {
      if (rc.type !== 'aws_iam_role_policy' || !rc.change.after) continue;
      const policy = rc.change.after.policy;
      if (typeof policy !== 'string')
        throw new Error(
          `${stack} ${rc.address}: policy unknown until apply; cannot check it against the boundary`,
        );
      const doc = JSON.parse(policy) as PolicyDocument;
      for (const st of [doc.Statement].flat()) {
        if (st.Effect !== 'Allow') continue;
        const context: Record<string, string> = {};
        for (const [operator, keys] of Object.entries(st.Condition ?? {}))
          if (!operator.includes(':'))
            for (const [key, value] of Object.entries(keys)) context[key] = [value].flat()[0];
        for (const action of [st.Action ?? []].flat())
          for (const resource of [st.Resource ?? []].flat())
            out.push({
              phase: 'write',
              action,
              resource:
                resource === '*'
                  ? `arn:aws:${action.split(':')[0]}:${region}:${accountId}:*`
                  : resource,
              // S3 sends the bucket owner's account with every request; the buckets are own ones.
              context: action.startsWith('s3:')
                ? { ...context, 's3:ResourceAccount': accountId }
                : context,
              source: `${stack} ${rc.address}`,
              type: `${rc.address} ${st.Sid ?? ''}`.trim(),
            });
      }
    }
  return out;
}

describe.each(Object.keys(ENVIRONMENTS))('%s', (env) => {
  it('plans at least one stack of every domain', () => {
    // Prepare: the domains are those synthesized in any environment (<domain>-<env>), so a new
    // domain (edge, from the HTTP Lambdas) is covered without editing this test.
    const domains = [
      ...new Set(
        readdirSync(STACKS)
          .map((stack) => Object.keys(ENVIRONMENTS).find((e) => stack.endsWith(`-${e}`)) && stack)
          .filter((stack): stack is string => !!stack)
          .map((stack) => stack.replace(/-[a-z0-9]+$/, '')),
      ),
    ].sort();

    // Assess: every domain planned in this environment, each plan with resource changes.
    expect(domains).toContain('platform');
    expect(Object.keys(planned[env].stacks).sort()).toEqual(domains.map((d) => `${d}-${env}`));
    for (const plan of Object.values(planned[env].stacks))
      expect((plan.resource_changes ?? []).length).toBeGreaterThan(0);
  });

  it('every planned resource type is in provider-actions.json', () => {
    // Act / Assess: throws, naming each missing type, when the map is behind the stacks.
    expect(requests(env).length).toBeGreaterThan(100);
  });

  it('the plan role (terraform_read) allows every read', () => {
    // Prepare
    const policies: NamedPolicy[] = [
      { name: 'terraform_read', document: planned[env].policies.terraform_read },
    ];

    // Act
    const missing = denied(
      policies,
      requests(env).filter((r) => r.phase === 'read'),
    );

    // Assess
    expect(missing).toEqual([]);
  });

  it('the deploy role (terraform_read + deploy_compute + deploy_integration) allows every read and write', () => {
    // Prepare
    const policies: NamedPolicy[] = Object.entries(planned[env].policies).map(
      ([name, document]) => ({ name, document }),
    );

    // Act
    const missing = denied(
      policies,
      requests(env).filter((r) => !(r.action in WITHHELD)),
    );

    // Assess
    expect(missing).toEqual([]);
  });

  it('the deploy role is denied every withheld action the provider would call', () => {
    // Prepare
    const policies: NamedPolicy[] = Object.entries(planned[env].policies).map(
      ([name, document]) => ({ name, document }),
    );
    const withheld = requests(env).filter((r) => r.action in WITHHELD);
    expect(withheld.length).toBeGreaterThan(0);

    // Act
    const decisions = new Set(withheld.map((r) => evaluate(policies, r).decision));

    // Assess
    expect([...decisions]).toEqual(['implicitDeny']);
  });

  it('the deploy role trusts only the apply workflow on main in its GitHub environment', () => {
    // Prepare
    const trust = { repository: REPOSITORY, environment: env };
    const withoutWorkflow = structuredClone(planned[env].trust.deploy);
    [withoutWorkflow.Statement].flat()[0].Condition!.StringEquals[SUB] =
      `repo:${REPOSITORY}:environment:${env}`;

    // Act
    const problems = deployTrustProblems(planned[env].trust.deploy, trust, APPLY_WORKFLOW);
    const broken = deployTrustProblems(withoutWorkflow, trust, APPLY_WORKFLOW);

    // Assess
    expect(problems).toEqual([]);
    expect(broken).toEqual([
      `statement GitHubActionsEnvironment: ${SUB} is "repo:${REPOSITORY}:environment:${env}", expected exactly "repo:${REPOSITORY}:environment:${env}:job_workflow_ref:${REPOSITORY}/.github/workflows/${APPLY_WORKFLOW}@refs/heads/main" (environment ${env}, ${APPLY_WORKFLOW} on main)`,
    ]);
  });

  it(`the plan role trusts pull requests only in ${PULL_REQUEST_ENVIRONMENT}, and plan workflows on main`, () => {
    // Prepare
    const trust = { repository: REPOSITORY, environment: env };
    const subjects = [planned[env].trust.plan.Statement].flat()[0].Condition!.StringLike[SUB];
    const pr = `repo:${REPOSITORY}:pull_request:job_workflow_ref:${REPOSITORY}/.github/workflows/reusable-plan.yml@refs/pull/*/merge`;

    // Act
    const problems = planTrustProblems(
      planned[env].trust.plan,
      trust,
      env === PULL_REQUEST_ENVIRONMENT,
    );

    // Assess
    expect(problems).toEqual([]);
    expect([subjects].flat().includes(pr)).toBe(env === PULL_REQUEST_ENVIRONMENT);
  });

  it("the plan role cannot write lock files or read other environments' state", () => {
    // Prepare
    const policies: NamedPolicy[] = [
      { name: 'terraform_read', document: planned[env].policies.terraform_read },
    ];
    const { accountId } = ENVIRONMENTS[env];
    const bucket = `arn:aws:s3:::slipway-tfstate-${accountId}`;
    const lock = `${bucket}/${env}/media-${env}.tfstate.tflock`;
    const others = Object.entries(ENVIRONMENTS).filter(([e]) => e !== env);

    // Act: S3 sends the bucket owner's account (s3:ResourceAccount) with every request.
    const decide = (action: string, resource: string, owner = accountId) =>
      evaluate(policies, { action, resource, context: { 's3:ResourceAccount': owner } }).decision;

    // Assess: its own state is readable (so the denials below are real decisions) ...
    expect(decide('s3:GetObject', `${bucket}/${env}/media-${env}.tfstate`)).toBe('allowed');
    // ... but no lock file can be created or removed ...
    expect(decide('s3:PutObject', lock)).toBe('implicitDeny');
    expect(decide('s3:DeleteObject', lock)).toBe('implicitDeny');
    // ... nor this environment's key in a same-named bucket of another account ...
    expect(decide('s3:GetObject', `${bucket}/${env}/media-${env}.tfstate`, '444444444444')).toBe(
      'implicitDeny',
    );
    // ... and no other environment's state, in this account's bucket or in its own account's.
    for (const [other, { accountId: otherAccount }] of others) {
      expect(decide('s3:GetObject', `${bucket}/${other}/media-${other}.tfstate`)).toBe(
        'implicitDeny',
      );
      expect(
        decide(
          's3:GetObject',
          `arn:aws:s3:::slipway-tfstate-${otherAccount}/${other}/media-${other}.tfstate`,
          otherAccount,
        ),
      ).toBe('implicitDeny');
    }
  });

  it('the deploy role locks its own state, which the plan role cannot', () => {
    // Prepare
    const policies: NamedPolicy[] = Object.entries(planned[env].policies).map(
      ([name, document]) => ({ name, document }),
    );
    const { accountId } = ENVIRONMENTS[env];
    const lock = `arn:aws:s3:::slipway-tfstate-${accountId}/${env}/media-${env}.tfstate.tflock`;
    const context = { 's3:ResourceAccount': accountId };

    // Act / Assess
    expect(evaluate(policies, { action: 's3:PutObject', resource: lock, context }).decision).toBe(
      'allowed',
    );
    expect(evaluate(policies, { action: 's3:DeleteObject', resource: lock, context })).toEqual({
      decision: 'allowed',
      statements: ['deploy_compute/LockOwnState'],
    });
  });

  it('the deploy role cannot re-trust a role, grant bucket policies outside its buckets, subscribe to topics or add function permissions', () => {
    // Prepare
    const policies: NamedPolicy[] = Object.entries(planned[env].policies).map(
      ([name, document]) => ({ name, document }),
    );
    const { accountId, region } = ENVIRONMENTS[env];
    const iam = `arn:aws:iam::${accountId}`;
    const decide = (action: string, resource: string, context?: Record<string, string>) =>
      evaluate(policies, { action, resource, context });

    // Act / Assess: a trust policy naming an outside principal cannot be set on any role.
    expect(
      decide('iam:UpdateAssumeRolePolicy', `${iam}:role/slipway-${env}-media-thumbnail`),
    ).toEqual({
      decision: 'implicitDeny',
      statements: [],
    });
    expect(
      decide(
        'iam:UpdateAssumeRolePolicy',
        `${iam}:role/slipway/bootstrap/slipway-${env}-github-deploy`,
      ),
    ).toEqual({ decision: 'explicitDeny', statements: ['deploy_compute/DenyBootstrapIamChanges'] });
    // Bucket policies only on this environment's workload buckets of this account (control
    // first): never on a same-named bucket of another account, the state, artifact or access-log
    // bucket, nor on another environment's buckets.
    const own = { 's3:ResourceAccount': accountId };
    const uploads = `arn:aws:s3:::slipway-${env}-media-uploads`;
    expect(decide('s3:PutBucketPolicy', uploads, own).decision).toBe('allowed');
    expect(
      decide('s3:PutBucketPolicy', uploads, { 's3:ResourceAccount': '444444444444' }).decision,
    ).toBe('implicitDeny');
    for (const bucket of [
      `slipway-tfstate-${accountId}`,
      `slipway-artifacts-${accountId}`,
      `slipway-accesslogs-${accountId}`,
      ...Object.keys(ENVIRONMENTS)
        .filter((e) => e !== env)
        .map((e) => `slipway-${e}-media-uploads`),
    ])
      expect(decide('s3:PutBucketPolicy', `arn:aws:s3:::${bucket}`, own).decision).toBe(
        'implicitDeny',
      );
    // No topic subscription, so no topic can feed an outside endpoint (the stacks plan none).
    expect(
      decide('sns:Subscribe', `arn:aws:sns:${region}:${accountId}:slipway-${env}-media-events`, {
        'sns:Protocol': 'https',
        'sns:Endpoint': 'https://example.com/hook',
      }),
    ).toEqual({ decision: 'implicitDeny', statements: [] });
    // Function permissions only for API Gateway (the rest-api module's invoke grants, control
    // first) and EventBridge (the event-rule module's), on this environment's functions: no
    // other principal or account.
    const fn = `arn:aws:lambda:${region}:${accountId}:function:slipway-${env}-media-thumbnail`;
    expect(
      decide('lambda:AddPermission', fn, { 'lambda:Principal': 'apigateway.amazonaws.com' }),
    ).toEqual({ decision: 'allowed', statements: ['deploy_api/GrantInvokeToApiGatewayOnly'] });
    expect(
      decide('lambda:AddPermission', fn, { 'lambda:Principal': 'events.amazonaws.com' }),
    ).toEqual({
      decision: 'allowed',
      statements: ['deploy_integration/GrantInvokeToEventBridgeOnly'],
    });
    const otherEnv = `arn:aws:lambda:${region}:${accountId}:function:slipway-other-media-thumbnail`;
    expect(
      decide('lambda:AddPermission', otherEnv, { 'lambda:Principal': 'events.amazonaws.com' })
        .decision,
    ).toBe('implicitDeny');
    for (const principal of ['scheduler.amazonaws.com', 's3.amazonaws.com', '444444444444', '*'])
      for (const action of ['lambda:AddPermission', 'lambda:RemovePermission'])
        expect(decide(action, fn, { 'lambda:Principal': principal }).decision).toBe('implicitDeny');
  });

  it("the deploy role changes only its own environment's REST API", () => {
    // Prepare
    const policies: NamedPolicy[] = Object.entries(planned[env].policies).map(
      ([name, document]) => ({ name, document }),
    );
    const { region } = ENVIRONMENTS[env];
    const api = `arn:aws:apigateway:${region}::/restapis/a1b2c3d4e5`;
    const decide = (action: string, resource: string, context: Record<string, string>) =>
      evaluate(policies, { action, resource, context });
    const others = Object.keys(ENVIRONMENTS).filter((e) => e !== env);

    // Act / Assess: its own API, created and re-imported by name (control) ...
    expect(
      decide('apigateway:POST', `arn:aws:apigateway:${region}::/restapis`, {
        'apigateway:Request/ApiName': `slipway-${env}-api`,
      }),
    ).toEqual({ decision: 'allowed', statements: ['deploy_api/CreateOwnRestApis'] });
    expect(
      decide('apigateway:PUT', api, { 'apigateway:Resource/ApiName': `slipway-${env}-api` }),
    ).toEqual({ decision: 'allowed', statements: ['deploy_api/ManageOwnRestApis'] });
    // ... never another environment's (e.g. the dev role and slipway-prod-api) or a foreign one.
    for (const name of [...others.map((e) => `slipway-${e}-api`), 'billing-api'])
      for (const action of ['apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'])
        expect(decide(action, api, { 'apigateway:Resource/ApiName': name })).toEqual({
          decision: 'implicitDeny',
          statements: [],
        });
    for (const name of others.map((e) => `slipway-${e}-api`))
      expect(
        decide('apigateway:POST', `arn:aws:apigateway:${region}::/restapis`, {
          'apigateway:Request/ApiName': name,
        }).decision,
      ).toBe('implicitDeny');
  });

  it("every workload role's own policy stays within the workload boundary", () => {
    // Prepare
    const wanted = workloadRequests(env);
    expect(wanted.length).toBeGreaterThan(50);

    // Act
    const missing = denied(
      [{ name: 'workload_boundary', document: planned[env].boundary }],
      wanted,
    );

    // Assess
    expect(missing).toEqual([]);
  });
});

describe('bucket and key policies (shared account, once the delivery keys exist)', () => {
  const iam = `arn:aws:iam::${SHARED_ACCOUNT}`;
  const role = (env: string, kind: 'plan' | 'deploy') =>
    `${iam}:role/slipway/bootstrap/slipway-${env}-github-${kind}`;
  const stateBucket = `arn:aws:s3:::slipway-tfstate-${SHARED_ACCOUNT}`;
  const artifactBucket = `arn:aws:s3:::slipway-artifacts-${SHARED_ACCOUNT}`;
  /** What S3 puts in every request's context here: own bucket, TLS 1.3. */
  const s3 = {
    's3:ResourceAccount': SHARED_ACCOUNT,
    'aws:SecureTransport': 'true',
    's3:TlsVersion': '1.3',
  };
  const via = { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' };
  const planContext = (env: string) => ({
    'kms:EncryptionContext:slipway:purpose': 'plan',
    'kms:EncryptionContext:slipway:environment': env,
  });
  /** The identity policies of a role, as attached (iam.tf). */
  const identityOf = (env: string, kind: 'plan' | 'deploy'): NamedPolicy[] =>
    (kind === 'plan'
      ? ['terraform_read', 'plan_key']
      : ['terraform_read', 'deploy_compute', 'deploy_integration', 'deploy_api', 'deploy_key']
    ).map((name) => ({ name, document: shared.identity[`${name}/${env}`] }));
  const bucket = (name: 'state_bucket' | 'artifact_bucket'): ResourcePolicy => ({
    name,
    kind: 's3',
    account: SHARED_ACCOUNT,
    document: name === 'state_bucket' ? shared.stateBucket : shared.artifactBucket,
  });
  const key = (env: string): ResourcePolicy => ({
    name: 'key',
    kind: 'kms',
    account: SHARED_ACCOUNT,
    document: shared.keys[env],
  });
  const ask = (
    env: string,
    kind: 'plan' | 'deploy',
    policy: ResourcePolicy,
    action: string,
    resource: string,
    context: Record<string, string>,
  ): Decision =>
    evaluateWithResourcePolicy(identityOf(env, kind), policy, {
      principal: role(env, kind),
      action,
      resource,
      context,
    });

  it("the staging plan role cannot read dev state; dev's plan role can", () => {
    // Act
    const own = ask(
      'dev',
      'plan',
      bucket('state_bucket'),
      's3:GetObject',
      `${stateBucket}/dev/media-dev.tfstate`,
      s3,
    );
    const other = ask(
      'staging',
      'plan',
      bucket('state_bucket'),
      's3:GetObject',
      `${stateBucket}/dev/media-dev.tfstate`,
      s3,
    );
    const version = ask(
      'staging',
      'deploy',
      bucket('state_bucket'),
      's3:GetObjectVersion',
      `${stateBucket}/dev/media-dev.tfstate`,
      s3,
    );

    // Assess
    expect(own).toEqual({ decision: 'allowed', statements: ['terraform_read/ReadOwnState'] });
    expect(other).toEqual({
      decision: 'explicitDeny',
      statements: ['state_bucket/DenyStateAccessExceptDevRoles'],
    });
    expect(version).toEqual({
      decision: 'explicitDeny',
      statements: ['state_bucket/DenyStateAccessExceptDevRoles'],
    });
  });

  it('a state write without the environment key is denied; with its key ARN or alias ARN it is allowed', () => {
    // Prepare
    const object = `${stateBucket}/dev/media-dev.tfstate`;
    const sse = (keyId: string) => ({
      ...s3,
      's3:x-amz-server-side-encryption': 'aws:kms',
      's3:x-amz-server-side-encryption-aws-kms-key-id': keyId,
    });
    const put = (context: Record<string, string>, resource = object) =>
      ask('dev', 'deploy', bucket('state_bucket'), 's3:PutObject', resource, context);

    // Act / Assess: no encryption header at all, or SSE-S3 ...
    expect(put(s3)).toEqual({
      decision: 'explicitDeny',
      statements: [
        'state_bucket/DenyStateWritesWithoutKmsDev',
        'state_bucket/DenyStateWritesWithOtherKeysDev',
      ],
    });
    expect(put({ ...s3, 's3:x-amz-server-side-encryption': 'AES256' })).toEqual({
      decision: 'explicitDeny',
      statements: [
        'state_bucket/DenyStateWritesWithoutKmsDev',
        'state_bucket/DenyStateWritesWithOtherKeysDev',
      ],
    });
    // ... or another environment's key: denied.
    expect(put(sse(keyArn('prod')))).toEqual({
      decision: 'explicitDeny',
      statements: ['state_bucket/DenyStateWritesWithOtherKeysDev'],
    });
    // The environment's key, by key ARN or alias ARN, and the lock file (same headers): allowed.
    expect(put(sse(keyArn('dev')))).toEqual({
      decision: 'allowed',
      statements: ['deploy_compute/WriteOwnState'],
    });
    expect(
      put(sse(`arn:aws:kms:eu-west-1:${SHARED_ACCOUNT}:alias/slipway-dev-delivery`)).decision,
    ).toBe('allowed');
    expect(
      put({ ...sse(keyArn('dev')), 's3:if-none-match': '*' }, `${object}.tflock`).decision,
    ).toBe('allowed');
  });

  it('the plan role cannot decrypt a sealed plan; the deploy role can; the plan role only seals', () => {
    // Act
    const planOpens = ask(
      'dev',
      'plan',
      key('dev'),
      'kms:Decrypt',
      keyArn('dev'),
      planContext('dev'),
    );
    const deployOpens = ask(
      'dev',
      'deploy',
      key('dev'),
      'kms:Decrypt',
      keyArn('dev'),
      planContext('dev'),
    );
    const planSeals = ask(
      'dev',
      'plan',
      key('dev'),
      'kms:GenerateDataKey',
      keyArn('dev'),
      planContext('dev'),
    );
    const sealsForProd = ask(
      'dev',
      'plan',
      key('dev'),
      'kms:GenerateDataKey',
      keyArn('dev'),
      planContext('prod'),
    );
    const stateRead = ask('dev', 'plan', key('dev'), 'kms:Decrypt', keyArn('dev'), {
      ...via,
      'kms:EncryptionContext:aws:s3:arn': `${stateBucket}/dev/media-dev.tfstate`,
    });
    const stateReadOutsideS3 = ask('dev', 'plan', key('dev'), 'kms:Decrypt', keyArn('dev'), {
      'kms:EncryptionContext:aws:s3:arn': `${stateBucket}/dev/media-dev.tfstate`,
    });

    // Assess
    expect(planOpens).toEqual({
      decision: 'explicitDeny',
      statements: ['key/DenyPlanRoleOpeningPlans'],
    });
    expect(deployOpens).toEqual({
      decision: 'allowed',
      statements: ['key/DeployRoleOpensPlans', 'deploy_key/OpenPlans'],
    });
    expect(planSeals).toEqual({
      decision: 'allowed',
      statements: ['key/PlanRoleSealsPlans', 'plan_key/SealPlans'],
    });
    expect(sealsForProd).toEqual({ decision: 'implicitDeny', statements: [] });
    expect(stateRead).toEqual({
      decision: 'allowed',
      statements: ['key/PlanRoleReadsState', 'plan_key/DecryptOwnState'],
    });
    expect(stateReadOutsideS3).toEqual({ decision: 'implicitDeny', statements: [] });
  });

  it("no other role uses an environment's key, whatever its IAM policy grants", () => {
    // Prepare: another environment's deploy role, and a workload role granted the key in IAM.
    const grant: NamedPolicy = {
      name: 'workload',
      document: {
        Statement: [
          { Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [keyArn('dev')] },
        ],
      },
    };

    // Act
    const prodDeploy = ask(
      'prod',
      'deploy',
      key('dev'),
      'kms:Decrypt',
      keyArn('dev'),
      planContext('dev'),
    );
    const workload = evaluateWithResourcePolicy([grant], key('dev'), {
      principal: `${iam}:role/slipway-dev-media-thumbnail`,
      action: 'kms:Decrypt',
      resource: keyArn('dev'),
      context: planContext('dev'),
    });

    // Assess
    for (const d of [prodDeploy, workload])
      expect(d).toEqual({
        decision: 'explicitDeny',
        statements: ['key/DenyUseExceptEnvironmentRoles'],
      });
  });

  it('the deploy role cannot delete or overwrite an artifact, only create it', () => {
    // Prepare
    const zip = `${artifactBucket}/dev/media-thumbnail/${'ab'.repeat(32)}.zip`;
    const write = (action: string, context: Record<string, string>) =>
      ask('dev', 'deploy', bucket('artifact_bucket'), action, zip, context);

    // Act / Assess
    expect(write('s3:PutObject', { ...s3, 's3:if-none-match': '*' })).toEqual({
      decision: 'allowed',
      statements: ['deploy_compute/UploadArtifacts'],
    });
    expect(write('s3:PutObject', s3)).toEqual({
      decision: 'explicitDeny',
      statements: ['artifact_bucket/DenyArtifactOverwritesDev'],
    });
    for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion'])
      expect(write(action, s3)).toEqual({
        decision: 'explicitDeny',
        statements: ['artifact_bucket/DenyArtifactDeletesExceptAdmins'],
      });
  });
});
