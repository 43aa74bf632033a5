import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadManifest } from '@slipway/manifest';
import { collectFiles, installRuntimeDependencies } from './runtime-deps';
import { writeDeterministicZip } from './zip';

/** Where a Lambda's package files go, relative to its output folder. */
export function packageFiles(name: string) {
  return {
    zip: `${name}.zip`,
    sha256: `${name}.zip.sha256`,
    listing: `${name}.files.json`,
    metafile: `${name}.meta.json`,
    sourceMap: `${name}.js.map`,
  };
}

/**
 * The source map the `build` target writes beside `handler.js` (`sourcemap: 'external'`: no
 * `//# sourceMappingURL` comment in the bundle). It is ~75 % of a zip's bytes and Lambda never
 * needs it (issue 17), so it goes beside the zip as `<name>.js.map`, never into it; on-call
 * decodes traces with it (`npm run slipway -- stack`).
 */
export const BUNDLE_SOURCE_MAP = 'handler.js.map';

/** The bundle's entry file, the one Lambda loads. */
const BUNDLE_ENTRY = 'handler.js';

/**
 * The map as it is written beside the zip: its `sources` are relative to the map's folder (the
 * source map spec, https://tc39.es/ecma426/#resolving-sources), so moving it from
 * `dist/apps/<name>/bundle/` one level up to `dist/apps/<name>/` drops one `../` from each.
 * Every other field (mappings, names, sourcesContent) keeps esbuild's value.
 */
export function relocateSourceMap(map: Buffer, mapFile: string): Buffer {
  let parsed: { sources?: unknown; sourceRoot?: unknown };
  try {
    parsed = JSON.parse(map.toString('utf8'));
  } catch (error) {
    throw new Error(
      `${mapFile} is not JSON (${(error as Error).message}): rebuild the Lambda (nx run <name>:build --skip-nx-cache).`,
    );
  }
  if (!Array.isArray(parsed.sources) || parsed.sourceRoot)
    throw new Error(
      `${mapFile} has no sources array or sets a sourceRoot: it is not the map esbuild writes for the build target; rebuild the Lambda.`,
    );
  const sources = (parsed.sources as unknown[]).map((source) => {
    if (typeof source !== 'string' || !source.startsWith('../'))
      throw new Error(
        `${mapFile} names the source ${JSON.stringify(source)}, which is not a path above the bundle folder: rebuild the Lambda.`,
      );
    return source.slice(3);
  });
  return Buffer.from(JSON.stringify({ ...parsed, sources }));
}

/**
 * The esbuild metafile the `build` target writes into the bundle folder (`metafile: true`). It
 * describes the bundle, so it goes beside the zip as `<name>.meta.json`, never into it: the zip
 * holds what Lambda runs, byte for byte as before.
 */
export const BUNDLE_METAFILE = 'meta.json';

/** The listing written beside the zip: what is inside and how big. */
export interface PackageListing {
  name: string;
  architecture: string;
  runtime: string;
  bytes: number;
  sha256: string;
  files: { path: string; bytes: number }[];
  /** Size of `<name>.js.map`, beside the zip (not in it); absent when the build wrote no map. */
  sourceMapBytes?: number;
}

/** Result of {@link packageLambda}. */
export interface PackageResult extends PackageListing {
  zipFile: string;
}

/**
 * Validates the manifest, then zips the bundle (without its source map) plus the runtime
 * dependencies installed for the Lambda's platform. Writes `<name>.zip`, `<name>.zip.sha256`
 * (base64, as `filebase64sha256`), `<name>.files.json` and, when the build wrote them, the esbuild
 * metafile as `<name>.meta.json` and the source map as `<name>.js.map` (see
 * {@link BUNDLE_SOURCE_MAP}).
 * Old outputs are deleted first and new ones appear by rename, so `outputDir` holds either a
 * complete, consistent set or none.
 */
export async function packageLambda(options: {
  root: string;
  manifestFile: string;
  bundleDir: string;
  outputDir: string;
}): Promise<PackageResult> {
  const { root, manifestFile, bundleDir, outputDir } = options;
  const manifest = loadManifest(manifestFile, root);
  const files = packageFiles(manifest.name);
  const out = (f: string) => join(outputDir, f);
  await mkdir(outputDir, { recursive: true });
  await Promise.all(Object.values(files).map((f) => rm(out(f), { force: true })));

  if (!existsSync(bundleDir) || (await readdir(bundleDir)).length === 0) {
    throw new Error(
      `${relative(root, bundleDir)} is empty: build ${manifest.name} first (nx run ${manifest.name}:package builds it).`,
    );
  }
  const collected = await collectFiles(bundleDir, bundleDir);
  const metafile = collected.find((e) => e.path === BUNDLE_METAFILE);
  const sourceMap = collected.find((e) => e.path === BUNDLE_SOURCE_MAP);
  const bundle = collected.filter((e) => e !== metafile && e !== sourceMap);
  const entry = bundle.find((e) => e.path === BUNDLE_ENTRY);
  // A bundle that still points at a map would make Node look for a file the zip lacks.
  if (entry && /\/\/# sourceMappingURL=\S*\s*$/.test(entry.data.subarray(-512).toString('utf8')))
    throw new Error(
      `${relative(root, join(bundleDir, BUNDLE_ENTRY))} ends with a //# sourceMappingURL comment, but the map is not zipped: ` +
        `build with sourcemap 'external' (tools/nx-plugin/src/plugin.ts) and rebuild (nx run ${manifest.name}:build --skip-nx-cache).`,
    );
  const relocatedMap = sourceMap
    ? relocateSourceMap(sourceMap.data, relative(root, join(bundleDir, BUNDLE_SOURCE_MAP)))
    : undefined;
  const deps = await installRuntimeDependencies(
    manifest.runtimeDependencies,
    manifest.architecture,
  );
  const entries = [...bundle, ...deps];

  const result = await writeDeterministicZip(entries, out(files.zip));
  const listing: PackageListing = {
    name: manifest.name,
    architecture: manifest.architecture,
    runtime: manifest.runtime,
    bytes: result.bytes,
    sha256: result.sha256,
    files: entries
      .map((e) => ({ path: e.path, bytes: e.data.length }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
    ...(relocatedMap ? { sourceMapBytes: relocatedMap.length } : {}),
  };
  // The sha256 file goes last: the stacks treat its presence as "the package is complete".
  await writeAtomically(out(files.listing), `${JSON.stringify(listing, null, 2)}\n`);
  if (metafile) await writeAtomically(out(files.metafile), metafile.data);
  if (relocatedMap) await writeAtomically(out(files.sourceMap), relocatedMap);
  await writeAtomically(out(files.sha256), result.sha256);
  return { ...listing, zipFile: relative(root, out(files.zip)) };
}

async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode: 0o644 });
  await rename(tmp, file);
}
