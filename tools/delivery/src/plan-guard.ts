/**
 * Refuses to apply a saved plan that no longer describes what it would change.
 *
 * A deploy plans in one job and applies, after a reviewer's approval, in another. In between,
 * the commit, the plan file or the state can move. At plan time `record` writes, beside the
 * binary plan, what the plan was made from: stack, environment, commit, the plan file's sha256
 * and the state version (lineage and serial) Terraform embedded in the plan. At apply time
 * `verify` compares each with what is there now and fails, naming every difference, before
 * `terraform apply <plan>` runs.
 *
 * Terraform refuses a plan whose state moved too ("Saved plan is stale"); this guard also catches
 * a plan from another commit or another stack, a plan file swapped or corrupted on the way, and
 * says which one and what to do, before any credential is used to write.
 *
 * @example npx tsx tools/delivery/src/plan-guard.ts record --plan media-dev.tfplan --stack media-dev --environment dev
 * @example npx tsx tools/delivery/src/plan-guard.ts verify --plan media-dev.tfplan --stack media-dev --environment dev --dir terraform/stacks/cdktf.out/stacks/media-dev
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { open as openZip, type Entry } from 'yauzl';
import { CommandFailedError, PlanFileError, StalePlanError, UsageError } from './errors';
import { asksForHelp, processIo, readFlags, runCli, runIfMain, type CliIo } from './cli';

/** The version of a Terraform state: a new lineage is another state, a new serial a later write. */
export interface StateVersion {
  /** Empty when the stack has no state yet. */
  lineage: string;
  /** 0 when the stack has no state yet. */
  serial: number;
}

/** What a saved plan was made from; written beside it at plan time. */
export interface PlanMetadata {
  version: 1;
  stack: string;
  environment: string;
  /** Full sha of the commit the plan was made at. */
  commit: string;
  /** Hex sha256 of the binary plan file. */
  planSha256: string;
  /** The state version the plan was made against (embedded in the plan by Terraform). */
  state: StateVersion;
  /** Terraform version that wrote the plan; `apply` must use the same one. */
  terraformVersion: string;
  /** ISO 8601 time of `record`. */
  createdAt: string;
}

/** What is there at apply time, compared with {@link PlanMetadata} by {@link findStaleness}. */
export interface ApplyContext {
  stack: string;
  environment: string;
  commit: string;
  planSha256: string;
  state: StateVersion;
}

/** Hex sha256 of a file's bytes. */
export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Reads lineage and serial from a state's JSON; empty input is a stack with no state yet. */
export function parseStateVersion(text: string, source: string): StateVersion {
  if (text.trim() === '') return { lineage: '', serial: 0 };
  let state: { lineage?: unknown; serial?: unknown };
  try {
    state = JSON.parse(text) as typeof state;
  } catch (error) {
    throw new PlanFileError(source, 'holds a state that is not JSON.', { cause: error });
  }
  if (typeof state.serial !== 'number' || typeof state.lineage !== 'string')
    throw new PlanFileError(source, 'holds a state without "lineage" and "serial".');
  return { lineage: state.lineage, serial: state.serial };
}

/**
 * The state version and Terraform version embedded in a saved plan. A plan file is a zip whose
 * `tfstate` entry is the prior state the plan was made against; Terraform's own stale check
 * compares the same lineage and serial.
 *
 * @throws {PlanFileError} when the file is not a Terraform plan.
 */
export async function readPlanPriorState(
  planFile: string,
): Promise<{ state: StateVersion; terraformVersion: string }> {
  const text = await readZipEntry(planFile, 'tfstate').catch((error: unknown) => {
    throw new PlanFileError(
      planFile,
      `is not a saved Terraform plan (terraform plan -out=<file>): ${(error as Error).message}`,
      { cause: error },
    );
  });
  const state = parseStateVersion(text, `${planFile} (tfstate)`);
  const terraformVersion = (JSON.parse(text) as { terraform_version?: string }).terraform_version;
  return { state, terraformVersion: terraformVersion ?? 'unknown' };
}

