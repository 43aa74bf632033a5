/**
 * Prints, as a GitHub Actions matrix, the Terraform stacks a change between two commits needs
 * to plan and apply. Gathers the inputs from git and the Nx project graph; the decision itself
 * is {@link affectedStacks} (tools/delivery/src/affected.ts).
 *
 * Run it with `head` checked out: Nx and the stacks' domain list are read from the working tree.
 *
 * @example npx tsx tools/delivery/src/affected-stacks.ts --base origin/main --head HEAD --environments dev
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  affectedStacks,
  filesForNx,
  isDocsOrTests,
  type LambdaDomains,
  type StackMatrix,
} from './affected';
import { CommandFailedError, DeliveryError, UnknownRevisionError, UsageError } from './errors';
import { processIo, readFlags, runCli, runIfMain, type CliIo } from './cli';

/** Usage text. */
export const USAGE = `Usage: affected-stacks --base <sha> --head <sha> [--environments <env,env>]

Prints {"include":[{"stack":"<domain>-<env>","domain":"<domain>","environment":"<env>"}, ...]}
for a GitHub Actions matrix: the stacks the change from <base> to <head> needs to plan.

  --base <sha>             commit the change starts from (e.g. the pull request's base)
  --head <sha>             commit the change ends at; run with it checked out
  --environments <list>    comma-separated subset of terraform/stacks/environments.json (default: all)
  --help                   this text`;

/** Parsed command line. */
export interface CliArgs {
  base: string;
  head: string;
  environments?: string[];
}

/**
 * Parses `argv` (without node and script). Accepts `--flag value` and `--flag=value`.
 *
 * @throws {UsageError} on an unknown flag, a missing value or a missing `--base`/`--head`.
 */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  const flags = readFlags(argv, { values: ['base', 'head', 'environments'] });
  if (flags === 'help') return flags;
  const { values } = flags;
  if (!values.base) throw new UsageError('--base <sha> is required');
  if (!values.head) throw new UsageError('--head <sha> is required');
  const environments = values.environments
    ?.split(',')
    .map((env) => env.trim())
    .filter(Boolean);
  if (values.environments !== undefined && environments?.length === 0)
    throw new UsageError('--environments needs at least one environment name');
  return { base: values.base, head: values.head, ...(environments ? { environments } : {}) };
}

/** Runs a command in `cwd` and returns its stdout; fails with the command and its output. */
function run(cwd: string, command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new CommandFailedError(
      `${command} ${args.join(' ')}`,
      `${failed.stderr ?? ''}${failed.stdout ?? ''}` || String(error),
      { cause: error },
    );
  }
}

/** The full sha of `revision`, or {@link UnknownRevisionError} naming the flag it came from. */
function resolveCommit(root: string, flag: string, revision: string): string {
  try {
    return run(root, 'git', ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).trim();
  } catch (error) {
    throw new UnknownRevisionError(flag, revision, { cause: error });
  }
}

/** Lambda → domain from every `apps/<name>/lambda.manifest.json` at commit `sha`. */
function lambdasAt(root: string, sha: string): LambdaDomains {
  const lambdas: Record<string, string> = {};
  const files = run(root, 'git', ['ls-tree', '-r', '--name-only', sha, '--', 'apps']).split('\n');
  for (const file of files) {
    const match = /^apps\/([^/]+)\/lambda\.manifest\.json$/.exec(file);
    if (!match) continue;
    const text = run(root, 'git', ['show', `${sha}:${file}`]);
    let domain: unknown;
    try {
      domain = (JSON.parse(text) as { domain?: unknown }).domain;
    } catch (error) {
      throw new DeliveryError(
        `${file} at ${sha.slice(0, 12)} is not valid JSON; fix the manifest.`,
        { cause: error },
      );
    }
    if (typeof domain !== 'string' || domain === '')
      throw new DeliveryError(
        `${file} at ${sha.slice(0, 12)} has no "domain"; every Lambda names the domain whose stack deploys it.`,
      );
    lambdas[match[1] as string] = domain;
  }
  return lambdas;
}

