import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildReport, renderMarkdown, type BenchInputs } from '../../src/report';

const inputs = (): BenchInputs =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/bench-inputs.json'), 'utf8'));

describe('buildReport', () => {
  it('divides each Lambda’s zip size and median init time by the reference’s', () => {
    const report = buildReport(inputs());

    // zip 1,000,000 / 200,000; init medians 105 / 21 and 120 / 30.
    expect(report.ratios).toEqual([
      { name: 'media-validate', zip: 5, init: { plain: 5, 'source-maps': 4 } },
    ]);
  });

  it('summarises every bundle and mode with median, p90 and min', () => {
    const report = buildReport(inputs());

    const reference = report.bundles.find((b) => b.name === 'reference');
    expect(reference?.init.plain).toMatchObject({ median: 21, min: 19, runs: 5 });
    // rank 0.9 × 4 = 3.6 → 22 + 0.6 × (40 − 22)
    expect(reference?.init.plain.p90).toBeCloseTo(32.8);
  });

  it('divides the cached package run by both Nx baselines', () => {
    const { nx } = buildReport(inputs());

    expect(nx.ratio).toBe(5); // 2000 / 400
    expect(nx.graphRatio).toBeCloseTo(2000 / 1800);
    expect(nx.discarded).toBe(1);
  });

  it('refuses inputs without the reference', () => {
    const broken = inputs();
    delete broken.init.reference;
    expect(() => buildReport(broken)).toThrow(/reference/);
  });

  it('refuses a bundle without a zip size', () => {
    const broken = inputs();
    delete broken.zipBytes['media-validate'];
    expect(() => buildReport(broken)).toThrow(/No zip size for 'media-validate'/);
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(buildReport(inputs()));

  it('has one section per measurement, machine first', () => {
    const headings = markdown.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## Machine',
      '## Zip size',
      '## Module init: node (as deployed)',
      '## Module init: node, NODE_OPTIONS=--enable-source-maps, map linked beside the bundle (as deployed before issue 17)',
      '## Ratios to the reference (reference: Powertools Logger + Tracer + Metrics only)',
      '## Nx: `npx nx run-many -t package`',
    ]);
  });

  it('puts the ratios in a table row per Lambda', () => {
    expect(markdown).toMatch(/\| media-validate \| +×5\.00 \| +×5\.00 \| +×4\.00 \|/);
  });

  it('states the machine and the Nx ratio with the discarded runs', () => {
    expect(markdown).toContain('| v22.23.3 (linux x64) | Test CPU |');
    expect(markdown).toContain('Cached package / Nx start-up: **×5.00**');
    expect(markdown).toContain('1 run(s) missed the cache');
  });
});
