import { describe, expect, it } from '@jest/globals';
import { BenchStatsError, median, percentile, ratio, summarize } from '../../src/stats';

describe('median', () => {
  it('takes the middle value of an odd-sized set, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('averages the two middle values of an even-sized set', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('percentile', () => {
  const samples = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110];

  it('returns min and max at p0 and p100', () => {
    expect(percentile(samples, 0)).toBe(10);
    expect(percentile(samples, 100)).toBe(110);
  });

  it('lands on a sample when the rank is whole (p90 of 11 values is the 10th)', () => {
    expect(percentile(samples, 90)).toBe(100);
  });

  it('interpolates linearly between closest ranks', () => {
    // rank = 0.9 × (4 − 1) = 2.7 → 30 + 0.7 × (40 − 30)
    expect(percentile([10, 20, 30, 40], 90)).toBeCloseTo(37);
  });

  it('returns the only sample of a one-element set', () => {
    expect(percentile([7], 90)).toBe(7);
  });

  it.each([-1, 101, Number.NaN])('rejects percentile %p', (p) => {
    expect(() => percentile(samples, p)).toThrow(BenchStatsError);
  });

  it('rejects an empty set and non-finite samples with a named error', () => {
    expect(() => percentile([], 50)).toThrow(/No samples/);
    expect(() => median([1, Number.NaN])).toThrow(/not a finite number/);
  });
});

describe('summarize', () => {
  it('reports median, p90, min and the sample count', () => {
    expect(summarize([5, 1, 4, 2, 3])).toEqual({ median: 3, p90: 4.6, min: 1, runs: 5 });
  });
});

describe('ratio', () => {
  it('divides the measurement by its baseline', () => {
    expect(ratio(300, 120)).toBe(2.5);
    expect(ratio(0, 4)).toBe(0);
  });

  it.each([0, -1, Number.POSITIVE_INFINITY, Number.NaN])('refuses baseline %p', (baseline) => {
    expect(() => ratio(1, baseline)).toThrow(/baseline/);
  });

  it('refuses a negative or non-finite measurement', () => {
    expect(() => ratio(-1, 1)).toThrow(BenchStatsError);
    expect(() => ratio(Number.NaN, 1)).toThrow(BenchStatsError);
  });
});
