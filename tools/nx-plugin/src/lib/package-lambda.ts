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
  };
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
}

/** Result of {@link packageLambda}. */
export interface PackageResult extends PackageListing {
  zipFile: string;
}

/**
 * Validates the manifest, then zips the bundle plus the runtime dependencies installed for the
 * Lambda's platform. Writes `<name>.zip`, `<name>.zip.sha256` (base64, as `filebase64sha256`),
 * `<name>.files.json` and, when the build wrote one, the esbuild metafile as `<name>.meta.json`.
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
  const bundle = collected.filter((e) => e !== metafile);
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
  };
  // The sha256 file goes last: the stacks treat its presence as "the package is complete".
  await writeAtomically(out(files.listing), `${JSON.stringify(listing, null, 2)}\n`);
  if (metafile) await writeAtomically(out(files.metafile), metafile.data);
  await writeAtomically(out(files.sha256), result.sha256);
  return { ...listing, zipFile: relative(root, out(files.zip)) };
}

async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode: 0o644 });
  await rename(tmp, file);
}
