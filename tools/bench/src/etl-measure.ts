import { execFile } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { heapNodeOptions, loadManifest } from '@slipway/manifest';
import { generateNdjson } from '@slipway/samples';

const run = promisify(execFile);

/** One measurement, taken in a fresh process so that `peakRssBytes` belongs to this size alone. */
export interface BenchResult {
  rows: number;
  /** Wall time of the measured work, excluding process start and input generation. */
  seconds: number;
  rowsPerSecond: number;
  /** Peak resident set size of the measuring process (`getrusage` maxrss). */
  peakRssBytes: number;
  /** Size of the gzip NDJSON input. */
  inputBytes: number;
  /** The `NODE_OPTIONS` the measuring process ran with (Transform: its manifest's `heap`). */
  nodeOptions?: string;
  /**
   * With `warm`: rows/s of a second pass over the same file in the same process, once V8 has
   * optimized the code (what the later objects of a Distributed Map batch see).
   */
  warmRowsPerSecond?: number;
}

/** Options shared by {@link measureTransform} and {@link bareBaseline}. */
export interface BenchOptions {
  seed?: number;
  /** Where the generated inputs are cached (default: the OS temp folder). */
  workDir?: string;
  /** Also time a second, warm pass in the same process ({@link BenchResult.warmRowsPerSecond}). */
  warm?: boolean;
}

/** The partition day of the bench input. */
export const BENCH_DATE = '2026-03-01';

/**
 * Runs {@link transformObject} on `rows` generated learning events (gzip NDJSON read from a
 * file, staging and quarantine written to sinks that discard) in a child process, and returns
 * its throughput and peak RSS. Compare with {@link bareBaseline} from the same run.
 *
 * @example
 * const [etl, bare] = [await measureTransform(1_000_000), await bareBaseline(1_000_000)];
 * console.log(etl.rowsPerSecond / bare.rowsPerSecond);
 */
export function measureTransform(rows: number, options: BenchOptions = {}): Promise<BenchResult> {
  return measure('transform', rows, options);
}

/**
 * The floor under {@link measureTransform}: the same input through gunzip, the same line
 * splitter and `JSON.parse`, with no validation, de-duplication or writing.
 */
export function bareBaseline(rows: number, options: BenchOptions = {}): Promise<BenchResult> {
  return measure('baseline', rows, options);
}

async function measure(
  mode: 'transform' | 'baseline',
  rows: number,
  options: BenchOptions,
): Promise<BenchResult> {
  const input = await benchInput(rows, options);
  const root = workspaceRoot(__dirname);
  // Transform runs under the heap limits its Lambda gets (apps/etl-transform's `heap`, as
  // NODE_OPTIONS), so its peak RSS is the function's; the bare pipeline under V8's defaults.
  const nodeOptions = mode === 'transform' ? transformNodeOptions(root) : undefined;
  const { NODE_OPTIONS: _shell, ...env } = process.env;
  const { stdout } = await run(
    join(root, 'node_modules/.bin/tsx'),
    [
      join(__dirname, 'etl-worker.ts'),
      mode,
      input,
      String(rows),
      BENCH_DATE,
      options.warm ? '2' : '1',
    ],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
      env: nodeOptions ? { ...env, NODE_OPTIONS: nodeOptions } : env,
    },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Omit<
    BenchResult,
    'inputBytes'
  >;
  return {
    ...result,
    inputBytes: (await stat(input)).size,
    ...(nodeOptions ? { nodeOptions } : {}),
  };
}

/** One worker-threads measurement: `objects` copies of one input shared among `threads` threads. */
export interface ThreadsResult {
  threads: number;
  objects: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssBytes: number;
}

/**
 * Runs `objects` copies of the `rows`-row bench input through `transformObject` on `threads`
 * worker threads (copy i on thread i mod threads) in a child process, under the Transform
 * Lambda's heap limits (each thread gets them: V8 applies `--max-old-space-size` per isolate).
 * `threads: 1` is the baseline of `threads: 2`.
 */
export async function measureThreads(
  rows: number,
  threads: number,
  objects: number,
  options: BenchOptions = {},
): Promise<ThreadsResult> {
  const input = await benchInput(rows, options);
  const root = workspaceRoot(__dirname);
  const nodeOptions = transformNodeOptions(root);
  const { NODE_OPTIONS: _shell, ...env } = process.env;
  const { stdout } = await run(
    join(root, 'node_modules/.bin/tsx'),
    [
      join(__dirname, 'etl-threads-worker.ts'),
      input,
      String(rows),
      String(threads),
      String(objects),
      BENCH_DATE,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
      env: nodeOptions ? { ...env, NODE_OPTIONS: nodeOptions } : env,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as ThreadsResult;
}

/** The NODE_OPTIONS of the Transform Lambda's manifest `heap`, if it has one. */
export function transformNodeOptions(root: string): string | undefined {
  const manifest = loadManifest(join(root, 'apps/etl-transform/lambda.manifest.json'));
  return manifest.heap ? heapNodeOptions(manifest.heap) : undefined;
}

/** Writes (once) the gzip NDJSON input of `rows` rows, streaming. */
async function benchInput(rows: number, options: BenchOptions): Promise<string> {
  const seed = options.seed ?? 42;
  const dir = options.workDir ?? join(tmpdir(), 'slipway-etl-bench');
  const path = join(dir, `events-${rows}-${seed}.ndjson.gz`);
  if (existsSync(path)) return path;
  await mkdir(dir, { recursive: true });
  const partial = `${path}.partial`;
  await pipeline(
    generateNdjson({ date: BENCH_DATE, rows, seed, gzip: true, gzipLevel: 1 }),
    createWriteStream(partial),
  );
  const { rename } = await import('node:fs/promises');
  await rename(partial, path);
  return path;
}

function workspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`No nx.json above ${from}: run inside the workspace.`);
  }
}
