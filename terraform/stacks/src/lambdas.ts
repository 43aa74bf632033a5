import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { EDGE_SCHEMAS } from '@slipway/events';
import {
  InvalidSha256Error,
  loadManifests,
  sha256Hex,
  type LambdaManifest,
} from '@slipway/manifest';
import { InvalidPackageError, MissingPackageError } from './errors';

/** A Lambda found in `apps/`, with its validated manifest and its package. */
export interface DiscoveredLambda {
  manifest: LambdaManifest;
  /** Absolute path of the zip. */
  zipFile: string;
  /**
   * Base64 SHA-256 of the zip (what `filebase64sha256` returns), read from `<name>.zip.sha256`.
   * Its hex form keys the zip in the artifact bucket (`artifactKey` of @slipway/manifest).
   */
  sha256: string;
}

/**
 * Finds every `apps/<name>/lambda.manifest.json`, validates it, checks the HTTP routes of all of
 * them together (a route declared twice fails synth), and pairs each with its package in
 * `dist/apps/<name>/`. Lambdas are never hand-listed: adding an app adds it to its stack.
 *
 * @throws {InvalidManifestError} for a broken manifest.
 * @throws {InvalidRoutesError} when routes clash across manifests or name an unknown schema.
 * @throws {MissingPackageError} when a zip or its sha256 is missing.
 * @throws {InvalidPackageError} when the sha256 file does not hold a base64 SHA-256.
 */
export function discoverLambdas(root: string): DiscoveredLambda[] {
  return loadManifests(root, EDGE_SCHEMAS).map(({ file, manifest }) => {
    // The package is named after the app folder (apps/<name>/lambda.manifest.json).
    const name = basename(dirname(file));
    const zipFile = join(root, 'dist/apps', name, `${name}.zip`);
    const shaFile = `${zipFile}.sha256`;
    if (!existsSync(zipFile) || !existsSync(shaFile)) {
      throw new MissingPackageError(
        `${relative(root, zipFile)} is missing: package the Lambda first ` +
          `(npx nx run ${name}:package, or npx nx run stacks:synth which packages every Lambda).`,
      );
    }
    const sha256 = readFileSync(shaFile, 'utf8').trim();
    try {
      sha256Hex(sha256);
    } catch (error) {
      if (!(error instanceof InvalidSha256Error)) throw error;
      throw new InvalidPackageError(`${relative(root, shaFile)}: ${error.message}`, {
        cause: error,
      });
    }
    return { manifest, zipFile, sha256 };
  });
}
