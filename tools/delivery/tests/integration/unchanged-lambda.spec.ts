/**
 * Issue 6, item 2, must show: an unchanged Lambda produces no diff in the dev plan after a rebuild
 * on a fresh clone.
 *
 * "Deployed" is etl-publish as this checkout packaged and planned it (the integration target
 * depends on every Lambda's package target and on stacks:plan, dev): copied into a fresh copy of
 * the workspace (own node_modules tree, no Nx cache) and synthesized there, which must give
 * etl-dev exactly as the checkout synthesized it; the checkout's offline plan of etl-dev
 * (dist/terraform/plans/dev, planned once per run) is then turned into the state an apply would
 * leave ({@link convergeState}), planned in the copy. Then the copy deletes dist/apps/etl-publish, rebuilds it
 * from scratch at its own path and synthesizes again: planned against that state, the function
 * and its whole module are `no-op`. A one-line change to the handler, rebuilt the same way, plans
 * an `update` of exactly `s3_key` and `source_code_hash`: the test can fail.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { artifactKey } from '@slipway/manifest';
import {
  awsResourceSchemas,
  planOffline,
  type PlanJson,
  type ResourceChange,
} from '@slipway/terraform';
import { changesUnder, convergeState } from './prior-state';
import { copyWorkspace, REPO } from './workspace';

const LAMBDA = 'etl-publish';
const STACK = 'etl-dev';
const MODULE = 'module.lambda_etl_publish';
const FUNCTION = `${MODULE}.aws_lambda_function.this`;

/** Wall-clock seconds of each step, printed at the end (timing goals belong in benchmarks). */
const timings: Record<string, number> = {};
async function timed<T>(step: string, work: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[step] = Math.round((performance.now() - start) / 100) / 10;
  }
}

/**
 * Runs a command in the copy; throws with its output on failure. Asynchronous, so that the
 * provider schema keeps loading meanwhile.
 */
