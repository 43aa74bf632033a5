/**
 * The Terraform state a whole stack would have after an apply, built offline from its plan JSON:
 * every managed resource with its planned values, each value the plan left unknown (ARNs, ids)
 * filled with a well-formed placeholder of the attribute's type from the provider schema, and
 * the root outputs. This is tools/delivery's prior-state technique (which converges one module
 * with `-target`) for every module of a stack at once, so that one plan covers the stack.
 *
 * A placeholder differs from what the configuration derives from other resources (a function's
 * `role` is the role's placeholder ARN, not its own), so a second plan against the state settles
 * those values; the state built from that plan is what the configuration would leave applied.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test support only: the offline plan stacks:plan itself runs
import { planOffline } from '@slipway/terraform';
import type { TerraformJson } from './synth-snapshot';

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
  output_changes?: Record<string, { actions: string[]; after?: unknown; after_unknown?: unknown }>;
}

/**
 * Resource schemas of the AWS provider, read from a throwaway root (`terraform providers schema`
 * needs an initialized folder; a stack's S3 backend cannot be initialized offline).
 */
export async function awsResourceSchemas(): Promise<ResourceSchemas> {
  const dir = await mkdtemp(join(tmpdir(), 'stacks-schema-'));
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

/** A value of cty type `type` the provider accepts for the unknown attribute `key`. */
function placeholder(type: unknown, key: string, values: Record<string, unknown>, path: string) {
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
 * test knows it better than a placeholder (undefined: use a placeholder).
 */
export type KnownAfterApply = (change: ResourceChange, key: string) => unknown;

/**
 * A state (format version 4) of every managed resource the plan leaves in place (deleted ones
 * are left out), unknowns filled, and the root outputs the plan knows.
 */
export function stateFromPlan(
  plan: PlanJson,
  schemas: ResourceSchemas,
  serial: number,
  lineage: string,
  known: KnownAfterApply = () => undefined,
): object {
  const resources = new Map<string, Record<string, unknown> & { instances: object[] }>();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed' || !rc.change.after) continue;
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
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, o]) => o.after_unknown !== true && typeof o.after === 'string')
    .map(([name, o]) => [name, { value: o.after, type: 'string' }]);
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial,
    lineage,
    outputs: Object.fromEntries(outputs),
    resources: [...resources.values()],
  };
}

/**
 * Every planned resource and root output whose action is anything but no-op, as
 * `<address>: <actions>`, with the attributes an update changes in parentheses.
 */
export function changesOf(plan: PlanJson): string[] {
  const changed = ({ before, after }: ResourceChange['change']) =>
    Object.keys({ ...before, ...after })
      .filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]))
      .sort();
  const resources = (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed' && rc.change.actions.join() !== 'no-op')
    .map((rc) => {
      const update = rc.change.actions.join() === 'update';
      return `${rc.address}: ${rc.change.actions.join(',')}${update ? ` (${changed(rc.change).join(', ')})` : ''}`;
    });
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, o]) => o.actions.join() !== 'no-op')
    .map(([name, o]) => `output.${name}: ${o.actions.join(',')}`);
  return [...resources.sort(), ...outputs.sort()];
}

/** Terraform state (format version 4), the parts read here. */
export interface TerraformState {
  lineage: string;
  outputs: Record<string, unknown>;
  resources: {
    module?: string;
    type: string;
    name: string;
    instances: { index_key?: number | string; attributes: Record<string, unknown> }[];
  }[];
}

/** Addresses of every resource instance of a state, as plans name them. */
export function stateAddresses(state: TerraformState): string[] {
  return state.resources
    .flatMap((r) =>
      r.instances.map((i) => {
        const index = i.index_key === undefined ? '' : `[${JSON.stringify(i.index_key)}]`;
        return `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}${index}`;
      }),
    )
    .sort();
}

/**
 * Plans `config` offline in `dir` (written there as `cdk.tf.json`), against `prior` when given.
 * States and plan JSON go to `work`, named after `step`.
 */
export async function planStack(
  dir: string,
  work: string,
  step: string,
  config: TerraformJson,
  prior?: object,
): Promise<PlanJson> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'cdk.tf.json'), JSON.stringify(config, null, 2));
  const priorState = prior ? join(work, `${step}.tfstate`) : undefined;
  if (priorState) await writeFile(priorState, JSON.stringify(prior));
  const { plan } = await planOffline({
    dir,
    outFile: join(work, `${step}.json`),
    ...(priorState ? { priorState } : {}),
  });
  return plan as PlanJson;
}

/**
 * The state `config` leaves after an apply: planned from an empty state, then planned again
 * against the state of the previous plan until it plans no change (at most 5 rounds).
 */
export async function appliedState(
  dir: string,
  work: string,
  config: TerraformJson,
  schemas: ResourceSchemas,
  lineage: string,
  known?: KnownAfterApply,
): Promise<{ state: TerraformState; rounds: number }> {
  let plan = await planStack(dir, work, 'round-0', config);
  let remaining: string[] = [];
  for (let round = 1; round <= 5; round++) {
    const state = stateFromPlan(plan, schemas, round, lineage, known) as TerraformState;
    plan = await planStack(dir, work, `round-${round}`, config, state);
    remaining = changesOf(plan);
    if (remaining.length === 0) return { state, rounds: round };
  }
  throw new Error(`the state of ${dir} did not settle:\n${remaining.join('\n')}`);
}
