/**
 * The state an apply would leave, built offline from a plan: no AWS account, no state bucket.
 *
 * Tests that must show "planned against what is deployed, nothing changes" need a deployed state,
 * and an offline plan is all they have. {@link stateFromPlan} turns plan JSON into a Terraform
 * state (format version 4): the planned values of every managed resource, with each value the
 * plan left unknown (ARNs, ids, the role ARN a function references) filled with a well-formed
 * placeholder of the attribute's type, taken from the provider schema
 * ({@link awsResourceSchemas}).
 *
 * A placeholder differs from what the configuration derives from other resources (a function's
 * `role` is the role's placeholder ARN, not its own), so the caller plans again against the state
 * and builds the next state from that plan until a plan changes nothing: the provider itself
 * decides what the applied state looks like. How to plan (the whole root or one `-target`ed
 * module) and what counts as "nothing" stay with the caller. Same format as the hand-written prior
 * states of tools/governance/tests/integration/fixtures.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const AWS = 'registry.terraform.io/hashicorp/aws';

/** A `terraform providers schema -json` block, reduced to what filling unknowns needs. */
export interface SchemaBlock {
  attributes?: Record<string, { type?: unknown }>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}

/** Resource schemas of the AWS provider: resource type → schema version and block. */
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

/** The fields of `terraform show -json` that building a state reads. */
export interface PlanJson {
  resource_changes?: ResourceChange[];
  output_changes?: Record<string, { actions: string[]; after?: unknown; after_unknown?: unknown }>;
}

/** One resource of a Terraform state (format version 4), as {@link stateFromPlan} writes it. */
export interface StateResource {
  module?: string;
  mode: 'managed';
  type: string;
  name: string;
  /** `list` for `count`, `map` for `for_each`; absent for a single instance. */
  each?: 'list' | 'map';
  provider: string;
  instances: {
    index_key?: number | string;
    schema_version: number;
    attributes: Record<string, unknown>;
  }[];
}

/** A Terraform state (format version 4), as {@link stateFromPlan} writes it. */
export interface StateJson {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: unknown; type: string }>;
  resources: StateResource[];
}

/**
 * Resource schemas of the AWS provider the configured mirror or registry serves, read from a
 * throwaway root: `terraform providers schema` needs an initialized folder, and a stack's S3
 * backend cannot be initialized offline. Runs `terraform init`, so call it once per test run.
 */
export async function awsResourceSchemas(): Promise<ResourceSchemas> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-schema-'));
  const terraform = (...args: string[]) =>
    promisify(execFile)('terraform', args, { cwd: dir, maxBuffer: 256 * 1024 * 1024 });
  try {
    await writeFile(
      join(dir, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } } }),
    );
    await terraform('init', '-backend=false', '-input=false', '-no-color');
    const { stdout } = await terraform('providers', 'schema', '-json');
    const schemas = JSON.parse(stdout) as {
      provider_schemas: Record<string, { resource_schemas: ResourceSchemas }>;
    };
    return schemas.provider_schemas[AWS]!.resource_schemas;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
 * The value an apply would store for a top-level attribute the plan leaves unknown, when the
 * caller knows it better than a placeholder would (undefined: use a placeholder). For instance a
 * state machine's `definition`, which the provider would validate against AWS if it changed.
 */
export type KnownAfterApply = (change: ResourceChange, key: string) => unknown;

/** Options of {@link stateFromPlan}. */
export interface StateFromPlanOptions {
  /** The state's `serial`: the round of planning it comes from. */
  serial: number;
  /** The state's `lineage` (a UUID); fixed when the state is committed, so that it diffs cleanly. */
  lineage: string;
  /**
   * Keep only the resources at or under this module address (e.g. `module.lambda_etl_publish`),
   * for a plan with `-target`. The state then holds no root outputs: they belong to the whole
   * root. Without it, every managed resource and every root output the plan knows is kept.
   */
  moduleAddress?: string;
  /** Values known better than a placeholder; see {@link KnownAfterApply}. */
  known?: KnownAfterApply;
}

/**
 * The state an apply of `plan` would leave, built offline (see the file comment): every managed
 * resource the plan leaves in place (deleted ones and data sources are left out) with its planned
 * values, each unknown filled from `known` or with a placeholder of its schema type, and the
 * root outputs the plan knows as strings. Throws when the provider has no schema for a type.
 *
 * @example
 * ```ts
 * const schemas = await awsResourceSchemas();
 * const { plan } = await planOffline({ dir, outFile: 'round-0.json' });
 * const state = stateFromPlan(plan as PlanJson, schemas, { serial: 1, lineage: randomUUID() });
 * await writeFile('round-1.tfstate', JSON.stringify(state));
 * await planOffline({ dir, outFile: 'round-1.json', priorState: 'round-1.tfstate' });
 * ```
 */
export function stateFromPlan(
  plan: PlanJson,
  schemas: ResourceSchemas,
  options: StateFromPlanOptions,
): StateJson {
  const { serial, lineage, moduleAddress, known = () => undefined } = options;
  const under = (address?: string) =>
    moduleAddress === undefined ||
    address === moduleAddress ||
    !!address?.startsWith(`${moduleAddress}.`);
  const resources = new Map<string, StateResource>();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed' || !rc.change.after || !under(rc.module_address)) continue;
    const schema = schemas[rc.type];
    if (!schema) throw new Error(`the AWS provider has no schema for ${rc.type} (${rc.address})`);
    const attributes = structuredClone(rc.change.after);
    const unknown = { ...rc.change.after_unknown };
    for (const [key, marker] of Object.entries(unknown)) {
      const value = marker === true ? known(rc, key) : undefined;
      if (value !== undefined) {
        attributes[key] = value;
        delete unknown[key];
      }
    }
    fill(attributes, unknown, schema.block, rc.address);
    const id = `${rc.module_address ?? ''}.${rc.type}.${rc.name}`;
    if (!resources.has(id))
      resources.set(id, {
        ...(rc.module_address ? { module: rc.module_address } : {}),
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
  const outputs =
    moduleAddress === undefined
      ? Object.entries(plan.output_changes ?? {})
          .filter(([, o]) => o.after_unknown !== true && typeof o.after === 'string')
          .map(([name, o]) => [name, { value: o.after, type: 'string' }])
      : [];
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial,
    lineage,
    outputs: Object.fromEntries(outputs),
    resources: [...resources.values()],
  };
}
