/**
 * Dev code lives under tools/ (sample generators, the bench, the sandbox and its MediaConvert
 * stand-in) so that no Lambda bundle can contain it. These tests plant imports of a tool into
 * an app and a lib (as text: nothing is written into the checkout) and lint them with the
 * repository's own ESLint config and Nx project graph.
 */
import { resolve } from 'node:path';
import { lintAs } from '../../src/module-boundaries';

const root = resolve(__dirname, '../../../..');
const RULE = '@nx/enforce-module-boundaries';

// Each case spawns ESLint with the Nx project graph: a few seconds on a loaded machine.
jest.setTimeout(120_000);

describe('module boundaries (eslint.config.mjs)', () => {
  it.each([
    [
      'a Lambda importing the sample generators',
      'apps/media-probe/src/planted.ts',
      "import { generateDay } from '@slipway/samples';\nexport const day = generateDay;\n",
      'A project tagged with "type:lambda" can only depend on libs tagged with "type:lib"',
    ],
    [
      'a Lambda importing the sandbox (the MediaConvert stand-in)',
      'apps/etl-transform/src/planted.ts',
      "import { readJobSettings } from '@slipway/sandbox';\nexport const read = readJobSettings;\n",
      'A project tagged with "type:lambda" can only depend on libs tagged with "type:lib"',
    ],
    [
      'a Lambda reaching into tools/ by a relative path',
      'apps/media-probe/src/planted.ts',
      "import { generateDay } from '../../../tools/samples/src';\nexport const day = generateDay;\n",
      'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ],
    [
      'a runtime lib importing a tool',
      'libs/observability/src/planted.ts',
      "import { generateDay } from '@slipway/samples';\nexport const day = generateDay;\n",
      'A project tagged with "type:lib" can only depend on libs tagged with "type:lib"',
    ],
  ])('fails on %s', async (_, file, code, message) => {
    // Act
    const messages = await lintAs(root, file, code);

    // Assess
    expect(messages).toEqual([{ ruleId: RULE, message, line: 1 }]);
  });

  it('lets a Lambda import a runtime lib: the failures above are the tool imports’', async () => {
    // Act: the unused variable proves the file was linted at all.
    const messages = await lintAs(
      root,
      'apps/media-probe/src/planted.ts',
      "import { probeVideo } from '@slipway/media';\nexport const probe = probeVideo;\nconst unused = 1;\n",
    );

    // Assess
    expect(messages).toEqual([
      {
        ruleId: '@typescript-eslint/no-unused-vars',
        message:
          "'unused' is assigned a value but never used. Allowed unused vars must match /^_/u.",
        line: 3,
      },
    ]);
  });
});
