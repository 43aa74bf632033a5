import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parseManifest } from '@slipway/manifest';
import { lambdaGenerator } from '../../src/generators/lambda/generator';

// Prettier 3 loads its plugins with dynamic import(), which Jest's VM cannot run. Formatting is
// checked for real by tests/integration/lambda-generator.spec.ts (prettier --check).
jest.mock('prettier', () => ({
  getFileInfo: async () => ({ ignored: false, inferredParser: 'typescript' }),
  resolveConfig: async () => ({}),
  format: async (text: string) => text,
}));

describe('lambda generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('scaffolds handler, schema, manifest, tests and project files', async () => {
    await lambdaGenerator(tree, { name: 'demo-x' });

    for (const file of [
      'lambda.manifest.json',
      'project.json',
      'src/handler.ts',
      'src/schema.ts',
      'tests/unit/handler.spec.ts',
      'tests/events/invoke/valid.json',
      'tsconfig.json',
      'tsconfig.app.json',
      'jest.config.cjs',
      'eslint.config.mjs',
      'README.md',
    ]) {
      expect(tree.exists(`apps/demo-x/${file}`)).toBe(true);
    }
    const manifest = parseManifest(
      readJson(tree, 'apps/demo-x/lambda.manifest.json'),
      'apps/demo-x/lambda.manifest.json',
    );
    expect(manifest).toMatchObject({
      name: 'demo-x',
      domain: 'platform',
      memory: 256,
      timeout: 10,
    });
    expect(readJson(tree, 'apps/demo-x/project.json')).toMatchObject({
      name: 'demo-x',
      tags: ['type:lambda', 'scope:platform'],
    });
    expect(tree.read('apps/demo-x/src/schema.ts', 'utf8')).toContain(
      'export const DemoXInputSchema',
    );
    expect(tree.read('apps/demo-x/src/handler.ts', 'utf8')).toContain('instrumentHandler(');
  });

  it('uses the given domain, memory and timeout', async () => {
    await lambdaGenerator(tree, {
      name: 'media-thumbs',
      domain: 'media',
      memory: 1024,
      timeout: 60,
    });

    expect(readJson(tree, 'apps/media-thumbs/lambda.manifest.json')).toMatchObject({
      domain: 'media',
      memory: 1024,
      timeout: 60,
    });
    expect(readJson(tree, 'apps/media-thumbs/project.json').tags).toEqual([
      'type:lambda',
      'scope:media',
    ]);
  });

  it('refuses an existing folder and values the build would refuse', async () => {
    await lambdaGenerator(tree, { name: 'demo-x' });

    await expect(lambdaGenerator(tree, { name: 'demo-x' })).rejects.toThrow(
      'apps/demo-x already exists',
    );
    await expect(lambdaGenerator(tree, { name: 'demo-y', memory: 99999 })).rejects.toThrow(
      'memory = 99999: must be a whole number from 128 to 10240 (MB)',
    );
  });
});
