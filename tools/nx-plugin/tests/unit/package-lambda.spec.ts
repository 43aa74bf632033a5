import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { fromBuffer, type Entry } from 'yauzl';
import { packageLambda, relocateSourceMap } from '../../src/lib/package-lambda';
import { lambdaTargets } from '../../src/plugin';

const FIXTURE = join(__dirname, '../fixtures/source-map');
const scratch = mkdtempSync(join(tmpdir(), 'package-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A workspace with the fixture Lambda at apps/map-demo, bundled by esbuild with the `sourcemap`
 * value the plugin's build target uses, into dist/apps/map-demo/bundle as the build target does.
 */
async function builtWorkspace(): Promise<string> {
  const root = mkdtempSync(join(scratch, 'ws-'));
  cpSync(FIXTURE, join(root, 'apps/map-demo'), { recursive: true });
  const options = lambdaTargets('apps/map-demo', 'map-demo', {}).build.options as {
    sourcemap: 'external';
  };
  await build({
    entryPoints: [join(root, 'apps/map-demo/handler.ts')],
    outfile: join(root, 'dist/apps/map-demo/bundle/handler.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    minify: true,
    sourcemap: options.sourcemap,
    logLevel: 'silent',
  });
  return root;
}

function zipNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    fromBuffer(readFileSync(file), { lazyEntries: false }, (error, zip) => {
      if (error || !zip) return reject(error);
      const names: string[] = [];
      zip.on('entry', (e: Entry) => names.push(e.fileName));
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
    });
  });
}

const run = (root: string) =>
  packageLambda({
    root,
    manifestFile: join(root, 'apps/map-demo/lambda.manifest.json'),
    bundleDir: join(root, 'dist/apps/map-demo/bundle'),
    outputDir: join(root, 'dist/apps/map-demo'),
  });

describe('packageLambda and the source map', () => {
  it('zips handler.js only and writes the map beside the zip, its sources relative to dist/apps/<name>/', async () => {
    const root = await builtWorkspace();

    const result = await run(root);

    const out = join(root, 'dist/apps/map-demo');
    expect(readdirSync(out).sort()).toEqual([
      'bundle',
      'map-demo.files.json',
      'map-demo.js.map',
      'map-demo.zip',
      'map-demo.zip.sha256',
    ]);
    expect(await zipNames(join(out, 'map-demo.zip'))).toEqual(['handler.js']);
    expect(result.files.map((f) => f.path)).toEqual(['handler.js']);
    const map = JSON.parse(readFileSync(join(out, 'map-demo.js.map'), 'utf8'));
    expect(map.sources).toEqual([
      '../../../apps/map-demo/handler.ts',
      '../../../apps/map-demo/lib/fail.ts',
    ]);
    expect(result.sourceMapBytes).toBe(readFileSync(join(out, 'map-demo.js.map')).length);
    expect(readFileSync(join(out, 'bundle/handler.js'), 'utf8')).not.toContain('sourceMappingURL');
  });

  it('gives byte-identical zips and maps from two builds in different folders', async () => {
    const a = await builtWorkspace();
    const b = await builtWorkspace();

    await run(a);
    await run(b);

    for (const file of ['map-demo.zip', 'map-demo.js.map'])
      expect(
        readFileSync(join(b, 'dist/apps/map-demo', file)).equals(
          readFileSync(join(a, 'dist/apps/map-demo', file)),
        ),
      ).toBe(true);
  });

  it('refuses a bundle whose handler.js still points at its map (a build with sourcemap: true)', async () => {
    const root = await builtWorkspace();
    const handler = join(root, 'dist/apps/map-demo/bundle/handler.js');
    writeFileSync(handler, `${readFileSync(handler, 'utf8')}//# sourceMappingURL=handler.js.map\n`);

    await expect(run(root)).rejects.toThrow(
      "dist/apps/map-demo/bundle/handler.js ends with a //# sourceMappingURL comment, but the map is not zipped: build with sourcemap 'external' (tools/nx-plugin/src/plugin.ts) and rebuild (nx run map-demo:build --skip-nx-cache).",
    );
    expect(readdirSync(join(root, 'dist/apps/map-demo'))).toEqual(['bundle']);
  });
});

describe('relocateSourceMap', () => {
  const valid = { version: 3, sources: ['../../../../libs/a.ts'], names: [], mappings: 'AAAA' };

  it('drops one ../ from every source and keeps the other fields', () => {
    const moved = JSON.parse(
      relocateSourceMap(Buffer.from(JSON.stringify(valid)), 'm.map').toString(),
    );

    expect(moved).toEqual({ ...valid, sources: ['../../../libs/a.ts'] });
  });

  it('refuses a source that is not above the bundle folder', () => {
    const broken = { ...valid, sources: ['libs/a.ts'] };

    expect(() => relocateSourceMap(Buffer.from(JSON.stringify(broken)), 'm.map')).toThrow(
      'm.map names the source "libs/a.ts", which is not a path above the bundle folder: rebuild the Lambda.',
    );
  });

  it('refuses a map that is not JSON', () => {
    expect(() => relocateSourceMap(Buffer.from('{'), 'm.map')).toThrow(/^m\.map is not JSON \(/);
  });
});
