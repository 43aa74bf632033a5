/**
 * Where a bundle's module init goes (issue 17: "the profile that shows what remains"): the init
 * probe of `init-time.ts` run under `node --cpu-prof`, each sample's bundle position mapped back
 * through the `handler.js.map` esbuild writes beside the bundle to the npm package or workspace
 * project it came from (`ownerOf`, as the bundle-contents table does). Only samples taken while
 * the probe's `require()` runs count (descendants of the probe's `[eval]` frame, plus the GC
 * between its first and last sample). A sample counts for the innermost bundle frame on its
 * stack that maps to a source, so Node's own work on behalf of a package (requiring a builtin,
 * compiling a function lazily) is that package's; what no bundle frame asked for is Node loading
 * and compiling `handler.js`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { ownerOf, type Contributor } from './contents';
import { INIT_PROBE, lambdaEnvironment } from './init-time';
import type { BenchTarget } from './lambdas';

/** The part of a `.cpuprofile` this reads (Chrome DevTools protocol `Profiler.Profile`). */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Init time by owner, merged over the runs: `bytes` holds microseconds here. */
export interface InitProfile {
  /** Sampled init time per run (µs), averaged. */
  totalMs: number;
  runs: number;
  /** Largest owners first, `share` of the sampled init. */
  owners: { name: string; ms: number; share: number }[];
}

/** Sampling interval (µs): init takes tens of milliseconds, so 50 µs gives hundreds of samples. */
export const PROFILE_INTERVAL_US = 50;

/**
 * The owner of every sampled microsecond of one profile (see the module comment; GC as
 * `(garbage collector)`). Pure.
 */
export function attributeProfile(
  profile: CpuProfile,
  bundleFile: string,
  map: TraceMap,
): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inProbe = new Map<number, boolean>();
  const underProbe = (id: number): boolean => {
    const known = inProbe.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const result = node?.callFrame.url === '[eval]' || (up !== undefined && underProbe(up));
    inProbe.set(id, result);
    return result;
  };
  const mapped = new Map<number, string | null>();
  /** The package or project of a bundle frame, null when the frame is not in the bundle or unmapped. */
  const sourceOwner = (id: number): string | null => {
    const known = mapped.get(id);
    if (known !== undefined) return known;
    const { callFrame } = byId.get(id)!;
    const path = callFrame.url.startsWith('file://') ? fileURLToPath(callFrame.url) : callFrame.url;
    let owner: string | null = null;
    if (path === bundleFile) {
      const { source } = originalPositionFor(map, {
        line: callFrame.lineNumber + 1,
        column: callFrame.columnNumber,
      });
      if (source) owner = ownerOf(source.replace(/^(\.\.\/)+/, ''));
    }
    mapped.set(id, owner);
    return owner;
  };
  const owners = new Map<number, string>();
  /**
   * Who a sample's time is for: the innermost bundle frame on its stack that maps to a source
   * (so Node's `require` of a builtin, or a lazy compile, counts for the package that asked),
   * else Node loading and compiling the bundle itself.
   */
  const ownerOfNode = (leaf: number): string => {
    const cached = owners.get(leaf);
    if (cached) return cached;
    let owner = 'node: loading and compiling handler.js';
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const found = sourceOwner(id);
      if (found) {
        owner = found;
        break;
      }
      if (byId.get(id)!.callFrame.url === '[eval]') break;
    }
    owners.set(leaf, owner);
    return owner;
  };
  const probeSamples = profile.samples.flatMap((id, i) => (underProbe(id) ? [i] : []));
  const out = new Map<string, number>();
  if (probeSamples.length === 0) return out;
  const [first, last] = [probeSamples[0], probeSamples.at(-1)!];
  for (let i = first; i <= last; i++) {
    const id = profile.samples[i];
    const { functionName } = byId.get(id)!.callFrame;
    const owner = underProbe(id)
      ? ownerOfNode(id)
      : functionName === '(garbage collector)'
        ? '(garbage collector)'
        : undefined;
    if (!owner) continue;
    // A sample's delta is the time until the next sample.
    const us = profile.timeDeltas[i + 1] ?? 0;
    out.set(owner, (out.get(owner) ?? 0) + us);
  }
  return out;
}

/** Merges per-run attributions into the largest `top` owners (the rest as `other`). Pure. */
export function summarizeProfiles(runs: Map<string, number>[], top = 6): InitProfile {
  const total = new Map<string, number>();
  for (const run of runs)
    for (const [owner, us] of run) total.set(owner, (total.get(owner) ?? 0) + us);
  const all = [...total].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const sum = all.reduce((s, [, us]) => s + us, 0);
  const perRun = (us: number) => us / 1000 / Math.max(runs.length, 1);
  const kept = all.slice(0, top);
  const rest = all.slice(top).reduce((s, [, us]) => s + us, 0);
  const owners = [...kept, ...(rest > 0 ? [['other', rest] as [string, number]] : [])].map(
    ([name, us]) => ({ name, ms: perRun(us), share: sum ? us / sum : 0 }),
  );
  return { totalMs: perRun(sum), runs: runs.length, owners };
}

/**
 * `runs` profiled inits of `target` (plain mode, as deployed), attributed and merged.
 *
 * @throws {Error} when the bundle has no map beside it or a profiled child fails.
 */
export function profileInit(
  target: BenchTarget,
  runs: number,
  execPath: string = process.execPath,
): InitProfile {
  const mapFile = `${target.bundleFile}.map`;
  if (!existsSync(mapFile))
    throw new Error(
      `${mapFile} is missing: the init profile maps samples through the map esbuild writes beside the bundle; run npx nx run-many -t package.`,
    );
  const map = new TraceMap(readFileSync(mapFile, 'utf8'));
  const attributed: Map<string, number>[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-init-profile-'));
    try {
      const child = spawnSync(
        execPath,
        [
          '--cpu-prof',
          `--cpu-prof-dir=${dir}`,
          `--cpu-prof-interval=${PROFILE_INTERVAL_US}`,
          '-e',
          INIT_PROBE,
          target.bundleFile,
        ],
        {
          cwd: dirname(target.bundleFile),
          env: lambdaEnvironment(target, 'plain', process.env.PATH),
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (child.status !== 0 || !file)
        throw new Error(
          `Profiling the init of ${target.name} failed (exit ${child.status ?? child.signal}, ${file ? 'profile written' : 'no profile'}):\n${child.stderr}`,
        );
      const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
      attributed.push(attributeProfile(profile, target.bundleFile, map));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return summarizeProfiles(attributed);
}

/** For the report: the profile's owners as bundle-contents-like rows. */
export function profileRows(profile: InitProfile): Contributor[] {
  return profile.owners.map((o) => ({ name: o.name, bytes: o.ms, share: o.share }));
}
