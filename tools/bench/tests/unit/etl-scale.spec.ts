import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildThreadsReport } from '../../src/etl';
import {
  buildEtlDayReport,
  type EtlDayBaselineResult,
  type EtlDayFlowResult,
} from '../../src/etl-day';
import type { ThreadsResult } from '../../src/etl-measure';
import { buildReport, renderMarkdown, type BenchInputs } from '../../src/report';

const benchInputs = (): BenchInputs =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/bench-inputs.json'), 'utf8'));

const thread = (threads: number, rowsPerSecond: number): ThreadsResult => ({
  threads,
  objects: 4,
  rows: 4_000_000,
  seconds: 4_000_000 / rowsPerSecond,
  rowsPerSecond,
  peakRssBytes: threads * 100 * 2 ** 20,
});

const flow = (): EtlDayFlowResult => ({
  objects: 10_000,
  rows: 32_399,
  batches: 100,
  uploadSeconds: 30,
  flowSeconds: 250,
  peakRssBytes: 400 * 2 ** 20,
  lambdaPeakRssBytes: 150 * 2 ** 20,
  largestStatePayloadBytes: 1_234,
  reconciled: { objects: 10_000, input: 32_399 },
});
const baseline = (): EtlDayBaselineResult => ({
  objects: 10_000,
  rows: 32_399,
  seconds: 12.5,
  peakRssBytes: 120 * 2 ** 20,
});

describe('buildThreadsReport', () => {
  it('divides the mean rows/s of two threads by that of one', () => {
    // Act
    const report = buildThreadsReport(1_000_000, [
      thread(1, 400_000),
      thread(2, 700_000),
      thread(2, 740_000),
      thread(1, 420_000),
    ]);

    // Assess
    expect(report.speedup).toBeCloseTo(720_000 / 410_000, 10);
    expect(report.one.map((s) => s.rowsPerSecond)).toEqual([400_000, 420_000]);
    expect(report.two.map((s) => s.rowsPerSecond)).toEqual([700_000, 740_000]);
    expect(report).toMatchObject({ rowsPerObject: 1_000_000, objects: 4 });
  });

  it('refuses samples without two threads, or of different inputs', () => {
    expect(() => buildThreadsReport(1_000_000, [thread(1, 400_000)])).toThrow(
      'The worker-threads bench needs samples with 1 and with 2 threads (got 1).',
    );
    const other = { ...thread(2, 700_000), rows: 3_000_000 };
    expect(() => buildThreadsReport(1_000_000, [thread(1, 400_000), other])).toThrow(
      'The worker-threads samples processed different inputs (4000000 / 3000000 rows, 4 objects): rerun the bench.',
    );
  });
});

describe('buildEtlDayReport', () => {
  it('divides the flow wall time by the baseline and counts objects per second', () => {
    const report = buildEtlDayReport(flow(), baseline());
    expect(report.flowRatio).toBe(20);
    expect(report.objectsPerSecond).toBe(40);
  });

  it('refuses a baseline of another day', () => {
    expect(() => buildEtlDayReport(flow(), { ...baseline(), rows: 32_400 })).toThrow(
      'The ETL-day flow and its baseline processed different days (flow 10000 objects / 32399 rows, baseline 10000 / 32400): rerun the bench.',
    );
  });
});

describe('worker-threads and ETL-day sections of the Markdown report', () => {
  it('renders both tables with their ratios when measured', () => {
    // Prepare
    const inputs: BenchInputs = {
      ...benchInputs(),
      etlThreads: buildThreadsReport(1_000_000, [thread(1, 400_000), thread(2, 720_000)]),
      etlDay: buildEtlDayReport(flow(), baseline()),
    };

    // Act
    const markdown = renderMarkdown(buildReport(inputs));

    // Assess
    expect(markdown).toContain('## ETL: `transformObject` on worker threads');
    expect(markdown).toMatch(/\| 1 \(baseline\) \| +400,000\/s \| +10\.00 s \| +100 MiB \|/);
    expect(markdown).toMatch(/\| 2 +\| +720,000\/s \| +5\.56 s \| +200 MiB \|/);
    expect(markdown).toContain('Two threads / one: **×1.80** rows/s.');
    expect(markdown).toContain('## ETL: a day of 10,000 small objects through the sandbox');
    expect(markdown).toMatch(
      /\| ETL flow \(sandbox[^|]*\| +10,000 \| +32,399 \| +100 \| +250\.0 s \| +40\/s \| +400 MiB \| +150 MiB \|/,
    );
    expect(markdown).toMatch(
      /\| baseline: [^|]*\| +10,000 \| +32,399 \| +\| +12\.5 s \| +800\/s \| +120 MiB \| +\|/,
    );
    expect(markdown).toContain('Flow / baseline: **×20.00**');
    expect(markdown).toContain('Reconciled exactly: objects 10,000, input 32,399');
    expect(markdown).toContain('Largest state input or output: 1,234 B');
  });

  it('are left out when not measured', () => {
    const markdown = renderMarkdown(buildReport(benchInputs()));
    expect(markdown).not.toContain('worker threads');
    expect(markdown).not.toContain('through the sandbox');
  });
});
