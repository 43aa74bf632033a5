import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Name of the override file written next to the configuration for the duration of a plan. */
export const OFFLINE_OVERRIDE_FILE = 'slipway_offline_override.tf.json';

/**
 * The override that makes a configuration plannable without an AWS account: a local backend,
 * placeholder credentials and every provider call that needs AWS skipped. Terraform merges
 * `*_override.tf.json` over the configuration
 * (https://developer.hashicorp.com/terraform/language/files/override), so the committed
 * configuration stays exactly what a real plan uses.
 */
export function offlineOverride(statePath: string): Record<string, unknown> {
  return {
    terraform: { backend: { local: { path: statePath } } },
    provider: {
      aws: [
        {
          access_key: 'offline-plan',
          secret_key: 'offline-plan',
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          // The account cannot be checked without credentials.
          allowed_account_ids: null,
        },
      ],
    },
  };
}

/** The dependency lock file Terraform reads and writes in a root configuration. */
export const LOCK_FILE = '.terraform.lock.hcl';

/**
 * What `terraform init` says when the lock file holds no checksum of the provider package of this
 * machine's platform, e.g. a lock file made on linux_amd64 (what CI runs) read on a Mac. Terraform
 * wraps its messages, so any whitespace may separate the words.
 */
const NO_CHECKSUM_FOR_PLATFORM =
  /doesn't\s+match\s+any\s+of\s+the\s+checksums\s+previously\s+recorded\s+in\s+the\s+dependency\s+lock\s+file/;

/**
 * Whether an init that failed with `stderr` may be retried without the lock file: only outside CI
 * (`CI` unset, as GitHub Actions sets it), and only when the lock file lacks this platform's
 * checksum. In CI a checksum mismatch means another provider build than the locked one and fails.
 */
export function mayPlanWithoutLockFile(stderr: string, env: NodeJS.ProcessEnv): boolean {
  return !env.CI && NO_CHECKSUM_FOR_PLATFORM.test(stderr);
}

/** Counts of one plan, per action, as a reviewer reads them. */
export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  replace: number;
  noop: number;
}

/** Summarizes `terraform show -json` output by action (a replace counts once, as replace). */
export function summarizePlan(plan: {
  resource_changes?: { change: { actions: string[] } }[];
}): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, replace: 0, noop: 0 };
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions;
    if (actions.includes('create') && actions.includes('delete')) summary.replace++;
    else if (actions.includes('create')) summary.create++;
    else if (actions.includes('delete')) summary.delete++;
    else if (actions.includes('update')) summary.update++;
    else summary.noop++;
  }
  return summary;
}

/** Options of {@link planOffline}. */
export interface OfflinePlanOptions {
  /** Folder of the root configuration (a synthesized stack or a plain HCL root). */
  dir: string;
  /** Where to write the plan JSON. */
  outFile: string;
  varFiles?: string[];
  /** Variables as `-var name=value`. */
  vars?: Record<string, string>;
  /**
   * A state file to plan against (copied, never modified), e.g. to show what a change would
   * replace. The plan then runs with `-refresh=false`: refreshing would need AWS.
   */
  priorState?: string;
  /**
   * Resource or module addresses to plan (`-target`), e.g. `module.lambda_etl_publish`, with
   * what they depend on. For tests that look at one part of a large root; Terraform warns that
   * the plan is partial, and a real deploy never targets.
   */
  targets?: string[];
}

/** The `terraform plan` arguments of {@link planOffline}, writing the binary plan to `planFile`. */
export function planArgs(options: OfflinePlanOptions, planFile: string): string[] {
  const { varFiles = [], vars = {}, priorState, targets = [] } = options;
  return [
    'plan',
    '-input=false',
    '-lock=false',
    '-no-color',
    `-out=${planFile}`,
    ...(priorState ? ['-refresh=false'] : []),
    ...targets.map((t) => `-target=${t}`),
    ...varFiles.map((f) => `-var-file=${f}`),
    ...Object.entries(vars).map(([name, value]) => `-var=${name}=${value}`),
  ];
}

/**
 * `terraform init` + `plan` + `show -json` with {@link offlineOverride} in place, then removes
 * the override whatever happens. Returns the plan JSON and its summary.
 *
 * The init honours the root's `.terraform.lock.hcl`. When that file has no checksum for this
 * machine's platform (the committed ones carry linux_amd64's) and the plan does not run in CI, the
 * init is retried without it, with a warning that says how to add the platform; the lock file is
 * put back byte for byte whatever happens, so a local offline plan works on a Mac while CI keeps
 * verifying the provider.
 */
export async function planOffline(
  options: OfflinePlanOptions,
): Promise<{ plan: unknown; summary: PlanSummary }> {
  const { dir, outFile, priorState } = options;
  const work = await mkdtemp(join(tmpdir(), 'slipway-plan-'));
  const override = join(dir, OFFLINE_OVERRIDE_FILE);
  // Set when the init had to run without the lock file: what to write back.
  let lockFile: { path: string; bytes: Buffer } | undefined;
  const tf = (args: string[]) =>
    run('terraform', args, {
      cwd: dir,
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' },
    });
  try {
    if (priorState) await copyFile(priorState, join(work, 'offline.tfstate'));
    await writeFile(
      override,
      `${JSON.stringify(offlineOverride(join(work, 'offline.tfstate')), null, 2)}\n`,
    );
    const init = ['init', '-input=false', '-reconfigure', '-no-color'];
    try {
      await tf(init);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      if (!mayPlanWithoutLockFile(stderr, process.env)) throw error;
      lockFile = { path: join(dir, LOCK_FILE), bytes: await readFile(join(dir, LOCK_FILE)) };
      console.warn(
        `${dir}: ${LOCK_FILE} has no provider checksum for this platform; planning offline without it (it is restored afterwards). To add this platform: terraform providers lock -platform=<os>_<arch> in that root (terraform/stacks/README.md). CI inits with -lockfile=readonly and never skips the lock file.`,
      );
      await rm(lockFile.path);
      await tf(init);
    }
    await tf(planArgs(options, join(work, 'plan.tfplan')));
    const { stdout } = await tf(['show', '-json', '-no-color', join(work, 'plan.tfplan')]);
    const plan = JSON.parse(stdout);
    await mkdir(dirname(outFile), { recursive: true });
    await writeFile(`${outFile}.tmp-${process.pid}`, `${JSON.stringify(plan, null, 2)}\n`);
    await rename(`${outFile}.tmp-${process.pid}`, outFile);
    return { plan, summary: summarizePlan(plan) };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`terraform failed in ${dir}${stderr ? `:\n${stderr.trim()}` : ''}`, {
      cause: error,
    });
  } finally {
    if (lockFile) await writeFile(lockFile.path, lockFile.bytes);
    await rm(override, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}
