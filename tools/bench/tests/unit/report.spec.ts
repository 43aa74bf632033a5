import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildReport, renderMarkdown, type BenchInputs } from '../../src/report';

const inputs = (): BenchInputs =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/bench-inputs.json'), 'utf8'));

describe('buildReport', () => {
  it('divides each Lambda’s zip size and median init time by the reference’s', () => {
    const report = buildReport(inputs());

    // zip 1,000,000 / 200,000; init medians 105 / 21 and 120 / 30; p90 164 / 32.8 and
    // 121.6 / 31.6 (rank 0.9 × 4 = 3.6 between the 4th and 5th sample).
    expect(report.ratios).toEqual([
      {
        name: 'media-validate',
        zip: 5,
        init: { plain: 5, 'source-maps': 4 },
        initP90: { plain: 5, 'source-maps': 121.6 / 31.6 },
        goal: { initRatio: 2, initMet: false, zipMet: true },
      },
    ]);
  });

  it('judges the goals on the deployed mode: median and p90 within the ratio, zip within 300 KiB', () => {
    const fast = inputs();
    fast.init['etl-reconcile'] = {
      plain: [30, 31, 29, 32, 40],
      'source-maps': [90, 90, 90, 90, 90],
    };
    fast.zipBytes['etl-reconcile'] = 300 * 1024 + 1;

    const row = buildReport(fast).ratios.find((r) => r.name === 'etl-reconcile');

    // median 31 / 21 = ×1.48, p90 36.8 / 32.8 = ×1.12: init met; one byte over 300 KiB.
    expect(row?.goal).toEqual({ initRatio: 1.5, zipBytes: 307200, initMet: true, zipMet: false });
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
      '## Bundle contents: the five largest parts of each handler.js',
      '## Nx: `npx nx run-many -t package`',
    ]);
  });

  it('puts the median and p90 ratios and the goal in a table row per Lambda', () => {
    expect(markdown).toMatch(
      /\| media-validate \| +×5\.00 \| +×5\.00 \| +×5\.00 \| +×4\.00 \| +×3\.85 \| ≤ ×2: init ≤ ×2 not met +\|/,
    );
  });

  it('lists the five largest contributors of each bundle with its share', () => {
    expect(markdown).toContain(
      '| media-validate | zod 400,000 B (390.63 KiB) (40 %) | @smithy/core 200,000 B (195.31 KiB) (20 %) | libs/media 100,000 B (97.66 KiB) (10 %) |',
    );
  });

  it('states the machine and the Nx ratio with the discarded runs', () => {
    expect(markdown).toContain('| v22.23.3 (linux x64) | Test CPU |');
    expect(markdown).toContain('Cached package / Nx start-up: **×5.00**');
    expect(markdown).toContain('1 run(s) missed the cache');
  });
});

describe('the SDK floor and the init profiles', () => {
  // The floor row: reference + S3 client, init median 50 ms (media-validate's is 105 ms).
  const withFloor = (): BenchInputs => {
    const base = inputs();
    return {
      ...base,
      floor: 'floor: reference + S3 client',
      init: {
        ...base.init,
        'floor: reference + S3 client': {
          plain: [50, 49, 51, 60, 48],
          'source-maps': [70, 71, 69, 72, 68],
        },
      },
      zipBytes: { ...base.zipBytes, 'floor: reference + S3 client': 400_000 },
      initProfiles: {
        'media-validate': {
          totalMs: 300,
          runs: 3,
          owners: [
            { name: 'node: loading and compiling handler.js', ms: 150, share: 0.5 },
            { name: '@smithy/core', ms: 60, share: 0.2 },
            { name: 'other', ms: 90, share: 0.3 },
          ],
        },
      },
    };
  };

  it('divides each Lambda’s init median by the floor’s, and not the floor by itself', () => {
    const report = buildReport(withFloor());
    expect(report.ratios.find((r) => r.name === 'media-validate')?.floorRatio).toBe(105 / 50);
    expect(
      report.ratios.find((r) => r.name === 'floor: reference + S3 client')?.floorRatio,
    ).toBeUndefined();
  });

  it('renders the floor column and the profile table', () => {
    const markdown = renderMarkdown(buildReport(withFloor()));
    expect(markdown).toMatch(
      /\| media-validate +\|[^\n]*\| +×2\.10 \| ≤ ×2: init ≤ ×2 not met +\|/,
    );
    expect(markdown).toContain('## Module init: where the time goes (CPU profile)');
    expect(markdown).toMatch(
      /\| media-validate \| +300\.0 ms \| node: loading and compiling handler\.js 150\.0 ms \(50 %\) \| @smithy\/core 60\.0 ms \(20 %\) \| other 90\.0 ms \(30 %\) \|/,
    );
  });

  it('refuses a floor without init samples', () => {
    expect(() => buildReport({ ...inputs(), floor: 'missing floor' })).toThrow(
      "No init samples for the SDK floor 'missing floor'.",
    );
  });
});