function readZipEntry(file: string, entryName: string): Promise<string> {
  return new Promise((resolve, reject) => {
    openZip(file, { lazyEntries: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error('cannot open'));
      zip.on('error', reject);
      zip.on('end', () => reject(new Error(`no "${entryName}" entry`)));
      zip.on('entry', (entry: Entry) => {
        if (entry.fileName !== entryName) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('cannot read'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
        });
      });
      zip.readEntry();
    });
  });
}

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new CommandFailedError(
      `${command} ${args.join(' ')} (in ${cwd})`,
      `${failed.stderr ?? ''}${failed.stdout ?? ''}` || String(error),
      { cause: error },
    );
  }
}

/** The current state version of the initialized Terraform root `dir` (`terraform state pull`). */
export function pullStateVersion(dir: string): StateVersion {
  return parseStateVersion(
    run('terraform', ['state', 'pull'], dir),
    `terraform state pull in ${dir}`,
  );
}

/** The full sha of HEAD in the repository that holds `dir`. */
export function headCommit(dir: string): string {
  return run('git', ['rev-parse', 'HEAD'], dir).trim();
}

/**
 * Every way the saved plan differs from what it would be applied to; empty when it is fresh.
 *
 * @example
 * findStaleness(meta, { ...meta, state: { lineage: meta.state.lineage, serial: 7 } });
 * // ['the state moved from serial 6 to 7 since the plan: ...']
 */
export function findStaleness(meta: PlanMetadata, now: ApplyContext): string[] {
  const problems: string[] = [];
  if (meta.stack !== now.stack || meta.environment !== now.environment)
    problems.push(
      `the plan is for ${meta.stack} (${meta.environment}), not for ${now.stack} (${now.environment}).`,
    );
  if (meta.commit !== now.commit)
    problems.push(`the plan was made at commit ${meta.commit}, but ${now.commit} is checked out.`);
  if (meta.planSha256 !== now.planSha256)
    problems.push(
      `the plan file's sha256 is ${now.planSha256.slice(0, 16)}…, not the ${meta.planSha256.slice(0, 16)}… recorded when it was made: it is another or a damaged file.`,
    );
  if (meta.state.lineage !== now.state.lineage)
    problems.push(
      meta.state.lineage === ''
        ? `the stack had no state when the plan was made; now it has one (lineage ${now.state.lineage}): something else applied it first.`
        : `the state's lineage is now "${now.state.lineage || '(no state)'}", not "${meta.state.lineage}": the state was replaced or removed since the plan.`,
    );
  else if (meta.state.serial !== now.state.serial)
    problems.push(
      `the state moved from serial ${meta.state.serial} to ${now.state.serial} since the plan: someone applied or changed the state after it was made.`,
    );
  return problems;
}

/** Default metadata file of a plan: `<plan>.meta.json`. */
export const metadataPathFor = (planFile: string) => `${planFile}.meta.json`;

/** Usage text. */
export const USAGE = `Usage: plan-guard record --plan <file> --stack <stack> --environment <env> [--commit <sha>] [--meta <file>]
       plan-guard verify --plan <file> --stack <stack> --environment <env> [--commit <sha>] [--meta <file>] [--dir <dir>]

record  after terraform plan -out=<file>: writes <file>.meta.json (stack, environment, commit,
        sha256 of the plan, the state lineage and serial the plan was made against).
verify  before terraform apply <file>, in the initialized root: exits 1, naming what moved,
        unless the stack, environment, commit, plan file and state are what was recorded.

  --plan <file>          the binary plan (terraform plan -out)
  --stack <stack>        <domain>-<env>
  --environment <env>    dev, staging, prod, ...
  --commit <sha>         the commit (default: git rev-parse HEAD in --dir)
  --meta <file>          the metadata file (default <plan>.meta.json)
  --dir <dir>            the Terraform root, for state pull and git (default: current directory)
  --help                 this text

Exit codes: 0 recorded / fresh; 1 stale plan or a failed read; 2 bad usage.`;

/** Parsed command line. */
export interface CliArgs {
  command: 'record' | 'verify';
  plan: string;
  stack: string;
  environment: string;
  commit?: string;
  meta?: string;
  dir?: string;
}

