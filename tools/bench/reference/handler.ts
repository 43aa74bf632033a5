/**
 * The bench's reference Lambda: Powertools Logger, Tracer and Metrics and nothing else. Every
 * Slipway function pays for these three at cold start, so a Lambda's size and init time are
 * reported as multiples of this floor: a ratio near 1 means the function adds little of its own.
 * It is constructed directly, not through `@slipway/observability`, so the ratios also show what
 * our own libraries add.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** The reference's logger (exported so the bundle keeps it whatever esbuild can prove). */
export const logger = new Logger({ serviceName: 'bench-reference' });
/** The reference's tracer. */
export const tracer = new Tracer({ serviceName: 'bench-reference' });
/** The reference's metrics. */
export const metrics = new Metrics({ serviceName: 'bench-reference', namespace: 'Slipway/bench' });

/** A trivial handler: the bench only loads it, never invokes it. */
export const handler = async (): Promise<{ ok: true }> => {
  logger.info('reference invoked');
  return { ok: true };
};
