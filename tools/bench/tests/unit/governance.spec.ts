import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildGovernanceReport, type GovernanceSamples } from '../../src/governance';
import { buildReport, renderMarkdown, type BenchInputs } from '../../src/report';

const read = <T>(name: string): T =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures', name), 'utf8')) as T;

describe('buildGovernanceReport', () => {
  it('divides each scan by its parse-only baseline and the peak RSS by the baseline’s', () => {
    // Act
    const report = buildGovernanceReport(read<GovernanceSamples>('governance-samples.json'));

    // Assess: medians 1250 / 1000 and 450 / 100; peaks 320 MB / 160 MB.
    expect(report.repo.ratio).toBeCloseTo(1.25);
    expect(report.repo.resources).toBe(203);
    expect(report.plan.ratio).toBeCloseTo(4.5);
    expect(report.plan.peakRss).toEqual({ scan: 320_000_000, parse: 160_000_000, ratio: 2 });
  });

  it('appears in the Markdown report with the 2 s goal', () => {
    // Prepare
    const inputs: BenchInputs = {
      ...read<BenchInputs>('bench-inputs.json'),
      governance: buildGovernanceReport(read<GovernanceSamples>('governance-samples.json')),
    };

    // Act
    const markdown = renderMarkdown(buildReport(inputs));

    // Assess
    expect(markdown).toContain('## Governance (`tools/governance`)');
    expect(markdown).toMatch(/10k-resource plan scan \/ JSON\.parse \(median time\)\s*\|\s*×4\.50/);
    expect(markdown).toContain('generated plan, 10,000 resources (20 MiB JSON)');
    expect(markdown).toContain('Goal: the 10,000-resource plan in under 2 s');
  });
});
