/**
 * The state one module of a stack would have after an apply, "as if the plan had been applied":
 * built offline from plan JSON with `stateFromPlan` of `@slipway/terraform`
 * (tools/terraform/src/applied-state.ts), limited to the resources under a module address, each
 * value the plan left unknown filled with a well-formed placeholder of the attribute's type.
 *
 * A placeholder differs from what the configuration derives from other resources (the function's
 * `role` is the role's placeholder ARN, not its own), so {@link convergeState} plans again, with
 * `-target`, against the state and takes the new planned values until everything under the module
 * is `no-op`: the provider itself decides what the applied state looks like.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  planOffline,
  type PlanJson,
  type ResourceSchemas,
  stateFromPlan,
} from '@slipway/terraform';

/** Addresses under `moduleAddress` whose planned action is anything but no-op. */
export function changesUnder(plan: PlanJson, moduleAddress: string): string[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed' && rc.address.startsWith(`${moduleAddress}.`))
    .filter((rc) => rc.change.actions.join() !== 'no-op')
    .map((rc) => `${rc.address}: ${rc.change.actions.join(',')}`);
}

/**
 * The state after applying `firstPlan` (planned with an empty state, on `dir` or on a
 * configuration identical to it) to the resources under `moduleAddress`: built by
 * `stateFromPlan`, then planned again with `-target` until nothing under the module changes.
 * Returns the state file and the number of plans it took; throws when 4 rounds do not converge.
 * States and plans go to `workDir`.
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
    const state = stateFromPlan(plan, schemas, { serial: round, lineage, moduleAddress });
    writeFileSync(stateFile, JSON.stringify(state, null, 2));
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
