/**
 * The Terraform state a whole stack would have after an apply, built offline from its plan JSON
 * with `stateFromPlan` of `@slipway/terraform` (tools/terraform/src/applied-state.ts): every
 * managed resource with its planned values, unknowns filled, and the root outputs. tools/delivery
 * converges one module with `-target`; here every module of a stack settles at once, so that one
 * plan covers the stack.
 *
 * A placeholder differs from what the configuration derives from other resources (a function's
 * `role` is the role's placeholder ARN, not its own), so a second plan against the state settles
 * those values; the state built from that plan is what the configuration would leave applied.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test support only: the offline plan stacks:plan itself runs, and the state an apply of it would leave
import {
  awsResourceSchemas,
  type KnownAfterApply,
  type PlanJson,
  planOffline,
  type ResourceChange,
  type ResourceSchemas,
  stateFromPlan,
} from '@slipway/terraform';
import type { TerraformJson } from './synth-snapshot';

export { awsResourceSchemas };
export type { KnownAfterApply, PlanJson };

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
    const state: TerraformState = stateFromPlan(plan, schemas, { serial: round, lineage, known });
    plan = await planStack(dir, work, `round-${round}`, config, state);
    remaining = changesOf(plan);
    if (remaining.length === 0) return { state, rounds: round };
  }
  throw new Error(`the state of ${dir} did not settle:\n${remaining.join('\n')}`);
}
