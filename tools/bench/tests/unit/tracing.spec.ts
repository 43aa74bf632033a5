import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildReport, renderMarkdown, type BenchInputs } from '../../src/report';
import { compareTracing, TRACING_BACKENDS, variantName } from '../../src/tracing';

/** The shared fixture plus the two tracing builds of media-validate. */
const inputs = (): BenchInputs => {
  const base: BenchInputs = JSON.parse(
    readFileSync(join(__dirname, '../fixtures/bench-inputs.json'), 'utf8'),
  );
  const xray = variantName('media-validate', 'xray');
  const otel = variantName('media-validate', 'otel');
  base.zipBytes[xray] = 1_000_000;
  base.zipBytes[otel] = 1_250_000;
  base.init[xray] = { plain: [100, 98, 102], 'source-maps': [120, 119, 121] };
  base.init[otel] = { plain: [110, 112, 108], 'source-maps': [150, 149, 151] };
  base.tracing = { lambda: 'media-validate', xray, otel };
  return base;
};

describe('compareTracing', () => {
  it('divides the otel build by the xray build, per mode both measured', () => {
    expect(
      compareTracing(
        'media-validate',
        { zipBytes: 200, initMedian: { plain: 10, 'source-maps': 20 } },
        { zipBytes: 300, initMedian: { plain: 12 } },
      ),
    ).toEqual({
      lambda: 'media-validate',
      xray: { zipBytes: 200, initMedian: { plain: 10, 'source-maps': 20 } },
      otel: { zipBytes: 300, initMedian: { plain: 12 } },
      zip: 1.5,
      init: { plain: 1.2 },
    });
  });

  it('names each backend`s entry in libs/observability', () => {
    expect(TRACING_BACKENDS).toEqual({
      xray: 'libs/observability/src/index.ts',
      otel: 'libs/observability/src/otel/index.ts',
    });
    expect(variantName('media-validate', 'otel')).toBe('media-validate (otel)');
  });
});

describe('the report`s tracing-backend section', () => {
  it('holds the otel / xray ratios of the medians', () => {
    const { tracing } = buildReport(inputs());

    expect(tracing).toEqual({
      lambda: 'media-validate',
      xray: { zipBytes: 1_000_000, initMedian: { plain: 100, 'source-maps': 120 } },
      otel: { zipBytes: 1_250_000, initMedian: { plain: 110, 'source-maps': 150 } },
      zip: 1.25,
      init: { plain: 1.1, 'source-maps': 1.25 },
    });
  });

  it('renders a table with both builds and the ratio row', () => {
    const markdown = renderMarkdown(buildReport(inputs()));

    expect(
      markdown
        .split('\n')
        .filter((l) => l.startsWith('## '))
        .at(-1),
    ).toBe(
      '## Tracing backend: `media-validate` bundled with OpenTelemetry vs X-Ray (Powertools Tracer)',
    );
    expect(markdown).toMatch(
      /\| \*\*otel \/ xray\*\* +\| +\*\*×1\.25\*\* \| +\*\*×1\.10\*\* \| +\*\*×1\.25\*\* \|/,
    );
  });

  it('refuses a tracing build without samples, naming it', () => {
    const broken = inputs();
    delete broken.init['media-validate (otel)'];
    expect(() => buildReport(broken)).toThrow(
      "No init samples for the tracing build 'media-validate (otel)'.",
    );
  });
});
