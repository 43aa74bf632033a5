import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A bundle to measure: a packaged Lambda or the reference. */
export interface BenchTarget {
  /** Row label: the Lambda's project name, or `reference`. */
  name: string;
  /** Absolute path of the bundled `handler.js`. */
  bundleFile: string;
  /** Absolute path of the zip that would be deployed. */
  zipFile: string;
  /** Variables the function gets at deploy time (the manifest's `environment`). */
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
        environment: manifestEnvironment(join(apps, name, 'lambda.manifest.json')),
      };
    });
}

function manifestEnvironment(file: string): Record<string, string> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `${file} is not valid JSON: run 'npx nx run-many -t manifest' for the exact problem.`,
      { cause: error },
    );
  }
  const env = (manifest as { environment?: unknown }).environment;
  if (!env || typeof env !== 'object') return {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}
