import { describe, expect, it } from '@jest/globals';
import { bundleContents, ownerOf, type ContentsMetafile } from '../../src/contents';

const metafile = (inputs: Record<string, number>, bytes: number): ContentsMetafile => ({
  outputs: {
    'dist/apps/x/bundle/handler.js.map': { bytes: 9, inputs: {} },
    'dist/apps/x/bundle/handler.js': {
      bytes,
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { bytesInOutput: v }])),
    },
  },
});

describe('ownerOf', () => {
  it.each([
    ['node_modules/zod/v4/core/schemas.js', 'zod'],
    ['node_modules/@smithy/core/dist-es/index.js', '@smithy/core'],
    ['node_modules/@aws-sdk/client-s3/node_modules/@smithy/core/dist-es/a.js', '@smithy/core'],
    ['libs/edge/src/jwt.ts', 'libs/edge'],
    ['apps/edge-authorizer/src/handler.ts', 'apps/edge-authorizer'],
    ['<runtime>', '<runtime>'],
  ])('%s belongs to %s', (input, owner) => {
    expect(ownerOf(input)).toBe(owner);
  });
});

describe('bundleContents', () => {
  it('sums the bytes of each owner in the .js output and keeps the largest, with their share', () => {
    const found = bundleContents(
      metafile(
        {
          'node_modules/zod/v4/core/schemas.js': 300,
          'node_modules/zod/v4/classic/schemas.js': 100,
          'node_modules/@smithy/core/dist-es/index.js': 250,
          'libs/edge/src/jwt.ts': 50,
          'libs/edge/src/roles.ts': 50,
          'node_modules/jose/dist/a.js': 100,
          'node_modules/semver/index.js': 40,
          'apps/edge-authorizer/src/handler.ts': 10,
        },
        1000,
      ),
    );

    // jose and libs/edge tie at 100: by name.
    expect(found).toEqual([
      { name: 'zod', bytes: 400, share: 0.4 },
      { name: '@smithy/core', bytes: 250, share: 0.25 },
      { name: 'jose', bytes: 100, share: 0.1 },
      { name: 'libs/edge', bytes: 100, share: 0.1 },
      { name: 'semver', bytes: 40, share: 0.04 },
    ]);
  });

  it('refuses a metafile without a .js output, naming what it has', () => {
    const broken = metafile({}, 1);
    delete broken.outputs['dist/apps/x/bundle/handler.js'];

    expect(() => bundleContents(broken)).toThrow(
      'the metafile has no .js output (outputs: dist/apps/x/bundle/handler.js.map)',
    );
  });
});
