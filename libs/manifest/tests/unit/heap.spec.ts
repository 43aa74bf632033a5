import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidManifestError, heapNodeOptions, lambdaEnvironment, parseManifest } from '../../src';

// `heap` (GitHub issue 17): V8 heap limits a function's NODE_OPTIONS carries, so its peak RSS
// stays flat; only functions whose manifest asks for it get NODE_OPTIONS at all.

const FILE = join(__dirname, '../fixtures/demo-fn/lambda.manifest.json');
const valid = (): Record<string, unknown> => JSON.parse(readFileSync(FILE, 'utf8'));
const SHOWN = 'apps/demo-fn/lambda.manifest.json';
const context = { environment: 'dev', buckets: {} };

function problemsOf(raw: unknown): InvalidManifestError['problems'] {
  try {
    parseManifest(raw, SHOWN);
  } catch (error) {
    if (error instanceof InvalidManifestError) return error.problems;
    throw error;
  }
  throw new Error('expected the manifest to be rejected');
}

describe('manifest heap', () => {
  it('gives NODE_OPTIONS with the old-space and semi-space limits', () => {
    // Prepare
    const manifest = parseManifest(
      { ...valid(), memory: 1024, heap: { maxOldSpaceMb: 128, maxSemiSpaceMb: 8 } },
      SHOWN,
    );

    // Act
    const environment = lambdaEnvironment(manifest, context);

    // Assess
    expect(environment.NODE_OPTIONS).toBe('--max-old-space-size=128 --max-semi-space-size=8');
    expect(heapNodeOptions({ maxOldSpaceMb: 300 })).toBe('--max-old-space-size=300');
  });

  it('gives no NODE_OPTIONS to a function without heap', () => {
    // Act
    const environment = lambdaEnvironment(parseManifest(valid(), SHOWN), context);

    // Assess: the function's own variables and Powertools', nothing else.
    expect(Object.keys(environment).sort()).toEqual(
      [
        ...Object.keys((valid().environment as Record<string, string>) ?? {}),
        'POWERTOOLS_METRICS_NAMESPACE',
        'POWERTOOLS_SERVICE_NAME',
        'SLIPWAY_ENVIRONMENT',
      ].sort(),
    );
    expect(environment).not.toHaveProperty('NODE_OPTIONS');
  });

  it('refuses a heap that leaves less than a quarter of memory outside it', () => {
    // Prepare: 75 % of 1024 MB is 768; 720 + 3 × 16 = 768 fits, 721 does not.
    const raw = { ...valid(), memory: 1024, heap: { maxOldSpaceMb: 721 } };

    // Act
    const problems = problemsOf(raw);

    // Assess
    expect(problems).toEqual([
      {
        field: 'heap',
        value: { maxOldSpaceMb: 721 },
        message:
          'asks V8 for 769 MB (old space 721 + 3 × semi-space 16), more than 75 % of memory (768 of 1024 MB): buffers, zlib and the runtime live outside the heap. Lower the heap or raise memory',
      },
    ]);
    expect(() => parseManifest({ ...raw, heap: { maxOldSpaceMb: 720 } }, SHOWN)).not.toThrow();
  });

  it('refuses a heap limit out of range and an unknown heap field', () => {
    // Act
    const problems = problemsOf({ ...valid(), heap: { maxOldSpaceMb: 8, semiSpace: 4 } });

    // Assess
    expect(problems.map((p) => p.field)).toEqual(['heap.maxOldSpaceMb', 'heap.semiSpace']);
    expect(problems[0].message).toBe('must be a whole number from 16 to 8192 (MB)');
  });

  it('refuses NODE_OPTIONS in environment beside heap', () => {
    // Act
    const problems = problemsOf({
      ...valid(),
      memory: 1024,
      heap: { maxOldSpaceMb: 128 },
      environment: { NODE_OPTIONS: '--max-old-space-size=900' },
    });

    // Assess
    expect(problems).toEqual([
      {
        field: 'environment.NODE_OPTIONS',
        value: '--max-old-space-size=900',
        message:
          'would replace the NODE_OPTIONS that heap sets: remove it and keep the heap limits in heap',
      },
    ]);
  });
});
