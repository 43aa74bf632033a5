/** Thrown when a statistic or ratio is asked of data that cannot give a meaningful one. */
export class BenchStatsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchStatsError';
  }
}

/** Median, p90 and min of a set of samples, plus how many there were. */
export interface Summary {
  median: number;
  p90: number;
  min: number;
  runs: number;
}

function checkSamples(samples: readonly number[]): number[] {
  if (samples.length === 0)
    throw new BenchStatsError('No samples: measure at least once before summarising.');
  const bad = samples.find((s) => !Number.isFinite(s));
  if (bad !== undefined)
    throw new BenchStatsError(
      `Sample ${bad} is not a finite number: the measurement that produced it failed.`,
    );
  return [...samples].sort((a, b) => a - b);
}

/**
 * The `p`-th percentile (0–100) with linear interpolation between closest ranks (Hyndman & Fan
 * type 7, the default of numpy and R), so p50 of an even-sized set is the mean of the two middle
 * values and the result never depends on the order of the samples.
 *
 * @example
 * percentile([1, 2, 3, 4], 50); // 2.5
 */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new BenchStatsError(`Percentile ${p} is outside 0–100.`);
  const sorted = checkSamples(samples);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

/** The median (p50): the statistic the ratios use, because one slow outlier cannot move it. */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Median, p90 and min of `samples` (min is the least noisy estimate of the true cost). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = checkSamples(samples);
  return {
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    min: sorted[0],
    runs: sorted.length,
  };
}

/**
 * `value / baseline`: how many baselines a measurement costs. Both must come from the same run,
 * so the machine's speed cancels out (see the "Performance goals" rule in STYLE.md).
 *
 * @example
 * ratio(300, 120); // 2.5
 */
export function ratio(value: number, baseline: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new BenchStatsError(`Cannot take a ratio of ${value}: expected a measurement >= 0.`);
  if (!Number.isFinite(baseline) || baseline <= 0) {
    throw new BenchStatsError(
      `Cannot divide by baseline ${baseline}: the baseline measurement must be > 0.`,
    );
  }
  return value / baseline;
}
