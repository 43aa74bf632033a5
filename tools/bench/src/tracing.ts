import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_SOURCE_MAP, writeDeterministicZip, type ZipEntry } from '@slipway/nx-plugin';
import { build, type Plugin } from 'esbuild';
import type { BenchTarget } from './lambdas';
import { lambdaBuildOptions, toEsbuildOptions } from './reference';
import { ratio } from './stats';
import type { InitMode } from './init-time';

/** The tracing backends `libs/observability` offers, and the entry each one bundles. */
export const TRACING_BACKENDS = {
  /** Today's: Powertools Tracer on the X-Ray SDK (`libs/observability/src/index.ts`). */
  xray: 'libs/observability/src/index.ts',
  /** The prototype: OpenTelemetry with OTLP export (`libs/observability/src/otel/index.ts`). */
  otel: 'libs/observability/src/otel/index.ts',
} as const;

/** A tracing backend of `libs/observability`. */
export type TracingBackend = keyof typeof TRACING_BACKENDS;

/**
 * The Lambda bundled with both backends: small, representative (one S3 client, zod, Powertools)
 * and on the media flow's first hop.
 */
export const TRACING_LAMBDA = 'media-validate';

/** Where the two bench-only builds go, relative to the workspace (never `dist/apps`). */
export const TRACING_OUTPUT_DIR = 'dist/bench/tracing';

/**
 * An esbuild plugin resolving `@slipway/observability` to the entry of `backend`. Choosing the
 * backend when bundling, not at run time, is the point: a run-time switch would put both the X-Ray
 * SDK and OpenTelemetry into every zip.
 */
export function tracingBackendPlugin(workspaceRoot: string, backend: TracingBackend): Plugin {
  return {
    name: 'slipway-tracing-backend',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^@slipway\/observability$/ }, () => ({
        path: join(workspaceRoot, TRACING_BACKENDS[backend]),
      }));
    },
  };
}

/** Row label of a backend's build of `lambda`, e.g. `media-validate (otel)`. */
export const variantName = (lambda: string, backend: TracingBackend) => `${lambda} (${backend})`;

/**
 * Bundles `lambda`'s handler with the Lambda build options (from the Nx plugin, like the
 * reference) once per backend and zips each with the plugin's zip writer, under
 * `dist/bench/tracing/<backend>/` (or `outputRoot/<backend>/`). Both builds go through the bench, so the pair differs only in
 * the backend; the real `dist/apps` zips are not touched.
 */
export async function buildTracingVariants(
  workspaceRoot: string,
  lambda: BenchTarget,
  outputRoot: string = join(workspaceRoot, TRACING_OUTPUT_DIR),
): Promise<Record<TracingBackend, BenchTarget>> {
  const entry = join(workspaceRoot, 'apps', lambda.name, 'src', 'handler.ts');
  const tsconfig = join(workspaceRoot, 'apps', lambda.name, 'tsconfig.app.json');
  const built = {} as Record<TracingBackend, BenchTarget>;
  for (const backend of Object.keys(TRACING_BACKENDS) as TracingBackend[]) {
    const outputDir = join(outputRoot, backend);
    const bundleDir = join(outputDir, 'bundle');
    // A stale file left in the bundle folder would end up in the zip and skew its size.
    await rm(outputDir, { recursive: true, force: true });
    await mkdir(bundleDir, { recursive: true });
    const options = toEsbuildOptions(lambdaBuildOptions(), {
      workspaceRoot,
      entry,
      outfile: join(bundleDir, 'handler.js'),
      tsconfig,
    });
    const result = await build({
      ...options,
      plugins: [tracingBackendPlugin(workspaceRoot, backend)],
    });
    if (result.errors.length > 0)
      throw new Error(
        `Bundling ${lambda.name} with the ${backend} tracing backend failed: ${result.errors.map((e) => e.text).join('; ')}`,
      );
    const zipFile = join(outputDir, `${lambda.name}.zip`);
    await writeDeterministicZip(await bundleEntries(bundleDir), zipFile);
    built[backend] = {
      name: variantName(lambda.name, backend),
      bundleFile: join(bundleDir, 'handler.js'),
      zipFile,
      environment: lambda.environment,
    };
  }
  return built;
}

/** The bundle folder's files as zip entries, the map left out as `package` leaves it (issue 17). */
async function bundleEntries(bundleDir: string): Promise<ZipEntry[]> {
  const files = (await readdir(bundleDir, { withFileTypes: true }))
    .filter((d) => d.isFile() && d.name !== BUNDLE_SOURCE_MAP)
    .map((d) => d.name)
    .sort();
  return Promise.all(
    files.map(async (path) => ({ path, data: await readFile(join(bundleDir, path)) })),
  );
}

/** The OpenTelemetry build of one Lambda divided by its X-Ray build, measured in the same run. */
export interface TracingComparison {
  lambda: string;
  xray: { zipBytes: number; initMedian: Partial<Record<InitMode, number>> };
  otel: { zipBytes: number; initMedian: Partial<Record<InitMode, number>> };
  /** otel zip bytes / xray zip bytes. */
  zip: number;
  /** otel median init / xray median init, per mode. */
  init: Partial<Record<InitMode, number>>;
}

/**
 * Pairs the two builds' zip sizes and median init times (per mode) into otel / xray ratios.
 *
 * @example
 * compareTracing('media-validate', { zipBytes: 100, initMedian: { plain: 10 } }, { zipBytes: 150, initMedian: { plain: 12 } });
 * // → { zip: 1.5, init: { plain: 1.2 }, ... }
 */
export function compareTracing(
  lambda: string,
  xray: TracingComparison['xray'],
  otel: TracingComparison['otel'],
): TracingComparison {
  const modes = (Object.keys(xray.initMedian) as InitMode[]).filter(
    (m) => otel.initMedian[m] !== undefined,
  );
  return {
    lambda,
    xray,
    otel,
    zip: ratio(otel.zipBytes, xray.zipBytes),
    init: Object.fromEntries(
      modes.map((m) => [m, ratio(otel.initMedian[m] as number, xray.initMedian[m] as number)]),
    ),
  };
}
