import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer as OtelTracer } from '@opentelemetry/api';
import type { ServiceIdentity } from '../observability';
import { captureClientOtel } from './aws-sdk';
import { createOtelTracing, type OtelTracing, type OtelTracingOptions } from './tracing';

/**
 * The OpenTelemetry variant of `Observability`: the same Powertools Logger and Metrics, and an
 * OpenTelemetry tracer in place of Powertools Tracer (which is never constructed here, so the
 * X-Ray SDK is not in the bundle). Handlers that use `logger`, `metrics` and `captureClient`,
 * as every Slipway handler does, build against either variant unchanged.
 */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** An OpenTelemetry API tracer (not Powertools Tracer): `startActiveSpan` for a nested span. */
  readonly tracer: OtelTracer;
  /** The provider behind `tracer`: the trace header parent, the per-invocation flush. */
  readonly tracing: OtelTracing;
  /** Wraps an AWS SDK v3 client so each command becomes a CLIENT span (a no-op when tracing is off). */
  captureClient<T>(client: T): T;
}

/**
 * Configures Powertools Logger and Metrics exactly as the X-Ray variant does, and OpenTelemetry
 * tracing in place of Powertools Tracer (`createOtelTracing`).
 *
 * @example
 * import manifest from '../lambda.manifest.json';
 * export const obs = createObservability(manifest);
 */
export function createObservability(
  identity: ServiceIdentity,
  options: OtelTracingOptions = {},
): Observability {
  const logger = new Logger({
    serviceName: identity.name,
    persistentKeys: { domain: identity.domain },
  });
  const metrics = new Metrics({
    serviceName: identity.name,
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? `Slipway/${identity.domain}`,
  });
  const tracing = createOtelTracing(identity, options);
  return {
    logger,
    metrics,
    tracer: tracing.tracer,
    tracing,
    captureClient: <T>(client: T): T => captureClientOtel(tracing, client),
  };
}
