import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildEtlReport, type EtlSamples } from '../../src/etl';
import { buildReport, renderMarkdown, type BenchInputs } from '../../src/report';

const read = <T>(name: string): T =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures', name), 'utf8')) as T;

describe('buildEtlReport', () => {
  it('sorts the sizes and divides Transform by the bare pipeline of the same size', () => {
    // Act
    const report = buildEtlReport(read<EtlSamples>('etl-samples.json'));

    // Assess: 40k / 400k rows/s at 100 k; 150 MB / 95 MB.
    expect(report.sizes.map((s) => s.rows)).toEqual([100_000, 1_000_000, 5_000_000]);
    expect(report.sizes[0].throughputRatio).toBeCloseTo(0.1);
    expect(report.sizes[0].rssRatio).toBeCloseTo(150 / 95);
    expect(report.sizes[2].inputBytes).toBe(105_810_362);
  });

  it('gives the peak-RSS growth of each larger size against the smallest, with the ±25 % goal', () => {
    // Act
    const report = buildEtlReport(read<EtlSamples>('etl-samples.json'));

    // Assess: 180 / 150 = 1.2 is within the goal; 240 / 150 = 1.6 is not.
    expect(report.rssGrowth).toEqual([
      { rows: 1_000_000, inputGrowth: 10, transform: 1.2, bare: 100 / 95, withinGoal: true },
      { rows: 5_000_000, inputGrowth: 50, transform: 1.6, bare: 100 / 95, withinGoal: false },
    ]);
  });

  it('refuses a sample whose Transform and bare runs read different inputs', () => {
    // Prepare
    const samples = read<EtlSamples>('etl-samples.json');
    samples.sizes[0].bare.inputBytes += 1;

    // Act
    const build = () => buildEtlReport(samples);

    // Assess
    expect(build).toThrow(/compares different inputs.*rerun the bench/);
  });

  it('refuses an empty sample set with the option to look at', () => {
    expect(() => buildEtlReport({ sizes: [] })).toThrow(/--etl-max-rows/);
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
      /\| +5,000,000 \| +101 MiB \| +50,000\/s \| +229 MiB \| +500,000\/s \| +95 MiB \| +×0\.10 \| +×2\.40 \|/,
    );
    expect(markdown).toMatch(/5,000,000 \/ 100,000 rows \| +×50\.00 \| +×1\.60 \(\+60 %\)/);
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
