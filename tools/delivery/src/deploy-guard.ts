/**
 * Refuses to apply a commit that would deploy anything but main's newest code (issue 12, item 5).
 *
 * Re-running an old deploy run re-plans and applies its old commit, and a `workflow_dispatch`
 * from another branch applies that branch: both roll an environment back, or past review, with
 * the deploy role. Before anything is applied, this guard asks real git about the commit being
 * applied:
 *
 * - without `--last-applied`, it must be main's head (`--expect-head`, read at apply time from
 *   the remote, not from the run's event);
 * - with `--last-applied` (the last commit applied to that environment), it must be on main
 *   (main's head descends from it) and descend from the last applied commit: a deploy run that
 *   waited while main moved on may still apply its commit, it just never goes backwards.
 *
 * Descent is `git merge-base --is-ancestor`, which needs the history: check out with
 * `fetch-depth: 0`.
 *
 * @example npx tsx tools/delivery/src/deploy-guard.ts --environment prod --expect-head "$(git ls-remote origin refs/heads/main | cut -f1)"
 */
import { execFileSync } from 'node:child_process';
import { CommandFailedError, DeployRefusedError, UnknownRevisionError, UsageError } from './errors';
import { processIo, readFlags, runCli, runIfMain, type CliIo } from './cli';

/** Usage text. */
export const USAGE = `Usage: deploy-guard --environment <env> --expect-head <sha> [--last-applied <sha>] [--commit <sha>] [--dir <dir>]

Before terraform apply: exits 1, saying why, unless the commit being applied is main's head or,
with --last-applied, is on main and descends from the last commit applied to the environment.

  --environment <env>    the environment being applied (for the messages)
  --expect-head <sha>    main's head now (git ls-remote origin refs/heads/main), or a ref
  --last-applied <sha>   the last commit applied to this environment, when one is recorded
  --commit <sha>         the commit being applied (default: git rev-parse HEAD in --dir)
  --dir <dir>            a directory of the repository, with full history (default: current directory)
  --help                 this text

Exit codes: 0 the commit may be applied; 1 refused, or a revision git does not know; 2 bad usage.`;

/** Parsed command line. */
export interface CliArgs {
  environment: string;
  expectHead: string;
  lastApplied?: string;
  commit?: string;
  dir?: string;
}

/**
 * Parses `argv` (without node and script). Accepts `--flag value` and `--flag=value`.
 *
 * @throws {UsageError} on an unknown flag, a missing value or a missing required flag.
 */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  const flags = readFlags(argv, {
    values: ['environment', 'expect-head', 'last-applied', 'commit', 'dir'],
    helpAnywhere: true,
  });
  if (flags === 'help') return flags;
  const { values } = flags;
  if (!values.environment) throw new UsageError('--environment <env> is required');
  if (!values['expect-head'])
    throw new UsageError(
      "--expect-head <sha> is required: main's head, e.g. $(git ls-remote origin refs/heads/main | cut -f1)",
    );
  return {
    environment: values.environment,
    expectHead: values['expect-head'],
    ...(values['last-applied'] ? { lastApplied: values['last-applied'] } : {}),
    ...(values.commit ? { commit: values.commit } : {}),
    ...(values.dir ? { dir: values.dir } : {}),
  };
}

/** What git says about the commit being applied, as {@link judgeDeploy} needs it. */
export interface DeployFacts {
  environment: string;
  /** Full shas. */
  commit: string;
  head: string;
  lastApplied?: string;
  /** `commit` is main's head or an ancestor of it. */
  onMain: boolean;
  /** Commits on main after `commit` (`git rev-list --count commit..head`); 0 when not on main. */
  behindHead: number;
  /** `lastApplied` is `commit` or an ancestor of it; undefined without `lastApplied`. */
  descendsFromLastApplied?: boolean;
  /** `commit` is a strict ancestor of `lastApplied`: applying it rolls back. */
  olderThanLastApplied?: boolean;
}

const short = (sha: string) => sha.slice(0, 12);

/**
 * Why the commit may not be applied (empty when it may), from facts git established.
 *
 * @example
 * judgeDeploy({ environment: 'prod', commit: b, head: c, onMain: true, behindHead: 1 });
 * // ['… is not main's head …: it is 1 commit behind it. …']
 */
