import {
  bareBaseline,
  measureThreads,
  measureTransform,
  type BenchResult,
  type ThreadsResult,
} from './etl-measure';
import { median, ratio } from './stats';

/** Object sizes (rows) the ETL section measures; `--etl-max-rows` drops the larger ones. */
export const ETL_SIZES = [100_000, 1_000_000, 5_000_000] as const;

/** The goal: peak RSS within ±25 % while the object grows 50× (100 k → 5 M rows). */
export const ETL_RSS_GOAL = 0.25;

/** The goal: Transform at least half the bare pipeline's rows/s, at every size. */
export const ETL_THROUGHPUT_GOAL = 0.5;

/** Sizes below this also get a warm pass (the 5 M-row object spends its first seconds warming up anyway). */
export const ETL_WARM_MAX_ROWS = 1_000_000;

/** One round at one size: Transform and the bare pipeline on the same file, each a fresh process. */
export interface EtlRound {
  transform: BenchResult;
  bare: BenchResult;
}

/** One object size: `rounds` of Transform and the bare pipeline on the same generated gzip NDJSON file. */
export interface EtlSizeSample {
  rows: number;
  rounds: EtlRound[];
}

/** Raw samples of {@link measureEtl}, smallest size first. */
export interface EtlSamples {
  sizes: EtlSizeSample[];
}

/** Medians over a size's rounds, for one mode. */
export interface EtlModeSummary {
  rowsPerSecond: number;
  peakRssBytes: number;
  seconds: number;
  /** Median rows/s of the warm passes, when every round had one. */
  warmRowsPerSecond?: number;
}

/** One row of the ETL table. */
export interface EtlSizeRow {
  rows: number;
  inputBytes: number;
  /** How many paired rounds the medians are over. */
  rounds: number;
  transform: EtlModeSummary;
  bare: EtlModeSummary;
  /**
   * Median over the rounds of Transform rows/s ÷ bare rows/s of the same round (below ×1: what
   * validation, de-duplication and Parquet cost); each round's ratio in `throughputRatios`.
   */
  throughputRatio: number;
  throughputRatios: number[];
  /** Whether {@link throughputRatio} reaches {@link ETL_THROUGHPUT_GOAL}. */
  throughputWithinGoal: boolean;
  /** The same for the warm passes (second object in the same process), when measured. */
  warmThroughputRatio?: number;
  warmThroughputRatios?: number[];
  /** Median Transform peak RSS ÷ median bare peak RSS. */
  rssRatio: number;
}

/** Peak RSS of a larger size divided by the smallest size's, for Transform and the bare pipeline. */
export interface EtlRssGrowth {
  rows: number;
  /** How many times the smallest size's rows. */
  inputGrowth: number;
  /** Median peak RSS of the size ÷ median peak RSS of the smallest size. */
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
  throughputGoal: number;
}

function summarizeMode(results: readonly BenchResult[]): EtlModeSummary {
  const warm = results.map((r) => r.warmRowsPerSecond);
  return {
    rowsPerSecond: median(results.map((r) => r.rowsPerSecond)),
    peakRssBytes: median(results.map((r) => r.peakRssBytes)),
    seconds: median(results.map((r) => r.seconds)),
    ...(warm.every((w) => w !== undefined) ? { warmRowsPerSecond: median(warm as number[]) } : {}),
  };
}

/**
 * Turns the ETL samples into the report section: per size, the medians of Transform and of the
 * bare pipeline over the rounds, the median of the per-round throughput ratios (same file, same
 * run, adjacent processes), and the peak-RSS growth of every size against the smallest. Pure.
 *
 * @throws {Error} when there is no sample, a size has no round, or a round's Transform and bare
 *   pipeline did not read the same input (a ratio between different files would mean nothing).
 */