/** Environment names of terraform/stacks/environments.json at commit `sha`, in file order. */
function environmentsAt(root: string, sha: string): string[] {
  const text = run(root, 'git', ['show', `${sha}:terraform/stacks/environments.json`]);
  const environments = (JSON.parse(text) as { environments?: Record<string, unknown> })
    .environments;
  if (!environments || Object.keys(environments).length === 0)
    throw new DeliveryError(
      'terraform/stacks/environments.json declares no "environments"; add at least one.',
    );
  return Object.keys(environments);
}

/**
 * DOMAINS keys of the stacks program (working tree). Loaded at run time rather than imported:
 * the tool reads the stacks' data, it does not build on the stacks project (type:stacks).
 */
async function declaredDomains(root: string): Promise<string[]> {
  const file = join(root, 'terraform/stacks/src/domains/index.ts');
  const loaded = (await import(pathToFileURL(file).href)) as { DOMAINS?: Record<string, unknown> };
  if (!loaded.DOMAINS)
    throw new DeliveryError(`${file} exports no DOMAINS; the stacks program defines them there.`);
  return Object.keys(loaded.DOMAINS);
}

/**
 * Names of the Nx projects `files` affect (themselves and their dependents). `--files` rather
 * than `--base/--head` so that Nx sees only the files {@link filesForNx} kept.
 */
function nxAffected(root: string, files: readonly string[]): string[] {
  if (files.length === 0) return [];
  const output = run(root, 'npx', [
    'nx',
    'show',
    'projects',
    '--affected',
    `--files=${files.join(',')}`,
    '--json',
  ]);
  // Nx may print notices before the JSON; the list is the last line that starts with '['.
  const line = output
    .split('\n')
    .reverse()
    .find((l) => l.trim().startsWith('['));
  if (!line)
    throw new CommandFailedError('nx show projects --affected', `no JSON list in:\n${output}`);
  return JSON.parse(line) as string[];
}

/** Gathers the inputs from git and Nx in the repository at `cwd` and decides. */
export async function computeMatrix(args: CliArgs, cwd = process.cwd()): Promise<StackMatrix> {
  const root = run(cwd, 'git', ['rev-parse', '--show-toplevel']).trim();
  const base = resolveCommit(root, '--base', args.base);
  const head = resolveCommit(root, '--head', args.head);
  const changedFiles = run(root, 'git', ['diff', '--name-only', '--no-renames', base, head])
    .split('\n')
    .filter(Boolean);
  const knownEnvironments = environmentsAt(root, head);
  const common = {
    changedFiles,
    knownEnvironments,
    ...(args.environments ? { environments: args.environments } : {}),
  };
  // Docs- and tests-only changes need neither the graph (10-20 s) nor the manifests.
  if (changedFiles.every(isDocsOrTests))
    return affectedStacks({
      ...common,
      affectedProjects: [],
      lambdasAtHead: {},
      lambdasAtBase: {},
      domains: [],
    });
  const lambdasAtHead = lambdasAt(root, head);
  const lambdasAtBase = lambdasAt(root, base);
  return affectedStacks({
    ...common,
    affectedProjects: nxAffected(root, filesForNx(changedFiles, lambdasAtHead, lambdasAtBase)),
    lambdasAtHead,
    lambdasAtBase,
    domains: await declaredDomains(root),
  });
}

/** Runs the command; resolves to the exit code (0 ok, 1 failure, 2 usage or unknown environment). */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
  return runCli(
    {
      name: 'affected-stacks',
      usage: USAGE,
      parse: parseArgs,
      run: async (args, out) => out.write(`${JSON.stringify(await computeMatrix(args))}\n`),
      failureCode: (error) => (error.name === 'UnknownEnvironmentError' ? 2 : 1),
    },
    argv,
    io,
  );
}

runIfMain(import.meta.url, 'affected-stacks', main);
