import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUNDLE_SOURCE_MAP,
  lambdaTargets,
  writeDeterministicZip,
  type ZipEntry,
} from '@slipway/nx-plugin';
import { build, type BuildOptions } from 'esbuild';
import type { BenchTarget } from './lambdas';

/** Where the reference entry lives and where its bundle and zip go, relative to the workspace. */
export const REFERENCE = {
  name: 'reference',
  entry: 'tools/bench/reference/handler.ts',
  tsconfig: 'tools/bench/tsconfig.json',
  outputDir: 'dist/bench/reference',
} as const;

/** A reference-like bundle the bench builds itself: a name, an entry and an output folder. */
export interface ReferenceSpec {
  name: string;
  entry: string;
  tsconfig: string;
  outputDir: string;
}

/**
 * The SDK floor: the reference plus one S3 client (`tools/bench/reference/with-s3.ts`). Measured
 * in the same rounds as every Lambda and divided by the reference like them: what a Lambda that
 * calls AWS pays before any code of its own.
 */
export const SDK_FLOOR: ReferenceSpec = {
  name: 'floor: reference + S3 client',
  entry: 'tools/bench/reference/with-s3.ts',
  tsconfig: 'tools/bench/tsconfig.json',
  outputDir: 'dist/bench/reference-s3',
};

/** The subset of `@nx/esbuild:esbuild` options the Lambda `build` target sets. */
export interface NxEsbuildOptions {
  platform?: BuildOptions['platform'];
  target?: string;
  format?: string[];
  bundle?: boolean;
  thirdParty?: boolean;
  external?: string[];
  minify?: boolean;
  sourcemap?: BuildOptions['sourcemap'];
  esbuildOptions?: Record<string, unknown>;
}

/**
 * The Lambda build options of the Nx plugin, read from `lambdaTargets()` itself so the reference
 * can never drift from what the Lambdas get.
 */
export function lambdaBuildOptions(): NxEsbuildOptions {
  const options = lambdaTargets('apps/reference', 'reference', {}).build.options as
    NxEsbuildOptions | undefined;
  if (!options)
    throw new Error(
      'lambdaTargets() returned a build target without options: update tools/bench/src/reference.ts.',
    );
  return options;
}

/**
 * Translates `@nx/esbuild:esbuild` options into esbuild's JS API the way the executor does
 * (node_modules/@nx/esbuild/dist/src/executors/esbuild/lib/build-esbuild-options.js): one format,
 * `thirdParty: true` bundles every package except `external`, `esbuildOptions` spread last.
 */
export function toEsbuildOptions(
  nx: NxEsbuildOptions,
  paths: { workspaceRoot: string; entry: string; outfile: string; tsconfig: string },
): BuildOptions {
  const formats = nx.format ?? ['esm'];
  if (formats.length !== 1)
    throw new Error(
      `The bench builds one format, the Lambda build asks for ${formats.join(', ')}.`,
    );
  const extra = { ...nx.esbuildOptions };
  // outExtension only names files written to an `outdir`; the bench writes one `outfile`.
  delete extra.outExtension;
  return {
    absWorkingDir: paths.workspaceRoot,
    entryPoints: [paths.entry],
    outfile: paths.outfile,
    tsconfig: paths.tsconfig,
    platform: nx.platform,
    target: nx.target,
    format: formats[0] as BuildOptions['format'],
    bundle: nx.bundle,
    minify: nx.minify,
    sourcemap: nx.sourcemap ?? false,
    ...(nx.thirdParty === false
      ? { packages: 'external' as const }
      : { external: nx.external ?? [] }),
    ...extra,
  };
}

/**
 * The zip entries of a bundle folder, as the plugin's `package` executor collects them: every
 * file at its relative path but the source map, which `package` keeps out of the zip (issue 17).
 * esbuild writes a flat folder (`handler.js`, `handler.js.map`) with mode 0644, so the entries
 * are plain, non-executable files.
 */
async function bundleEntries(bundleDir: string): Promise<ZipEntry[]> {
  const files = (await readdir(bundleDir, { withFileTypes: true }))
    .filter((d) => d.isFile() && d.name !== BUNDLE_SOURCE_MAP)
    .map((d) => d.name);
  return Promise.all(
    files.map(async (path) => ({ path, data: await readFile(join(bundleDir, path)) })),
  );
}

/**
 * Bundles `tools/bench/reference/handler.ts` (or another `spec`, e.g. {@link SDK_FLOOR}) with
 * the Lambda build options and zips the bundle with the plugin's own zip writer, so its size
 * compares like for like with a Lambda's zip.
 */
export async function buildReference(
  workspaceRoot: string,
  spec: ReferenceSpec = REFERENCE,
): Promise<BenchTarget> {
  const outputDir = join(workspaceRoot, spec.outputDir);
  const bundleDir = join(outputDir, 'bundle');
  const zipFile = join(outputDir, 'reference.zip');
  // A stale file left in the bundle folder would end up in the zip and skew its size.
  await rm(outputDir, { recursive: true, force: true });
  await mkdir(bundleDir, { recursive: true });
  const bundleFile = join(bundleDir, 'handler.js');
  const result = await build(
    toEsbuildOptions(lambdaBuildOptions(), {
      workspaceRoot,
      entry: join(workspaceRoot, spec.entry),
      outfile: bundleFile,
      tsconfig: join(workspaceRoot, spec.tsconfig),
    }),
  );
  if (result.errors.length > 0)
    throw new Error(`${spec.name} bundle failed: ${result.errors.map((e) => e.text).join('; ')}`);
  await writeDeterministicZip(await bundleEntries(bundleDir), zipFile);
  return { name: spec.name, bundleFile, zipFile, environment: {} };
}