export function judgeDeploy(facts: DeployFacts): string[] {
  const { environment, commit, head, lastApplied } = facts;
  const problems: string[] = [];
  if (!facts.onMain)
    problems.push(
      `${short(commit)} is not on main (its head ${short(head)} does not descend from it): a commit of another branch is never applied to ${environment}.`,
    );
  if (lastApplied === undefined) {
    if (facts.onMain && commit !== head)
      problems.push(
        `${short(commit)} is not main's head ${short(head)}: it is ${facts.behindHead} commit${facts.behindHead === 1 ? '' : 's'} behind it, and no last applied commit of ${environment} was given to prove it is newer than what ${environment} runs.`,
      );
  } else if (facts.olderThanLastApplied)
    problems.push(
      `${short(commit)} is older than ${short(lastApplied)}, the last commit applied to ${environment}: applying it would roll ${environment} back.`,
    );
  else if (!facts.descendsFromLastApplied)
    problems.push(
      `${short(commit)} does not descend from ${short(lastApplied)}, the last commit applied to ${environment}: applying it would drop what that commit deployed (was main's history rewritten?).`,
    );
  return problems;
}

function git(dir: string, args: readonly string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new CommandFailedError(
      `git ${args.join(' ')} (in ${dir})`,
      `${failed.stderr ?? ''}${failed.stdout ?? ''}` || String(error),
      { cause: error },
    );
  }
}

/** The full sha of `revision`, or {@link UnknownRevisionError} naming the flag it came from. */
function resolveCommit(dir: string, flag: string, revision: string): string {
  try {
    return git(dir, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).trim();
  } catch (error) {
    throw new UnknownRevisionError(flag, revision, { cause: error });
  }
}

/** Whether `ancestor` is `descendant` or one of its ancestors (`git merge-base --is-ancestor`). */
export function isAncestor(dir: string, ancestor: string, descendant: string): boolean {
  try {
    execFileSync('git', ['merge-base', '--is-ancestor', ancestor, descendant], {
      cwd: dir,
      stdio: 'ignore',
    });
    return true;
  } catch (error) {
    // Exit 1 is git's "no"; anything else (128: not a repository, unknown object) is a failure.
    if ((error as { status?: number }).status === 1) return false;
    throw new CommandFailedError(
      `git merge-base --is-ancestor ${ancestor} ${descendant} (in ${dir})`,
      String(error),
      { cause: error },
    );
  }
}

/** Asks git, in the repository at `dir`, everything {@link judgeDeploy} decides on. */
export function gatherFacts(args: CliArgs, dir = args.dir ?? process.cwd()): DeployFacts {
  const commit = resolveCommit(dir, '--commit', args.commit ?? 'HEAD');
  const head = resolveCommit(dir, '--expect-head', args.expectHead);
  const onMain = isAncestor(dir, commit, head);
  const facts: DeployFacts = {
    environment: args.environment,
    commit,
    head,
    onMain,
    behindHead: onMain ? Number(git(dir, ['rev-list', '--count', `${commit}..${head}`]).trim()) : 0,
  };
  if (args.lastApplied === undefined) return facts;
  const lastApplied = resolveCommit(dir, '--last-applied', args.lastApplied);
  const descends = isAncestor(dir, lastApplied, commit);
  return {
    ...facts,
    lastApplied,
    descendsFromLastApplied: descends,
    olderThanLastApplied: !descends && isAncestor(dir, commit, lastApplied),
  };
}

/**
 * Checks the commit to be applied; returns what made it acceptable.
 *
 * @throws {DeployRefusedError} listing every reason it may not be applied.
 * @throws {UnknownRevisionError} for a sha git does not know (shallow clone?).
 */
export function verifyDeploy(args: CliArgs): string {
  const facts = gatherFacts(args);
  const problems = judgeDeploy(facts);
  if (problems.length > 0) throw new DeployRefusedError(facts.environment, facts.commit, problems);
  const { commit, head, lastApplied, environment } = facts;
  if (commit === head)
    return `${short(commit)} is main's head${lastApplied ? ` and descends from ${short(lastApplied)}, the last commit applied to ${environment}` : ''}`;
  return `${short(commit)} is on main (${facts.behindHead} behind its head ${short(head)}) and descends from ${short(lastApplied as string)}, the last commit applied to ${environment}`;
}

/** Runs the command; resolves to the exit code (0 may apply, 1 refused or failure, 2 usage). */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
  return runCli(
    {
      name: 'deploy-guard',
      usage: USAGE,
      parse: parseArgs,
      run: (args, out) => {
        const reason = verifyDeploy(args);
        out.write(`deploy-guard: ${args.environment} may apply it: ${reason}.\n`);
      },
    },
    argv,
    io,
  );
}

runIfMain(import.meta.url, 'deploy-guard', main);
