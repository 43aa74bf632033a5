/**
 * A real user upgrading sees no plan diff. `tests/fixtures/synth/<stack>.applied-state.json` is,
 * for each dev stack, the state the snapshot (the stacks as cdktf 0.21 synthesized them) leaves
 * after an apply: planned offline, unknowns filled, planned again until it plans no change
 * (tests/support/applied-state.ts; the technique of
 * tools/delivery/tests/integration/unchanged-lambda.spec.ts, for whole stacks). The stacks
 * synthesized now from the same frozen inputs (tests/support/frozen-inputs.ts), planned against
 * that state, change nothing, resources or outputs. A copy of platform-dev with its module
 * renamed plans a delete and a create against the same state: the check can fail.
 *
 * One plan per dev stack (two for platform-dev), in parallel, in a temporary tree (modules
 * linked, never the checkout's cdktf.out), removed afterwards. The states follow the modules: a
 * module change that adds or changes resources fails this test until
 * `UPDATE_SYNTH_SNAPSHOT=1` rebuilds the states (terraform/stacks/README.md).
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNTH_DIR } from '../../src/modules';
import { synthesizeFrozenInputs } from '../support/frozen-inputs';
import {
  appliedState,
  awsResourceSchemas,
  changesOf,
  type KnownAfterApply,
  type PlanJson,
  planStack,
  stateAddresses,
  type TerraformState,
} from '../support/applied-state';
import { normalizeState, stateWithHashes, type TerraformJson } from '../support/synth-snapshot';

const REPO = join(__dirname, '../../../..');
const SNAPSHOT = join(__dirname, '../fixtures/synth');
const DEV_STACKS = ['etl-dev', 'jobs-dev', 'media-dev', 'platform-dev'];
/** Fixed, so that a refreshed state differs from the committed one only where the stack does. */
const LINEAGE = '5d1d0c8e-6a3c-4a55-9a53-0c4d2a7e0f11';

