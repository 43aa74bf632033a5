import { resolve } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { ManifestError } from '@slipway/manifest';
import { packageLambda } from '../../lib/package-lambda';

/** Options of the `package` executor. */
export interface PackageExecutorOptions {
  manifest: string;
  bundleDir: string;
  outputDir: string;
}

/**
 * Packages the built bundle into `dist/apps/<name>/<name>.zip` (+ `.zip.sha256`, `.files.json`,
 * `.meta.json`, and the source map beside the zip as `<name>.js.map`).
 * Earlier outputs are removed first, so a failure never leaves a stale or partial zip behind.
 */
export default async function packageExecutor(
  options: PackageExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const root = context.root;
  try {
    const result = await packageLambda({
      root,
      manifestFile: resolve(root, options.manifest),
      bundleDir: resolve(root, options.bundleDir),
      outputDir: resolve(root, options.outputDir),
    });
    logger.info(
      `${result.name}: ${result.zipFile} (${result.bytes} bytes, sha256 ${result.sha256})`,
    );
    return { success: true };
  } catch (error) {
    // Manifest and packaging errors already name the file, the field and the fix.
    logger.error(
      error instanceof ManifestError || error instanceof Error ? error.message : String(error),
    );
    return { success: false };
  }
}
