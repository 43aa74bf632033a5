import { spawnSync } from 'node:child_process';
import { roundRobin } from './schedule';

/** One timed command. */
export interface TimedRun {
  ms: number;
  output: string;
}

/** How many of a run's tasks Nx restored from its cache. */
export interface CacheSummary {
  hits: number;
  total: number;
}

/**
 * Reads Nx's cache summary from `nx run-many` output: the `Cache: 3/3 hit (100%)` footer of
 * Nx ≥ 22, or the older "Nx read the output from the cache … for 3 out of 3 tasks" line.
 * `undefined` when neither is there (a failed run prints no summary).
 *
 * @example
 * parseNxCacheSummary('  Cache:             3/3 hit (100%)'); // { hits: 3, total: 3 }
 */
export function parseNxCacheSummary(output: string): CacheSummary | undefined {
  const footer = /Cache:\s+(\d+)\s*\/\s*(\d+)\s+hit/.exec(output);
  if (footer) return { hits: Number(footer[1]), total: Number(footer[2]) };
  const legacy = /from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(
    output,
  );
  if (legacy) return { hits: Number(legacy[1]), total: Number(legacy[2]) };
  return undefined;
}

/** True when every task came from the cache. */
export function isFullyCached(summary: CacheSummary | undefined): boolean {
  return summary !== undefined && summary.total > 0 && summary.hits === summary.total;
}

/**
 * Runs a command to completion and returns its wall time, measured in the parent with
 * `process.hrtime.bigint()` around the whole process: start-up included, since a developer
 * waits for all of it. Fails with the command's output when it exits non-zero.
 */
export function timeCommand(command: string, args: readonly string[], cwd: string): TimedRun {
  const start = process.hrtime.bigint();
  const child = spawnSync(command, args, {
    cwd,
    // Plain text, so the cache summary can be parsed; the terminal UI is off in nx.json already.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', NX_TUI: 'false' },
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const output = `${child.stdout ?? ''}${child.stderr ?? ''}`;
  if (child.error)
    throw new Error(`Could not run ${command} ${args.join(' ')}: ${child.error.message}`, {
      cause: child.error,
    });
  if (child.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${child.status ?? child.signal}:\n${output.slice(-4000)}`,
    );
  }
  return { ms, output };
}

/** Everything measured about `nx run-many -t package`. */
export interface NxWallTimes {
  /** The first run, which builds whatever is out of date. */
  first: { ms: number; cache: CacheSummary | undefined };
  /** Fully cached `nx run-many -t package` runs (ms). */
  cached: number[];
  /** `nx --version` runs (ms): the baseline, Nx's own start-up. */
  version: number[];
  /**
   * `nx show projects` runs (ms): start-up plus the project graph (every plugin's createNodes),
   * which a cached run also pays; cached / graph near 1 says the cache itself costs little.
   */
  graph: number[];
  /**
   * Runs thrown away because Nx did not restore every task from the cache: someone changed an
   * input while the bench ran, so that run timed a build, not the cache.
   */
  discarded: number;
}

/** The commands, as a developer types them after `npx`. */
export const NX_COMMANDS = {
  cached: ['nx', 'run-many', '-t', 'package'],
  version: ['nx', '--version'],
  graph: ['nx', 'show', 'projects'],
} as const;

/**
 * The first `npx nx run-many -t package` of the bench: builds and zips whatever is out of date
 * so every Lambda zip exists. Timed for information only: cached or not depends on the workspace.
 */
export function runPackageOnce(workspaceRoot: string): NxWallTimes['first'] {
  const run = timeCommand('npx', NX_COMMANDS.cached, workspaceRoot);
  return { ms: run.ms, cache: parseNxCacheSummary(run.output) };
}

/**
 * Times `runs` rounds of a fully cached `npx nx run-many -t package` and of its baselines
 * (`nx --version`, `nx show projects`), in round-robin order so all see the same machine. A
 * round whose package run was not fully cached is discarded whole and retried (at most `runs`
 * extra times) instead of polluting the median. Call after {@link runPackageOnce}.
 */
export function measureCachedNx(
  workspaceRoot: string,
  options: { runs: number; onRound?: (round: number, of: number) => void },
): Omit<NxWallTimes, 'first'> {
  const kinds = Object.keys(NX_COMMANDS) as (keyof typeof NX_COMMANDS)[];
  const result: Omit<NxWallTimes, 'first'> = { cached: [], version: [], graph: [], discarded: 0 };
  // More orders than rounds: a discarded round moves on to the next order.
  const orders = roundRobin(kinds, options.runs * 2 + 1);
  for (let attempt = 0; result.cached.length < options.runs; attempt++) {
    const round: Partial<Record<keyof typeof NX_COMMANDS, TimedRun>> = {};
    for (const kind of orders[attempt])
      round[kind] = timeCommand('npx', NX_COMMANDS[kind], workspaceRoot);
    if (!isFullyCached(parseNxCacheSummary(round.cached?.output ?? ''))) {
      if (++result.discarded > options.runs) {
        throw new Error(
          `nx run-many -t package missed the cache in ${result.discarded} rounds: inputs keep changing while the bench runs (someone is editing or building). Re-run when the workspace is quiet.`,
        );
      }
      continue;
    }
    for (const kind of kinds) result[kind].push((round[kind] as TimedRun).ms);
    options.onRound?.(result.cached.length, options.runs);
  }
  return result;
}
