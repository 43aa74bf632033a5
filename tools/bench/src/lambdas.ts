import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lambdaEnvironment, loadManifest, referencedBuckets } from '@slipway/manifest';

/** A bundle to measure: a packaged Lambda or the reference. */
export interface BenchTarget {
  /** Row label: the Lambda's project name, or `reference`. */
  name: string;
  /** Absolute path of the bundled `handler.js`. */
  bundleFile: string;
  /** Absolute path of the zip that would be deployed. */
  zipFile: string;
  /** Variables the function gets at deploy time (derived from its manifest, placeholder bucket names). */
  environment: Record<string, string>;
}

/**
 * Finds every Lambda the way the Nx plugin does (`apps/<name>/lambda.manifest.json`, project
 * name = folder name) and where `nx run <name>:package` leaves its outputs, so a new Lambda is
 * benchmarked without touching the bench.
 */
export function discoverLambdas(workspaceRoot: string): BenchTarget[] {
  const apps = join(workspaceRoot, 'apps');
  if (!existsSync(apps)) return [];
  return readdirSync(apps, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(apps, d.name, 'lambda.manifest.json')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const outputDir = join(workspaceRoot, 'dist', 'apps', name);
      return {
        name,
        bundleFile: join(outputDir, 'bundle', 'handler.js'),
        zipFile: join(outputDir, `${name}.zip`),
        environment: manifestEnvironment(join(apps, name, 'lambda.manifest.json'), workspaceRoot),
      };
    });
}

/**
 * What the function gets at deploy time, as the stacks derive it from the manifest
 * (`lambdaEnvironment`), with a placeholder name for every bucket it references (a handler that
 * reads `BUCKET_DATA` at init would otherwise fail to load). `NODE_OPTIONS` is left out: the
 * bench's mode decides it.
 */
function manifestEnvironment(file: string, workspaceRoot: string): Record<string, string> {
  const manifest = loadManifest(file, workspaceRoot);
  const buckets = Object.fromEntries(
    referencedBuckets(manifest).map((b) => [b, `slipway-bench-${b}-111111111111`]),
  );
  const { NODE_OPTIONS: _mode, ...environment } = lambdaEnvironment(manifest, {
    environment: 'bench',
    buckets,
  });
  return environment;
}
