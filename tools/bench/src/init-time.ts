import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { BenchTarget } from './lambdas';
import { roundRobin } from './schedule';

/**
 * How the child `node` is started:
 * - `plain`: `node` alone, the floor;
 * - `source-maps`: `NODE_OPTIONS=--enable-source-maps` on a copy of the bundle that links its map
 *   (`//# sourceMappingURL=handler.js.map`, the map beside it; {@link linkSourceMap}): how every
 *   function was deployed before issue 17. Today's bundles have no such comment and the stacks set
 *   no `NODE_OPTIONS`, so `plain` is the init the Lambdas pay, and this column is what turning
 *   source maps back on would cost (the flag alone, on a bundle without the comment, loads no map).
 */
export type InitMode = 'plain' | 'source-maps';

/** Every mode, in report order. */
export const INIT_MODES: readonly InitMode[] = ['plain', 'source-maps'];

/** Human label of a mode for the report. */
export const INIT_MODE_LABEL: Record<InitMode, string> = {
  plain: 'node (as deployed)',
  'source-maps':
    'node, NODE_OPTIONS=--enable-source-maps, map linked beside the bundle (as deployed before issue 17)',
};

/** Short label of a mode, for column headers. */
export const INIT_MODE_SHORT: Record<InitMode, string> = {
  plain: 'node',
  'source-maps': 'source maps',
};

/** Prefix of the probe's result line: the bundle may print its own lines during init. */
export const PROBE_MARKER = '@@slipway-bench ';

/**
 * Run by each child with `node -e`: times `require()` of the bundle plus reading its `handler`
 * export with `process.hrtime.bigint()` (monotonic, nanoseconds), so Node's own start-up is left
 * out and only module init is measured. `net.Socket#connect` is counted, not blocked: init that
 * reaches for the network (an AWS call at cold start) is reported as an error instead of
 * silently timing a DNS failure.
 */
export const INIT_PROBE = `
const net = require('node:net');
let connects = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { connects++; return connect.apply(this, args); };
const file = process.argv[1];
const start = process.hrtime.bigint();
const mod = require(file);
const handler = mod.handler;
const end = process.hrtime.bigint();
if (typeof handler !== 'function') {
  process.stderr.write(file + ' has no handler export (got ' + typeof handler + ')\\n');
  process.exit(3);
}
process.stdout.write('\\n${PROBE_MARKER}' + JSON.stringify({ initNs: String(end - start), connects }) + '\\n');
process.exit(0);
`;

/** What one probe run reports. */
export interface ProbeResult {
  initMs: number;
  /** TCP connections opened during init: must be 0. */
  connects: number;
}

/** Reads the probe's result line out of a child's stdout (the last marker line wins). */
export function parseProbeOutput(stdout: string): ProbeResult {
  const line = stdout
    .split('\n')
    .filter((l) => l.startsWith(PROBE_MARKER))
    .at(-1);
  if (!line)
    throw new Error(
      `The init probe printed no result line (${PROBE_MARKER.trim()}): stdout was ${JSON.stringify(stdout.slice(-500))}`,
    );
  const parsed = JSON.parse(line.slice(PROBE_MARKER.length)) as {
    initNs: string;
    connects: number;
  };
  // Nanoseconds travel as a string: BigInt does not survive JSON, and a Number keeps them exact
  // only up to ~104 days, far beyond an init.
  return { initMs: Number(BigInt(parsed.initNs)) / 1e6, connects: parsed.connects };
}

/**
 * The environment of a Lambda child: what the nodejs22.x runtime sets before loading a handler
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * the variables the stacks add, and the manifest's own. Built from scratch, not inherited, so the
 * developer's shell (AWS_PROFILE, NODE_OPTIONS…) cannot change what is measured. No credentials:
 * module init must not need them.
 */
