import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildMediaReport, type MediaSamples } from '../../src/media';
import { buildReport, renderMarkdown, type BenchInputs } from '../../src/report';

const read = <T>(name: string): T =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures', name), 'utf8')) as T;
const samples = () => read<MediaSamples>('media-samples.json');

describe('buildMediaReport', () => {
  it('divides the step by raw sharp, and the sandbox by the step, using medians', () => {
    // Act
    const report = buildMediaReport(samples());

    // Assess: medians 620 / 980, 1860 / 620, RSS 300 MB / 250 MB.
    expect(report.step.median).toBe(620);
    expect(report.raw.median).toBe(980);
    expect(report.stepRatio).toBeCloseTo(620 / 980);
    expect(report.sandboxRatio).toBeCloseTo(3);
    expect(report.peakRss.ratio).toBeCloseTo(1.2);
  });

  it('refuses a baseline that produced a different number of images', () => {
    // Prepare
    const broken = samples();
    broken.outputs.raw = 3;

    // Act + Assess
    expect(() => buildMediaReport(broken)).toThrow(/6 images and the raw sharp baseline 3/);
  });

  it('appears in the Markdown report with both ratios and the peak RSS', () => {
    // Prepare
    const inputs: BenchInputs = {
      ...read<BenchInputs>('bench-inputs.json'),
      media: buildMediaReport(samples()),
    };

    // Act
    const markdown = renderMarkdown(buildReport(inputs));

    // Assess
    expect(markdown).toContain('## Media: thumbnails of a 12 MP JPEG');
    expect(markdown).toMatch(/Thumbnails step \/ raw sharp \(median time\)\s*\|\s*×0\.63/);
    expect(markdown).toMatch(/Sandbox end to end \/ Thumbnails step alone\s*\|\s*×3\.00/);
  });

  it('is left out of the Markdown report when not measured', () => {
    // Act
    const markdown = renderMarkdown(buildReport(read<BenchInputs>('bench-inputs.json')));

    // Assess
    expect(markdown).not.toContain('## Media');
  });
});