/**
 * Parses `argv` (without node and script).
 *
 * @throws {UsageError} on an unknown command or flag, a missing value or a missing required flag.
 */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  if (argv.length === 0 || asksForHelp(argv)) return 'help';
  const [command, ...rest] = argv;
  if (command !== 'record' && command !== 'verify')
    throw new UsageError(`unknown command ${JSON.stringify(command)}; expected record or verify`);
  const flags = readFlags(rest, {
    values: ['plan', 'stack', 'environment', 'commit', 'meta', 'dir'],
  });
  if (flags === 'help') return flags;
  const { values } = flags;
  for (const required of ['plan', 'stack', 'environment'] as const)
    if (!values[required]) throw new UsageError(`--${required} is required`);
  if (values.dir && command === 'record')
    throw new UsageError('--dir is only used by verify (record reads the state from the plan)');
  return {
    command,
    plan: values.plan as string,
    stack: values.stack as string,
    environment: values.environment as string,
    ...(values.commit ? { commit: values.commit } : {}),
    ...(values.meta ? { meta: values.meta } : {}),
    ...(values.dir ? { dir: values.dir } : {}),
  };
}

/** Writes the metadata of a saved plan; returns it. */
export async function recordPlan(args: Omit<CliArgs, 'command'>): Promise<PlanMetadata> {
  const { state, terraformVersion } = await readPlanPriorState(args.plan);
  const meta: PlanMetadata = {
    version: 1,
    stack: args.stack,
    environment: args.environment,
    commit: args.commit ?? headCommit(process.cwd()),
    planSha256: sha256File(args.plan),
    state,
    terraformVersion,
    createdAt: new Date().toISOString(),
  };
  writeFileSync(args.meta ?? metadataPathFor(args.plan), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

/** Reads a metadata file written by {@link recordPlan}. */
export function readMetadata(file: string): PlanMetadata {
  let meta: Partial<PlanMetadata>;
  try {
    meta = JSON.parse(readFileSync(file, 'utf8')) as Partial<PlanMetadata>;
  } catch (error) {
    throw new PlanFileError(
      file,
      'cannot be read as plan metadata; it is written by `plan-guard record` beside the plan. Was the plan artifact downloaded whole?',
      { cause: error },
    );
  }
  if (meta.version !== 1 || !meta.commit || !meta.planSha256 || !meta.state)
    throw new PlanFileError(file, 'is not plan metadata of version 1 (plan-guard record).');
  return meta as PlanMetadata;
}

/**
 * Checks a saved plan against the checkout and the current state.
 *
 * @throws {StalePlanError} listing every difference.
 */
export function verifyPlan(args: Omit<CliArgs, 'command'>): PlanMetadata {
  const dir = args.dir ?? process.cwd();
  const meta = readMetadata(args.meta ?? metadataPathFor(args.plan));
  const problems = findStaleness(meta, {
    stack: args.stack,
    environment: args.environment,
    commit: args.commit ?? headCommit(dir),
    planSha256: sha256File(args.plan),
    state: pullStateVersion(dir),
  });
  if (problems.length > 0) throw new StalePlanError(args.stack, problems);
  return meta;
}

/** Runs the command; resolves to the exit code (0 ok, 1 stale or failure, 2 usage). */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
  return runCli(
    {
      name: 'plan-guard',
      usage: USAGE,
      parse: parseArgs,
      run: async (args, out) => {
        if (args.command === 'record') {
          const meta = await recordPlan(args);
          out.write(
            `plan-guard: recorded ${meta.stack} plan at ${meta.commit.slice(0, 12)}, state serial ${meta.state.serial}${meta.state.lineage ? '' : ' (no state yet)'}, sha256 ${meta.planSha256.slice(0, 16)}…\n`,
          );
        } else {
          const meta = verifyPlan(args);
          out.write(
            `plan-guard: ${meta.stack} plan is fresh (commit ${meta.commit.slice(0, 12)}, state serial ${meta.state.serial}, same plan file); applying it is safe.\n`,
          );
        }
      },
    },
    argv,
    io,
  );
}

runIfMain(import.meta.url, 'plan-guard', main);