export function buildEtlReport(samples: EtlSamples): EtlReport {
  if (samples.sizes.length === 0)
    throw new Error('No ETL samples: measure at least one size (see --etl-max-rows).');
  const sizes = [...samples.sizes].sort((a, b) => a.rows - b.rows);
  for (const s of sizes) {
    if (s.rounds.length === 0)
      throw new Error(`The ${s.rows}-row ETL sample has no round: see --etl-runs.`);
    for (const { transform, bare } of s.rounds) {
      if (
        transform.rows !== s.rows ||
        bare.rows !== s.rows ||
        transform.inputBytes !== bare.inputBytes
      )
        throw new Error(
          `The ${s.rows}-row ETL sample compares different inputs (Transform ${transform.rows} rows / ${transform.inputBytes} B, bare ${bare.rows} rows / ${bare.inputBytes} B): rerun the bench so both read the same generated file.`,
        );
    }
  }
  const summaries = sizes.map((s) => ({
    transform: summarizeMode(s.rounds.map((r) => r.transform)),
    bare: summarizeMode(s.rounds.map((r) => r.bare)),
  }));
  const smallest = summaries[0];
  return {
    sizes: sizes.map((s, i) => {
      const { transform, bare } = summaries[i];
      const throughputRatios = s.rounds.map((r) =>
        ratio(r.transform.rowsPerSecond, r.bare.rowsPerSecond),
      );
      const throughputRatio = median(throughputRatios);
      const warm =
        transform.warmRowsPerSecond !== undefined && bare.warmRowsPerSecond !== undefined
          ? s.rounds.map((r) =>
              ratio(r.transform.warmRowsPerSecond as number, r.bare.warmRowsPerSecond as number),
            )
          : undefined;
      return {
        rows: s.rows,
        inputBytes: s.rounds[0].transform.inputBytes,
        rounds: s.rounds.length,
        transform,
        bare,
        throughputRatio,
        throughputRatios,
        throughputWithinGoal: throughputRatio >= ETL_THROUGHPUT_GOAL,
        ...(warm ? { warmThroughputRatio: median(warm), warmThroughputRatios: warm } : {}),
        rssRatio: ratio(transform.peakRssBytes, bare.peakRssBytes),
      };
    }),
    rssGrowth: sizes.slice(1).map((s, i) => {
      const { transform, bare } = summaries[i + 1];
      const growth = ratio(transform.peakRssBytes, smallest.transform.peakRssBytes);
      return {
        rows: s.rows,
        inputGrowth: s.rows / sizes[0].rows,
        transform: growth,
        bare: ratio(bare.peakRssBytes, smallest.bare.peakRssBytes),
        withinGoal: Math.abs(growth - 1) <= ETL_RSS_GOAL,
      };
    }),
    goal: ETL_RSS_GOAL,
    throughputGoal: ETL_THROUGHPUT_GOAL,
  };
}

/**
 * Measures every size of {@link ETL_SIZES} up to `maxRows`, `rounds` times: each round runs the
 * bare pipeline and Transform, each in its own child process (so each peak RSS is its own),
 * alternating which goes first. Sizes up to {@link ETL_WARM_MAX_ROWS} also time a warm second
 * pass in each process. The generated inputs are cached in the OS temp folder
 * (`slipway-etl-bench/`, ≈ 130 MB in all).
 */
export async function measureEtl(
  maxRows: number,
  rounds: number,
  onSize: (sample: EtlSizeSample) => void = () => undefined,
): Promise<EtlSamples> {
  const sizes: EtlSizeSample[] = [];
  let turn = 0;
  for (const rows of ETL_SIZES.filter((r) => r <= maxRows)) {
    const options = { warm: rows <= ETL_WARM_MAX_ROWS };
    const sample: EtlSizeSample = { rows, rounds: [] };
    for (let round = 0; round < rounds; round++, turn++) {
      let transform: BenchResult;
      let bare: BenchResult;
      if (turn % 2 === 0) {
        bare = await bareBaseline(rows, options);
        transform = await measureTransform(rows, options);
      } else {
        transform = await measureTransform(rows, options);
        bare = await bareBaseline(rows, options);
      }
      sample.rounds.push({ transform, bare });
    }
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