async function run(dir: string, command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', CI: 'true' },
    });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${failed.stderr}${failed.stdout}`);
  }
}

/** Deletes the Lambda's package and builds it from scratch; returns the base64 sha256. */
async function rebuild(dir: string): Promise<string> {
  rmSync(join(dir, 'dist/apps', LAMBDA), { recursive: true, force: true });
  await run(dir, 'npx', [
    'nx',
    'run',
    `${LAMBDA}:package`,
    '--skip-nx-cache',
    '--outputStyle=static',
  ]);
  return readFileSync(join(dir, 'dist/apps', LAMBDA, `${LAMBDA}.zip.sha256`), 'utf8').trim();
}

/** Synthesizes every stack of the copy. */
async function synth(dir: string): Promise<void> {
  await run(dir, 'npx', ['tsx', 'terraform/stacks/src/main.ts']);
}

/** Plans the Lambda's module of etl-dev offline against `priorState`. */
async function plan(dir: string, name: string, priorState: string): Promise<PlanJson> {
  const { plan: json } = await planOffline({
    dir: join(dir, 'terraform/stacks/cdktf.out/stacks', STACK),
    outFile: join(dir, 'dist/plans', `${name}.json`),
    targets: [MODULE],
    priorState,
  });
  return json as PlanJson;
}

const fn = (p: PlanJson): ResourceChange => {
  const change = p.resource_changes?.find((c) => c.address === FUNCTION);
  if (!change) throw new Error(`${FUNCTION} is not in the plan`);
  return change;
};
const code = (p: PlanJson) => {
  const after = fn(p).change.after ?? {};
  return {
    s3_bucket: after.s3_bucket,
    s3_key: after.s3_key,
    source_code_hash: after.source_code_hash,
  };
};

let dir: string;
let first: { sha256: string; plan: PlanJson };
let deployedState: string;

beforeAll(async () => {
  // Prepare: a fresh copy with a real node_modules tree, as a clone after npm ci has, and the
  // checkout's packages of every Lambda (synthesis needs them all; etl-publish's is "deployed").
  const schemasLoading = awsResourceSchemas(); // loads while the rest runs
  dir = await timed('copy workspace', () =>
    copyWorkspace('artifacts', { nodeModules: 'hardlink' }),
  );
  for (const name of readdirSync(join(REPO, 'apps'))) {
    if (!existsSync(join(REPO, 'apps', name, 'lambda.manifest.json'))) continue;
    const from = join(REPO, 'dist/apps', name);
    if (!existsSync(join(from, `${name}.zip.sha256`)))
      throw new Error(`${from} is not packaged: run npx nx run-many -t package first.`);
    cpSync(from, join(dir, 'dist/apps', name), { recursive: true });
  }
  const sha256 = readFileSync(
    join(dir, 'dist/apps', LAMBDA, `${LAMBDA}.zip.sha256`),
    'utf8',
  ).trim();
  await timed('synth (checkout package)', () => synth(dir));
  const synthesized = (root: string) =>
    readFileSync(join(root, 'terraform/stacks/cdktf.out/stacks', STACK, 'cdk.tf.json'), 'utf8');
  if (synthesized(dir) !== synthesized(REPO))
    throw new Error(
      `${STACK} synthesizes differently in a copy with the checkout's packages than in the checkout: the checkout's cdktf.out is older than its packages (npx nx run stacks:plan:dev synthesizes and plans again), or synthesis depends on the folder it runs in.`,
    );
  const checkoutPlan = join(REPO, 'dist/terraform/plans/dev', `${STACK}.json`);
  if (!existsSync(checkoutPlan))
    throw new Error(`${checkoutPlan} is missing: run npx nx run stacks:plan:dev first.`);
  const firstPlan = JSON.parse(readFileSync(checkoutPlan, 'utf8')) as PlanJson;
  first = { sha256, plan: firstPlan };
  const schemas = await timed('provider schema (rest of)', () => schemasLoading);
  const converged = await timed('state after apply (converge)', () =>
    convergeState(
      join(dir, 'terraform/stacks/cdktf.out/stacks', STACK),
      firstPlan,
      schemas,
      MODULE,
      join(dir, 'dist'),
    ),
  );
  deployedState = converged.stateFile;
  timings['converge rounds (plans)'] = converged.rounds;
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `unchanged-lambda timings (s): ${Object.entries(timings)
      .map(([step, s]) => `${step} ${s}`)
      .join(', ')}\n`,
  );
});

describe(`${LAMBDA} in ${STACK}, deployed from this checkout, rebuilt on a fresh copy`, () => {
  it("is referenced by content in the artifact bucket in the checkout's plan", () => {
    // Assess
    expect(fn(first.plan).change.actions).toEqual(['create']);
    expect(code(first.plan)).toEqual({
      s3_bucket: 'slipway-artifacts-111111111111',
      s3_key: artifactKey('dev', LAMBDA, first.sha256),
      source_code_hash: first.sha256,
    });
  });

  it('plans no change after dist/apps/etl-publish is deleted and rebuilt in the copy', async () => {
    // Act
    const sha256 = await timed('package (rebuild)', () => rebuild(dir));
    await timed('synth (rebuild)', () => synth(dir));
    const again = await timed('plan (rebuild, prior state)', () =>
      plan(dir, 'rebuilt', deployedState),
    );

    // Assess: same bytes as the checkout's package (if not: the zip is not reproducible across
    // checkouts, or this checkout's package is stale: npx nx run etl-publish:package), same key
    // and hash, and Terraform itself plans nothing for the module.
    expect(sha256).toBe(first.sha256);
    expect(code(again)).toEqual(code(first.plan));
    expect(fn(again).change.actions).toEqual(['no-op']);
    expect(changesUnder(again, MODULE)).toEqual([]);
  });

  it('plans an in-place update of s3_key and source_code_hash, and nothing else, when the handler changes', async () => {
    // Prepare
    appendFileSync(
      join(dir, 'apps', LAMBDA, 'src/handler.ts'),
      "\nexport const buildMarker = 'changed by unchanged-lambda.spec';\n",
    );

    // Act
    const sha256 = await timed('package (changed)', () => rebuild(dir));
    await timed('synth (changed)', () => synth(dir));
    const changed = await timed('plan (changed, prior state)', () =>
      plan(dir, 'changed', deployedState),
    );

    // Assess
    expect(sha256).not.toBe(first.sha256);
    const change = fn(changed).change;
    expect(change.actions).toEqual(['update']);
    expect(code(changed)).toEqual({
      s3_bucket: 'slipway-artifacts-111111111111',
      s3_key: artifactKey('dev', LAMBDA, sha256),
      source_code_hash: sha256,
    });
    const known = Object.keys(change.after ?? {}).filter((k) => !change.after_unknown[k]);
    const differing = known.filter(
      (k) => JSON.stringify(change.before?.[k]) !== JSON.stringify(change.after?.[k]),
    );
    expect(differing.sort()).toEqual(['s3_key', 'source_code_hash']);
    expect(changesUnder(changed, MODULE)).toEqual([`${FUNCTION}: update`]);
  });
});
