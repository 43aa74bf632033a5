import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devInputsOf, duplicatePackagesOf, type BundleMetafile } from '../../src/lib/bundle-inputs';

/** A real (trimmed) metafile of the media-finalize bundle, as `build` writes it. */
const metafile = (): BundleMetafile =>
  JSON.parse(
    readFileSync(join(__dirname, '../fixtures/metafiles/media-finalize.meta.json'), 'utf8'),
  ) as BundleMetafile;

/** The fixture with one more input, as if the handler had imported it. */
function withInput(path: string): BundleMetafile {
  const planted = metafile();
  planted.inputs[path] = { bytes: 100, imports: [], format: 'esm' };
  return planted;
}

describe('devInputsOf', () => {
  it('finds nothing in a runtime bundle whose inputs it did read', () => {
    // Prepare
    const clean = metafile();

    // Act
    const found = devInputsOf(clean);

    // Assess: the fixture has app, lib and node_modules inputs, none of them dev code.
    expect(Object.keys(clean.inputs)).toContain('apps/media-finalize/src/handler.ts');
    expect(Object.keys(clean.inputs)).toContain('node_modules/zod/v4/classic/schemas.js');
    expect(found).toEqual([]);
  });

  it.each([
    ['tools/samples/src/etl/day.ts', 'a tools/ project (dev only)'],
    ['tools/sandbox/src/mediaconvert.ts', 'a tools/ project (dev only)'],
    ['libs/media/scripts/generate-video-samples.ts', "a lib's scripts/ folder"],
    ['libs/etl/tests/unit/support/sinks.ts', 'test code'],
    ['libs/etl/src/sample/generate.ts', 'a sample generator'],
    ['libs/media/src/image/image-samples.ts', 'a sample generator'],
    ['libs/etl/src/bench.ts', 'bench code'],
    ['libs/etl/src/bench-worker.ts', 'bench code'],
    ['libs/media/src/inspect.ts', 'media:inspect glue'],
    ['libs/media/src/video/mediaconvert.ts', 'the MediaConvert stand-in'],
  ])('catches a planted %s as %s', (input, rule) => {
    // Act
    const found = devInputsOf(withInput(input));

    // Assess
    expect(found).toEqual([{ input, rule }]);
  });

  it('leaves a package that merely shares a name alone', () => {
    // A dependency's own `inspect` or `bench` module is not ours to judge.
    expect(devInputsOf(withInput('node_modules/object-inspect/inspect.js'))).toEqual([]);
  });
});

describe('duplicatePackagesOf', () => {
  const metafile = (...inputs: string[]): BundleMetafile => ({
    inputs: Object.fromEntries(inputs.map((i) => [i, {}])),
  });

  it('names a package read from two node_modules folders, scoped or not', () => {
    const found = duplicatePackagesOf(
      metafile(
        'node_modules/@smithy/core/dist-es/index.js',
        'node_modules/@smithy/core/dist-es/submodules/cbor/index.js',
        'node_modules/@aws-sdk/client-sesv2/node_modules/@smithy/core/dist-es/index.js',
        'node_modules/semver/index.js',
        'libs/edge/src/index.ts',
      ),
    );

    expect(found).toEqual([
      {
        name: '@smithy/core',
        folders: [
          'node_modules/@aws-sdk/client-sesv2/node_modules/@smithy/core',
          'node_modules/@smithy/core',
        ],
      },
    ]);
  });

  it('is empty when every package comes from one folder (a nested copy alone is one copy)', () => {
    expect(
      duplicatePackagesOf(
        metafile(
          'node_modules/@aws-lambda-powertools/idempotency/node_modules/@aws-lambda-powertools/jmespath/lib/index.js',
          'node_modules/zod/v4/core/schemas.js',
          'node_modules/zod/v4/classic/schemas.js',
        ),
      ),
    ).toEqual([]);
  });
});
