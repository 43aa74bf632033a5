/**
 * A Terraform state "as if the plan had been applied", built offline from plan JSON: the planned
 * values of every managed resource under a module address, with each value the plan left unknown
 * (ARNs, ids, the role ARN a function references) filled with a well-formed placeholder of the
 * attribute's type, taken from the provider schema.
 *
 * A placeholder differs from what the configuration derives from other resources (the function's
 * `role` is the role's placeholder ARN, not its own), so {@link convergeState} plans again against
 * the state and takes the new planned values until a plan is all `no-op`: the provider itself
 * decides what the applied state looks like. Same format as the hand-written prior states of
 * tools/governance/tests/integration/fixtures.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { planOffline } from '@slipway/terraform';

const AWS = 'registry.terraform.io/hashicorp/aws';

/** A `terraform providers schema -json` block, reduced to what filling needs. */
interface SchemaBlock {
  attributes?: Record<string, { type?: unknown }>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}

/** Resource schemas of the AWS provider: type → version and block. */
export type ResourceSchemas = Record<string, { version: number; block: SchemaBlock }>;

/** A resource change of `terraform show -json`. */
export interface ResourceChange {
  address: string;
  module_address?: string;
  mode: string;
  type: string;
  name: string;
  index?: number | string;
  provider_name: string;
  change: {
    actions: string[];
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    after_unknown: Record<string, unknown>;
  };
}

/** The plan JSON fields used here. */
export interface PlanJson {
  resource_changes?: ResourceChange[];
}

/**
 * Resource schemas of the AWS provider the offline mirror holds, read once from a throwaway root
 * (`terraform providers schema` needs an initialized directory; the stacks' S3 backend cannot be).
 */
export async function awsResourceSchemas(): Promise<ResourceSchemas> {
  const dir = mkdtempSync(join(tmpdir(), 'delivery-schema-'));
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } } }),
  );
  const terraform = (...args: string[]) =>
    promisify(execFile)('terraform', args, { cwd: dir, maxBuffer: 256 * 1024 * 1024 });
  let stdout: string;
  try {
    await terraform('init', '-backend=false', '-input=false', '-no-color');
    ({ stdout } = await terraform('providers', 'schema', '-json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const schemas = JSON.parse(stdout) as {
    provider_schemas: Record<string, { resource_schemas: ResourceSchemas }>;
  };
  return schemas.provider_schemas[AWS]!.resource_schemas;
}

/**
 * A value of cty type `type` for the unknown attribute `key` that the provider's validation
 * accepts: an ARN where one is expected (`*arn`, a function's `role`), the resource's own name
 * for `id` (what IAM roles, log groups and alarms use, and what `aws_iam_role_policy.role`
 * accepts), a plain token otherwise.
 */
function placeholder(
  type: unknown,
  key: string,
  values: Record<string, unknown>,
  path: string,
): unknown {
  if (type === 'string') {
    if (/arn$/.test(key) || key === 'role') return `arn:aws:offline:eu-west-1:111111111111:${path}`;
    if (key === 'id') {
      const name = [values.name, values.alarm_name, values.function_name].find(
        (v) => typeof v === 'string',
      );
      return name ?? `offline-${path}`;
    }
    return `offline-${path}`;
  }
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [];
  if (Array.isArray(type) && type[0] === 'map') return {};
  return null;
}

/** Replaces, in place, every value `unknown` marks with a placeholder of its schema type. */
function fill(values: Record<string, unknown>, unknown: unknown, block: SchemaBlock, path: string) {
  if (!unknown || typeof unknown !== 'object') return;
  for (const [key, marker] of Object.entries(unknown as Record<string, unknown>)) {
    const attribute = block.attributes?.[key];
    const nested = block.block_types?.[key];
    if (marker === true) {
      if (attribute) values[key] = placeholder(attribute.type, key, values, `${path}.${key}`);
      // A whole unknown block: empty; the next plan sets it from the configuration.
      else if (nested) values[key] = nested.nesting_mode === 'single' ? null : [];
      continue;
    }
    if (nested && Array.isArray(marker) && Array.isArray(values[key])) {
      const items = values[key] as Record<string, unknown>[];
      marker.forEach((m, i) => items[i] && fill(items[i], m, nested.block, `${path}.${key}.${i}`));
    }
  }
}

/**
 * A state (format version 4) holding the planned values of the managed resources at or under
 * `moduleAddress`, unknowns filled (see the file comment). Deleted resources are left out.
 */
export function stateFromPlan(
  plan: PlanJson,
  schemas: ResourceSchemas,
  moduleAddress: string,
  serial: number,
  lineage: string,
): object {
  const resources = new Map<string, Record<string, unknown> & { instances: object[] }>();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed' || !rc.change.after) continue;
    if (rc.module_address !== moduleAddress && !rc.module_address?.startsWith(`${moduleAddress}.`))
      continue;
    const schema = schemas[rc.type];
    if (!schema) throw new Error(`the AWS provider has no schema for ${rc.type} (${rc.address})`);
    const attributes = structuredClone(rc.change.after);
    fill(attributes, rc.change.after_unknown, schema.block, rc.address);
    const id = `${rc.module_address}.${rc.type}.${rc.name}`;
    if (!resources.has(id))
      resources.set(id, {
        module: rc.module_address,
        mode: 'managed',
        type: rc.type,
        name: rc.name,
        ...(rc.index === undefined ? {} : { each: typeof rc.index === 'number' ? 'list' : 'map' }),
        provider: `provider["${rc.provider_name}"]`,
        instances: [],
      });
    resources.get(id)!.instances.push({
      ...(rc.index === undefined ? {} : { index_key: rc.index }),
      schema_version: schema.version,
      attributes,
    });
  }
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial,
    lineage,
    outputs: {},
    resources: [...resources.values()],
  };
}

/** Addresses under `moduleAddress` whose planned action is anything but no-op. */
export function changesUnder(plan: PlanJson, moduleAddress: string): string[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed' && rc.address.startsWith(`${moduleAddress}.`))
    .filter((rc) => rc.change.actions.join() !== 'no-op')
    .map((rc) => `${rc.address}: ${rc.change.actions.join(',')}`);
}

/**
 * The state after applying `firstPlan` (planned on `dir` with an empty state) to the resources
 * under `moduleAddress`: built by {@link stateFromPlan}, then planned again with `-target` until
 * nothing under the module changes. Returns the state file and the number of plans it took;
 * throws when 4 rounds do not converge. States and plans go to `workDir`.
 */
export async function convergeState(
  dir: string,
  firstPlan: PlanJson,
  schemas: ResourceSchemas,
  moduleAddress: string,
  workDir: string,
): Promise<{ stateFile: string; rounds: number }> {
  const work = mkdtempSync(join(workDir, 'state-'));
  const lineage = randomUUID();
  let plan = firstPlan;
  let remaining: string[] = [];
  for (let round = 1; round <= 4; round++) {
    const stateFile = join(work, `round-${round}.tfstate`);
    writeFileSync(
      stateFile,
      JSON.stringify(stateFromPlan(plan, schemas, moduleAddress, round, lineage), null, 2),
    );
    ({ plan } = (await planOffline({
      dir,
      outFile: join(work, `round-${round}.json`),
      priorState: stateFile,
      targets: [moduleAddress],
    })) as { plan: PlanJson });
    remaining = changesUnder(plan, moduleAddress);
    if (remaining.length === 0) return { stateFile, rounds: round };
  }
  throw new Error(`the state of ${moduleAddress} did not converge:\n${remaining.join('\n')}`);
}
