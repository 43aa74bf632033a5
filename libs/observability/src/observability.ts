import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Who is emitting: the function's Lambda manifest (`name`, `domain`) fits as is. */
export interface ServiceIdentity {
  /** The manifest `name`, used as Powertools service name. */
  name: string;
  /** The manifest `domain`, used as metric namespace suffix and log key. */
  domain: string;
}

/** The one logger, tracer and metrics set of a function. */
export interface Observability {
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly metrics: Metrics;
  /**
   * Wraps an AWS SDK v3 client so each call becomes an X-Ray subsegment (a no-op when tracing
   * is off, e.g. in unit tests).
   */
  captureClient<T>(client: T): T;
}

/**
 * Configures Powertools once for a function. Environment variables set by the
 * `lambda-function` module (`POWERTOOLS_*`, `LOG_LEVEL`) still take effect; the service name
 * and namespace default to the manifest's identity.
 *
 * @example
 * import manifest from '../lambda.manifest.json';
 * export const obs = createObservability(manifest);
 */
export function createObservability(identity: ServiceIdentity): Observability {
  const logger = new Logger({
    serviceName: identity.name,
    persistentKeys: { domain: identity.domain },
  });
  const tracer = new Tracer({ serviceName: identity.name });
  const metrics = new Metrics({
    serviceName: identity.name,
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? `Slipway/${identity.domain}`,
  });
  return {
    logger,
    tracer,
    metrics,
    captureClient: <T>(client: T): T => tracer.captureAWSv3Client(client),
  };
}
