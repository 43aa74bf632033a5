import type { LambdaManifest } from './schema';

/** What an environment offers a function's configuration. */
export interface EnvironmentContext {
  /** Environment name (dev, staging, prod, local). */
  environment: string;
  /** Logical bucket name → real bucket name. */
  buckets: Readonly<Record<string, string>>;
}

/**
 * The environment variables a function runs with, derived from its manifest: its own
 * `environment`, `BUCKET_<NAME>` for every bucket its permissions name, Powertools' service
 * name and namespace, `SLIPWAY_ENVIRONMENT`, and source-mapped stack traces. The stacks and the
 * sandbox both use this, so a function sees the same configuration in AWS and locally.
 */
export function lambdaEnvironment(
  manifest: LambdaManifest,
  context: EnvironmentContext,
): Record<string, string> {
  const buckets = Object.fromEntries(
    referencedBuckets(manifest)
      .filter((b) => b in context.buckets)
      .sort()
      .map((b) => [`BUCKET_${b.toUpperCase().replace(/-/g, '_')}`, context.buckets[b]]),
  );
  return {
    ...manifest.environment,
    ...buckets,
    POWERTOOLS_SERVICE_NAME: manifest.name,
    POWERTOOLS_METRICS_NAMESPACE: `Slipway/${manifest.domain}`,
    SLIPWAY_ENVIRONMENT: context.environment,
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/**
 * The logical buckets a function's permission intents name (`read media:uploads/*` → `media`),
 * sorted, each once: the buckets it gets a `BUCKET_<NAME>` variable for.
 */
export function referencedBuckets(manifest: Pick<LambdaManifest, 'permissions'>): string[] {
  const names = manifest.permissions
    .map((p) => /^\S+ ([a-z][a-z0-9-]*):/.exec(p)?.[1])
    .filter((b): b is string => !!b);
  return [...new Set(names)].sort();
}