export function lambdaEnvironment(
  target: BenchTarget,
  mode: InitMode,
  path: string | undefined,
): Record<string, string> {
  return {
    ...(path ? { PATH: path } : {}),
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `slipway-bench-${target.name}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
    LAMBDA_TASK_ROOT: dirname(target.bundleFile),
    _HANDLER: 'handler.handler',
    POWERTOOLS_SERVICE_NAME: target.name,
    POWERTOOLS_METRICS_NAMESPACE: 'Slipway/bench',
    ...target.environment,
    ...(mode === 'source-maps' ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
  };
}

/** One fresh `node` process loading `target`'s bundle; returns what the probe measured. */
export function runInitProbe(target: BenchTarget, mode: InitMode, execPath: string): ProbeResult {
  const child = spawnSync(execPath, ['-e', INIT_PROBE, target.bundleFile], {
    cwd: dirname(target.bundleFile),
    env: lambdaEnvironment(target, mode, process.env.PATH),
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.error)
    throw new Error(`Could not run ${execPath} for ${target.name}: ${child.error.message}`, {
      cause: child.error,
    });
  if (child.status !== 0) {
    throw new Error(
      `Loading ${target.bundleFile} (${mode}) exited with ${child.status ?? child.signal}:\n${child.stderr}`,
    );
  }
  const result = parseProbeOutput(child.stdout);
  if (result.connects > 0) {
    throw new Error(
      `${target.name} opened ${result.connects} network connection(s) during module init: cold start must not call AWS; move the call into the handler.`,
    );
  }
  return result;
}

/**
 * A copy of `target`'s bundle in `dir` that links its map as the bundles did before issue 17:
 * the bundle with `//# sourceMappingURL=<file>.map` appended and the map esbuild writes beside it
 * (`handler.js.map`, the Lambda build's `sourcemap: 'external'`) copied next to it. Node's
 * `--enable-source-maps` loads a map only through that comment, so this is what the
 * `source-maps` mode measures; the packaged bundle and zip are left alone.
 *
 * @throws {Error} when the bundle has no map beside it.
 */
export function linkSourceMap(target: BenchTarget, dir: string): BenchTarget {
  const map = `${target.bundleFile}.map`;
  if (!existsSync(map))
    throw new Error(
      `${map} is missing: the source-maps mode needs the map esbuild writes beside the bundle (the Lambda build's sourcemap 'external'); run npx nx run-many -t package.`,
    );
  const linked = join(dir, target.name);
  mkdirSync(linked, { recursive: true });
  const file = basename(target.bundleFile);
  const code = readFileSync(target.bundleFile, 'utf8');
  writeFileSync(
    join(linked, file),
    `${code}${code.endsWith('\n') ? '' : '\n'}//# sourceMappingURL=${file}.map\n`,
  );
  copyFileSync(map, join(linked, `${file}.map`));
  return { ...target, bundleFile: join(linked, file) };
}

/** Samples (ms) per target name and mode. */
export type InitSamples = Record<string, Record<InitMode, number[]>>;

/**
 * Module-init time of every target in every mode: one unmeasured warm-up per pair (fills the
 * page cache so the first sample does not pay for disk reads), then `runs` round-robin rounds.
 * Children run one at a time and use the parent's own `node` binary (`execPath`), so parallel
 * children do not compete for the 2 cores and every sample sees the same Node.
 */
export function measureInit(
  targets: readonly BenchTarget[],
  options: {
    runs: number;
    execPath?: string;
    modes?: readonly InitMode[];
    onRound?: (round: number, of: number) => void;
    /**
     * Where the linked copies' temporary folder is made (default: the OS temp folder). Give a
     * folder as deep in the workspace as the bundles (`dist/bench` for `dist/apps/<n>/bundle`):
     * a bundle that keeps a package external (sharp) must resolve it the same way from its copy,
     * through the same number of `node_modules` lookups.
     */
    linkParent?: string;
  },
): InitSamples {
  const execPath = options.execPath ?? process.execPath;
  const modes = options.modes ?? INIT_MODES;
  // The linked copies live in a temporary folder for this measurement only.
  const linkDir = modes.includes('source-maps')
    ? mkdtempSync(join(options.linkParent ?? tmpdir(), 'slipway-bench-linked-'))
    : undefined;
  try {
    return measureJobs(targets, modes, execPath, options, linkDir);
  } finally {
    if (linkDir) rmSync(linkDir, { recursive: true, force: true });
  }
}

function measureJobs(
  targets: readonly BenchTarget[],
  modes: readonly InitMode[],
  execPath: string,
  options: { runs: number; onRound?: (round: number, of: number) => void },
  linkDir: string | undefined,
): InitSamples {
  const jobs = targets.flatMap((target) => {
    const linked = linkDir ? linkSourceMap(target, linkDir) : target;
    return modes.map((mode) => ({ target: mode === 'source-maps' ? linked : target, mode }));
  });
  const samples: InitSamples = Object.fromEntries(
    targets.map((t) => [
      t.name,
      Object.fromEntries(modes.map((m) => [m, [] as number[]])) as Record<InitMode, number[]>,
    ]),
  );
  for (const { target, mode } of jobs) runInitProbe(target, mode, execPath);
  for (const [round, order] of roundRobin(jobs, options.runs).entries()) {
    for (const { target, mode } of order)
      samples[target.name][mode].push(runInitProbe(target, mode, execPath).initMs);
    options.onRound?.(round + 1, options.runs);
  }
  return samples;
}
