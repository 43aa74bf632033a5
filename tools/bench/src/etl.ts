import {
  bareBaseline,
  measureThreads,
  measureTransform,
  type BenchResult,
  type ThreadsResult,
} from './etl-measure';
import { ratio } from './stats';

/** Object sizes (rows) the ETL section measures; `--etl-max-rows` drops the larger ones. */
export const ETL_SIZES = [100_000, 1_000_000, 5_000_000] as const;

/** The goal: peak RSS within ±25 % while the object grows 50× (100 k → 5 M rows). */
export const ETL_RSS_GOAL = 0.25;

/** One object size: Transform and the bare pipeline on the same generated gzip NDJSON file. */
export interface EtlSizeSample {
  rows: number;
  transform: BenchResult;
  bare: BenchResult;
}

/** Raw samples of {@link measureEtl}, smallest size first. */
export interface EtlSamples {
  sizes: EtlSizeSample[];
}

/** One row of the ETL table. */
export interface EtlSizeRow {
  rows: number;
  inputBytes: number;
  transform: { rowsPerSecond: number; peakRssBytes: number; seconds: number };
  bare: { rowsPerSecond: number; peakRssBytes: number; seconds: number };
  /** Transform rows/s ÷ bare rows/s (below ×1: what validation, de-duplication and Parquet cost). */
  throughputRatio: number;
  /** Transform peak RSS ÷ bare peak RSS. */
  rssRatio: number;
}

/** Peak RSS of a larger size divided by the smallest size's, for Transform and the bare pipeline. */
export interface EtlRssGrowth {
  rows: number;
  /** How many times the smallest size's rows. */
  inputGrowth: number;
  transform: number;
  bare: number;
  /** Whether Transform's ratio is within 1 ± {@link ETL_RSS_GOAL}. */
  withinGoal: boolean;
}

/** The ETL section of the report. */
export interface EtlReport {
  sizes: EtlSizeRow[];
  /** Each larger size against the smallest (empty with one size). */
  rssGrowth: EtlRssGrowth[];
  goal: number;
}

const pick = (r: BenchResult) => ({
  rowsPerSecond: r.rowsPerSecond,
  peakRssBytes: r.peakRssBytes,
  seconds: r.seconds,
});

/**
 * Turns the ETL samples into the report section: per size, Transform against the bare pipeline
 * (same file, same run), and the peak-RSS growth of every size against the smallest. Pure.
 *
 * @throws {Error} when there is no sample, or when Transform and the bare pipeline did not read
 *   the same input (a ratio between different files would mean nothing).
 */
export function buildEtlReport(samples: EtlSamples): EtlReport {
  if (samples.sizes.length === 0)
    throw new Error('No ETL samples: measure at least one size (see --etl-max-rows).');
  const sizes = [...samples.sizes].sort((a, b) => a.rows - b.rows);
  for (const s of sizes) {
    if (
      s.transform.rows !== s.rows ||
      s.bare.rows !== s.rows ||
      s.transform.inputBytes !== s.bare.inputBytes
    )
      throw new Error(
        `The ${s.rows}-row ETL sample compares different inputs (Transform ${s.transform.rows} rows / ${s.transform.inputBytes} B, bare ${s.bare.rows} rows / ${s.bare.inputBytes} B): rerun the bench so both read the same generated file.`,
      );
  }
  const smallest = sizes[0];
  return {
    sizes: sizes.map((s) => ({
      rows: s.rows,
      inputBytes: s.transform.inputBytes,
      transform: pick(s.transform),
      bare: pick(s.bare),
      throughputRatio: ratio(s.transform.rowsPerSecond, s.bare.rowsPerSecond),
      rssRatio: ratio(s.transform.peakRssBytes, s.bare.peakRssBytes),
    })),
    rssGrowth: sizes.slice(1).map((s) => {
      const transform = ratio(s.transform.peakRssBytes, smallest.transform.peakRssBytes);
      return {
        rows: s.rows,
        inputGrowth: s.rows / smallest.rows,
        transform,
        bare: ratio(s.bare.peakRssBytes, smallest.bare.peakRssBytes),
        withinGoal: Math.abs(transform - 1) <= ETL_RSS_GOAL,
      };
    }),
    goal: ETL_RSS_GOAL,
  };
}

/**
 * Measures every size of {@link ETL_SIZES} up to `maxRows`: the bare pipeline and Transform, each
 * in its own child process (so each peak RSS is its own), alternating which goes first. The
 * generated inputs are cached in the OS temp folder (`slipway-etl-bench/`, ≈ 130 MB in all).
 */
export async function measureEtl(
  maxRows: number,
  onSize: (sample: EtlSizeSample) => void = () => undefined,
): Promise<EtlSamples> {
  const sizes: EtlSizeSample[] = [];
  for (const [i, rows] of ETL_SIZES.filter((r) => r <= maxRows).entries()) {
    let transform: BenchResult;
    let bare: BenchResult;
    if (i % 2 === 0) {
      bare = await bareBaseline(rows);
      transform = await measureTransform(rows);
    } else {
      transform = await measureTransform(rows);
      bare = await bareBaseline(rows);
    }
    const sample = { rows, transform, bare };
    sizes.push(sample);
    onSize(sample);
  }
  return { sizes };
}

/** Objects of the worker-threads measurement: two per thread at two threads. */
export const THREADS_OBJECTS = 4;

/** Worker threads: the same objects on one thread and on two (the baseline is one). */
export interface EtlThreadsReport {
  /** Rows of each object (the bench input it copies). */
  rowsPerObject: number;
  objects: number;
  /** One sample per thread count and round, rounds alternating which goes first. */
  one: ThreadsResult[];
  two: ThreadsResult[];
  /** Mean rows/s of two threads ÷ mean rows/s of one. */
  speedup: number;
}

/**
 * The worker-threads section from its samples. Pure.
 *
 * @throws {Error} when a sample is missing or the samples did not process the same rows.
 */
export function buildThreadsReport(
  rowsPerObject: number,
  samples: readonly ThreadsResult[],
): EtlThreadsReport {
  const one = samples.filter((s) => s.threads === 1);
  const two = samples.filter((s) => s.threads === 2);
  if (one.length === 0 || two.length === 0)
    throw new Error(
      `The worker-threads bench needs samples with 1 and with 2 threads (got ${samples.map((s) => s.threads).join(', ') || 'none'}).`,
    );
  const rows = new Set(samples.map((s) => s.rows));
  const objects = new Set(samples.map((s) => s.objects));
  if (rows.size !== 1 || objects.size !== 1)
    throw new Error(
      `The worker-threads samples processed different inputs (${[...rows].join(' / ')} rows, ${[...objects].join(' / ')} objects): rerun the bench.`,
    );
  const mean = (xs: readonly ThreadsResult[]) =>
    xs.reduce((sum, x) => sum + x.rowsPerSecond, 0) / xs.length;
  return {
    rowsPerObject,
    objects: [...objects][0],
    one,
    two,
    speedup: ratio(mean(two), mean(one)),
  };
}

/**
 * {@link THREADS_OBJECTS} copies of the `rows`-row input on one and on two worker threads, two
 * rounds (1 then 2, 2 then 1), each a fresh process.
 */
export async function measureEtlThreads(rows: number): Promise<EtlThreadsReport> {
  const samples: ThreadsResult[] = [];
  for (const order of [
    [1, 2],
    [2, 1],
  ])
    for (const threads of order) samples.push(await measureThreads(rows, threads, THREADS_OBJECTS));
  return buildThreadsReport(rows, samples);
}
