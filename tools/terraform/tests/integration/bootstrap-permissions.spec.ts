/**
 * The bootstrap's roles can plan and apply every stack: each environment's synthesized stacks are
 * planned offline, each planned resource becomes the IAM requests the AWS provider makes for it
 * (terraform/bootstrap/tests/provider-actions.json), and the bootstrap's policies for that
 * environment, from its own offline plan with that environment's account, must allow them: the
 * plan role every read, the deploy role every read and write. A resource type the map does not
 * know fails here first. And every workload role's own policy stays within the environment's
 * workload boundary, so what a deploy creates can also run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { evaluate, type NamedPolicy, type PolicyDocument } from '../../src/iam/evaluate';
import {
  requiredPermissions,
  type PlanJson,
  type ProviderActions,
  type RequiredPermission,
} from '../../src/iam/required-permissions';
import { planOffline } from '../../src/offline-plan';

const REPO = resolve(__dirname, '../../../..');
const STACKS = join(REPO, 'terraform/stacks/cdktf.out/stacks');
const BOOTSTRAP = join(REPO, 'terraform/bootstrap');
const MAP: ProviderActions = JSON.parse(
  readFileSync(join(BOOTSTRAP, 'tests/provider-actions.json'), 'utf8'),
);
const CONFIG = JSON.parse(readFileSync(join(REPO, 'terraform/stacks/environments.json'), 'utf8'));
const ENVIRONMENTS: Record<string, { accountId: string; region: string }> = CONFIG.environments;

interface Planned {
  stacks: Record<string, PlanJson>;
  policies: Record<'terraform_read' | 'deploy_compute' | 'deploy_integration', PolicyDocument>;
  boundary: PolicyDocument;
}

const planned: Record<string, Planned> = {};
let work: string;

/** Terraform's working files, never copied: each copy is initialized and planned afresh. */
const WORKING_FILES = /^(\.terraform|terraform\.tfstate.*|.*_override\.tf(\.json)?|.*\.tfplan)$/;

/**
 * Copies the synthesized stacks, the bootstrap and the modules they call into `dir`, keeping
 * their relative layout (stacks and bootstrap call `../…/modules/<name>`). Plans then run in the
 * copy: `terraform init` and the offline override never touch the checkout, so this suite can
 * run beside `stacks:plan`, `tf-bootstrap:plan` or governance scans of the same folders.
 */
async function copyTerraform(dir: string): Promise<{ stacks: string; bootstrap: string }> {
  const filter = (src: string) => !WORKING_FILES.test(basename(src));
  const stacks = join(dir, 'terraform/stacks/cdktf.out/stacks');
  const bootstrap = join(dir, 'terraform/bootstrap');
  await cp(join(REPO, 'terraform/modules'), join(dir, 'terraform/modules'), {
    recursive: true,
    filter,
  });
  await cp(BOOTSTRAP, bootstrap, { recursive: true, filter });
  await cp(STACKS, stacks, { recursive: true, filter });
  return { stacks, bootstrap };
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
    const stacks = readdirSync(STACKS).sort();
    const copy = await copyTerraform(join(work, 'repo'));
    for (const env of Object.keys(ENVIRONMENTS))
      planned[env] = { stacks: {}, policies: {} as never, boundary: { Statement: [] } };

    // Stack plans in parallel (one folder each); the bootstrap's one at a time (one folder).
    await pool(
      2,
      stacks.map((stack) => async () => {
        const env = Object.keys(ENVIRONMENTS).find((e) => stack.endsWith(`-${e}`));
        if (!env) return;
        const { plan } = await planOffline({
          dir: join(copy.stacks, stack),
          outFile: join(work, `${stack}.json`),
        });
        planned[env].stacks[stack] = plan as PlanJson;
      }),
    );
    for (const [env, { accountId, region }] of Object.entries(ENVIRONMENTS)) {
      // One account per environment, as the README's per-account apply: ARNs then match exactly.
      const { plan } = await planOffline({
        dir: copy.bootstrap,
        outFile: join(work, `bootstrap-${env}.json`),
        varFiles: ['offline-plan.tfvars'],
        vars: { aws_account_id: accountId, region, environments: JSON.stringify([env]) },
      });
      const output = (plan as { planned_values: { outputs: Record<string, { value: unknown }> } })
        .planned_values.outputs.role_policies_json.value as Record<string, Record<string, string>>;
      planned[env].policies = {
        terraform_read: JSON.parse(output[env].terraform_read),
        deploy_compute: JSON.parse(output[env].deploy_compute),
        deploy_integration: JSON.parse(output[env].deploy_integration),
      };
      planned[env].boundary = JSON.parse(output[env].workload_boundary);
    }
  },
  15 * 60 * 1000,
);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

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
              context,
              source: `${stack} ${rc.address}`,
              type: `${rc.address} ${st.Sid ?? ''}`.trim(),
            });
      }
    }
  return out;
}

describe.each(Object.keys(ENVIRONMENTS))('%s', (env) => {
  it('plans at least one stack of every domain', () => {
    expect(Object.keys(planned[env].stacks).sort()).toEqual(
      ['etl', 'media', 'platform'].map((d) => `${d}-${env}`),
    );
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
    const missing = denied(policies, requests(env));

    // Assess
    expect(missing).toEqual([]);
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