/** The base64 SHA-256 of each Lambda zip a synthesized stack references, by Lambda name. */
const codeHashes = (stack: TerraformJson) => {
  const hashes = new Map<string, string>();
  for (const call of Object.values(
    (stack.module ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    if (typeof call.s3_key === 'string' && typeof call.source_code_hash === 'string')
      hashes.set(call.s3_key.split('/')[1]!, call.source_code_hash);
  }
  return (lambda: string) => {
    const hash = hashes.get(lambda);
    if (!hash) throw new Error(`the synthesized stack references no zip of ${lambda}`);
    return hash;
  };
};
const stateFile = (stack: string) => join(SNAPSHOT, `${stack}.applied-state.json`);
const managed = (plan: PlanJson) =>
  (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed')
    .map((rc) => rc.address)
    .sort();

/**
 * A state machine's definition as an apply stores it: the module's `definition` input (the
 * module appends an empty string derived from the log group ARN so that offline plans of a new
 * machine skip the provider's validation call; terraform/modules/state-machine/main.tf). A
 * placeholder there would be a changed definition, which the provider validates against AWS.
 */
const definitionOf =
  (stack: TerraformJson): KnownAfterApply =>
  (change, key) => {
    if (change.type !== 'aws_sfn_state_machine' || key !== 'definition') return undefined;
    const call = change.module_address?.replace(/^module\./, '') ?? '';
    return (stack.module as Record<string, { definition?: string }>)[call]?.definition;
  };

/**
 * Attributes AWS sets at apply that a placeholder of their type would break on the next plan:
 * a standard SNS topic (the alarm topic) has no FIFO throughput scope, and the provider refuses
 * any value there ("can only be set for FIFO topics"); an apply leaves it empty.
 */
const SET_BY_AWS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  aws_sns_topic: { fifo_throughput_scope: '' },
};

/** What an apply stores for an unknown: the flow's definition, else what AWS sets. */
const knownOf =
  (stack: TerraformJson): KnownAfterApply =>
  (change, key) =>
    definitionOf(stack)(change, key) ?? SET_BY_AWS[change.type]?.[key];

/**
 * Like Promise.all, but waits for every plan to finish before rethrowing the first failure, so
 * that afterAll never removes the folder while a terraform process still writes into it.
 */
async function allSettled(work: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Wall-clock seconds of each step, printed at the end (timing goals belong in benchmarks). */
const timings: Record<string, number> = {};
let work: string;
const results: Record<string, { state: TerraformState; plan: PlanJson; renamed?: PlanJson }> = {};

beforeAll(async () => {
  // Prepare: a tree where `../../../../modules` resolves from a stack folder, as in the checkout.
  const start = performance.now();
  work = await mkdtemp(join(tmpdir(), 'stacks-no-diff-'));
  await mkdir(join(work, 'terraform'), { recursive: true });
  await symlink(join(REPO, 'terraform/modules'), join(work, 'terraform/modules'));
  const dirOf = (stack: string, copy = '') => join(work, SYNTH_DIR, 'stacks', `${stack}${copy}`);
  const frozen = synthesizeFrozenInputs(join(work, 'frozen'));
  const synthesized = async (stack: string) =>
    JSON.parse(
      await readFile(join(frozen, 'stacks', stack, 'cdk.tf.json'), 'utf8'),
    ) as TerraformJson & { module: Record<string, unknown> };

  if (process.env.UPDATE_SYNTH_SNAPSHOT === '1') {
    const schemas = await awsResourceSchemas();
    await allSettled(
      DEV_STACKS.map(async (stack) => {
        const config = await synthesized(stack);
        const { state } = await appliedState(
          dirOf(stack, '-settle'),
          join(work, `${stack}-settle`),
          config,
          schemas,
          LINEAGE,
          knownOf(config),
        );
        await writeFile(stateFile(stack), `${JSON.stringify(normalizeState(state), null, 1)}\n`);
      }),
    );
    timings['states rebuilt'] = Math.round((performance.now() - start) / 100) / 10;
  }

  await allSettled(
    DEV_STACKS.map(async (stack) => {
      const current = await synthesized(stack);
      // The zips "deployed" are the ones the current synthesis references.
      const state = stateWithHashes(
        JSON.parse(await readFile(stateFile(stack), 'utf8')) as TerraformState,
        codeHashes(current),
      );

      // Act
      const plan = await planStack(dirOf(stack), work, `${stack}-current`, current, state);
      results[stack] = { state, plan };
      if (stack === 'platform-dev') {
        const renamed = JSON.parse(
          JSON.stringify(current).replaceAll('module.bus_platform.', 'module.bus_platform_v2.'),
        ) as typeof current;
        renamed.module.bus_platform_v2 = renamed.module.bus_platform;
        delete renamed.module.bus_platform;
        results[stack].renamed = await planStack(
          dirOf(stack, '-renamed'),
          work,
          `${stack}-renamed`,
          renamed,
          state,
        );
      }
    }),
  );
  timings.total = Math.round((performance.now() - start) / 100) / 10;
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  process.stdout.write(`no-plan-diff timings (s): ${JSON.stringify(timings)}\n`);
});

describe('today’s synthesis of the frozen inputs, planned against the state the cdktf 0.21 synthesis leaves', () => {
  it.each(DEV_STACKS)('%s: plans no-op for every resource and output', (stack) => {
    const { state, plan } = results[stack]!;

    // Assess: the plan read every resource of the state, and none of them changes.
    expect(stateAddresses(state).length).toBeGreaterThan(0);
    expect(managed(plan)).toEqual(stateAddresses(state));
    expect(changesOf(plan)).toEqual([]);
  });

  it('platform-dev with its module renamed: plans a delete and a create of the bus', () => {
    const { renamed } = results['platform-dev']!;

    expect(changesOf(renamed!)).toEqual([
      'module.bus_platform.aws_cloudwatch_event_archive.this: delete',
      'module.bus_platform.aws_cloudwatch_event_bus.this: delete',
      'module.bus_platform_v2.aws_cloudwatch_event_archive.this: create',
      'module.bus_platform_v2.aws_cloudwatch_event_bus.this: create',
    ]);
  });
});
