import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { parseEvent } from '@slipway/events';
import type { InstrumentOptions } from '../handler';
import type { Observability } from './observability';

/** What a business function receives besides the parsed event (the OpenTelemetry variant). */
export interface HandlerTools {
  context: Context;
  obs: Observability;
}

/**
 * Attributes X-Ray indexes as annotations. The OTLP span has only attributes; X-Ray's span →
 * segment conversion turns those named in `aws.xray.annotations` into annotations (filterable:
 * `annotation.correlation_id = "…"`) and the rest into metadata.
 */
export const XRAY_ANNOTATIONS_ATTRIBUTE = 'aws.xray.annotations';

/**
 * The OpenTelemetry twin of `instrumentHandler`, with the same contract for the business
 * function (Lambda context and correlation id on every log line, the `ColdStart` metric, zod
 * parsing, EMF flushed, an error logged once and re-thrown) and the same trace shape: a
 * `## <_HANDLER>` span, child of the function segment Lambda names in `_X_AMZN_TRACE_ID`,
 * with `ColdStart`, `Service` and `correlation_id` as X-Ray annotations, an error recorded as an
 * exception with status ERROR (X-Ray: a fault with its cause). Each invocation runs in its own
 * OpenTelemetry context (async local storage), so concurrent invocations keep their own spans,
 * and ends by exporting its spans before Lambda freezes the process.
 *
 * @example
 * export const handler = instrumentHandler(obs, { input: ValidateInputSchema, source: 'Validate input' },
 *   async (input) => decide(input));
 */
export function instrumentHandler<S extends z.ZodType, R>(
  obs: Observability,
  options: InstrumentOptions<S>,
  fn: (event: z.output<S>, tools: HandlerTools) => Promise<R>,
): (event: unknown, context: Context) => Promise<R> {
  const { logger, metrics, tracing } = obs;
  let coldStart = true;
  return async (event, lambdaContext) => {
    logger.addContext(lambdaContext);
    metrics.captureColdStartMetric();
    const isCold = coldStart;
    coldStart = false;
    const parent = tracing.parentContext();
    const span = tracing.enabled
      ? tracing.tracer.startSpan(
          `## ${process.env._HANDLER ?? 'handler'}`,
          {
            attributes: {
              ColdStart: isCold,
              Service: tracing.service,
              [XRAY_ANNOTATIONS_ATTRIBUTE]: ['ColdStart', 'Service', 'correlation_id'],
            },
          },
          parent,
        )
      : undefined;
    const active = span ? trace.setSpan(parent, span) : context.active();
    return context.with(active, async () => {
      try {
        const pick = options.correlationId ?? defaultCorrelationId;
        const correlationId = pick(event) ?? lambdaContext.awsRequestId;
        logger.setCorrelationId(correlationId);
        // The logger's correlation id, so a trace can be found from a log line (and back).
        span?.setAttribute('correlation_id', correlationId);
        const parsed = parseEvent(options.input, event, options.source);
        return await fn(parsed, { context: lambdaContext, obs });
      } catch (error) {
        logger.error('Handler failed', error as Error);
        span?.recordException(error as Error);
        span?.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span?.end();
        // A collector that is down must not fail the invocation: the spans are lost, said once.
        await tracing
          .flush()
          .catch((error: unknown) => logger.warn('Trace export failed', error as Error));
        if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
        logger.resetKeys();
      }
    });
  };
}

/** The same default as the X-Ray variant: `correlationId`, then `id` (EventBridge). */
function defaultCorrelationId(event: unknown): string | undefined {
  if (event && typeof event === 'object') {
    const record = event as Record<string, unknown>;
    for (const key of ['correlationId', 'id']) {
      if (typeof record[key] === 'string' && record[key]) return record[key] as string;
    }
  }
  return undefined;
}
