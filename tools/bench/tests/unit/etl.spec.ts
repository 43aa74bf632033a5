import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildEtlReport, type EtlSamples } from '../../src/etl';
import { buildReport, renderMarkdown, type BenchInputs } from '../../src/report';

const read = <T>(name: string): T =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures', name), 'utf8')) as T;

describe('buildEtlReport', () => {
  it('sorts the sizes and takes the median of the per-round ratios, not the ratio of medians', () => {
    // Act
    const report = buildEtlReport(read<EtlSamples>('etl-samples.json'));

    // Assess: 100 k rounds are 40k/400k, 30k/200k, 60k/500k rows/s → ×0.10, ×0.15, ×0.12; the
    // medians' ratio would be ×0.10. Warm passes: ×0.20, ×0.30, ×0.10.
    expect(report.sizes.map((s) => s.rows)).toEqual([100_000, 1_000_000, 5_000_000]);
    const [small, , large] = report.sizes;
    expect(small).toMatchObject({ rounds: 3, throughputWithinGoal: false });
    expect(small.throughputRatio).toBeCloseTo(0.12);
    expect(small.throughputRatios.map((r) => Number(r.toFixed(2)))).toEqual([0.1, 0.15, 0.12]);
    expect(small.warmThroughputRatio).toBeCloseTo(0.2);
    expect(small.transform).toEqual({
      rowsPerSecond: 40_000,
      peakRssBytes: 150_000_000,
      seconds: 2.5,
      warmRowsPerSecond: 80_000,
    });
    expect(small.rssRatio).toBeCloseTo(150 / 95);
    // 5 M: ×0.10, ×0.52, ×0.60 → ×0.52 reaches the ×0.5 goal; no warm pass at that size.
    expect(large.throughputRatio).toBeCloseTo(0.52);
    expect(large.throughputWithinGoal).toBe(true);
    expect(large.warmThroughputRatio).toBeUndefined();
    expect(large.inputBytes).toBe(105_810_362);
  });

  it('gives the peak-RSS growth of each larger size against the smallest, with the ±25 % goal', () => {
    // Act
    const report = buildEtlReport(read<EtlSamples>('etl-samples.json'));

    // Assess: median peak RSS 180 / 150 = 1.2 is within the goal; 240 / 150 = 1.6 is not.
    expect(report.rssGrowth).toEqual([
      { rows: 1_000_000, inputGrowth: 10, transform: 1.2, bare: 100 / 95, withinGoal: true },
      { rows: 5_000_000, inputGrowth: 50, transform: 1.6, bare: 100 / 95, withinGoal: false },
    ]);
  });

  it('refuses a sample whose Transform and bare runs read different inputs', () => {
    // Prepare
    const samples = read<EtlSamples>('etl-samples.json');
    samples.sizes[0].rounds[2].bare.inputBytes += 1;

    // Act
    const build = () => buildEtlReport(samples);

    // Assess
    expect(build).toThrow(/compares different inputs.*rerun the bench/);
  });

  it('refuses an empty sample set with the option to look at', () => {
    expect(() => buildEtlReport({ sizes: [] })).toThrow(/--etl-max-rows/);
  });

  it('refuses a size without rounds', () => {
    // Prepare
    const samples = read<EtlSamples>('etl-samples.json');
    samples.sizes[1].rounds = [];

    // Act
    const build = () => buildEtlReport(samples);

    // Assess
    expect(build).toThrow('The 100000-row ETL sample has no round: see --etl-runs.');
  });
});

describe('ETL section of the Markdown report', () => {
  it('renders the table, the growth ratios and the goal when measured', () => {
    // Prepare
    const inputs: BenchInputs = {
      ...read<BenchInputs>('bench-inputs.json'),
      etl: buildEtlReport(read<EtlSamples>('etl-samples.json')),
    };

    // Act
    const markdown = renderMarkdown(buildReport(inputs));

    // Assess
    expect(markdown).toContain('## ETL: `transformObject` (`libs/etl`) vs a bare pipeline');
    expect(markdown).toMatch(
      /\| +5,000,000 \| +101 MiB \| +3 \| +260,000\/s \| +229 MiB \| +500,000\/s \| +95 MiB \| +×0\.52 \| +×0\.10–×0\.60 \| +– \| +×2\.40 \|/,
    );
    expect(markdown).toMatch(
      /\| +100,000 \| +2 MiB \| +3 \| +40,000\/s \| +143 MiB \| +400,000\/s \| +91 MiB \| +\*\*×0\.12\*\* \| +×0\.10–×0\.15 \| +×0\.20 \(×0\.10–×0\.30\) \| +×1\.58 \|/,
    );
    expect(markdown).toMatch(/5,000,000 \/ 100,000 rows \| +×50\.00 \| +×1\.60 \(\+60 %\)/);
    expect(markdown).toContain(
      "Goal: Transform at least ×0.50 the bare pipeline's rows/s at every size, median of the rounds (this run: **not met** at 100,000, 1,000,000 rows;",
    );
    expect(markdown).toContain(
      "Goal: Transform's peak RSS within ±25 % while the object grows from 100,000 rows to 5,000,000 (this run: +60 %, **not met**).",
    );
  });

  it('is left out when the ETL was not measured', () => {
    // Act
    const markdown = renderMarkdown(buildReport(read<BenchInputs>('bench-inputs.json')));

    // Assess
    expect(markdown).not.toContain('## ETL');
  });
});
