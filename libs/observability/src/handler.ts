import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { parseEvent } from '@slipway/events';
import type { Observability } from './observability';

/** Options of {@link instrumentHandler}. */
export interface InstrumentOptions<S extends z.ZodType> {
  /** Schema the incoming event must satisfy; a failure throws `EventParseError` naming the fields. */
  input: S;
  /** Name of the event source, used in parse error messages. */
  source: string;
  /**
   * Picks the correlation id from the raw event (schemas may strip the field). Defaults to
   * `correlationId`, then `id` (EventBridge), then the Lambda request id.
   */
  correlationId?: (event: unknown) => string | undefined;
}

/** What a business function receives besides the parsed event. */
export interface HandlerTools {
  context: Context;
  obs: Observability;
}

/**
 * Wraps a function's business logic with everything every Slipway Lambda needs: Lambda
 * context and correlation id on every log line, a `## handler` X-Ray subsegment with cold
 * start, service and `correlation_id` annotations (each invocation in its own async context,
 * so concurrent invocations in one process keep their own segments), the `ColdStart` metric, input parsing with the zod schema,
 * metrics flushed (EMF) at the end, and an error logged exactly once with its context
 * before it is re-thrown for Lambda / Step Functions to handle.
 *
 * This is the manual form of Powertools' middlewares
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/core/tracer/#manual-instrumentation)
 * so no middleware engine is bundled into every function.
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
  const { logger, tracer, metrics } = obs;
  const invoke = async (event: unknown, context: Context): Promise<R> => {
    logger.addContext(context);
    metrics.captureColdStartMetric();
    const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const segment = parent?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
    if (segment) {
      tracer.setSegment(segment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
    }
    try {
      const pick = options.correlationId ?? defaultCorrelationId;
      const correlationId = pick(event) ?? context.awsRequestId;
      logger.setCorrelationId(correlationId);
      // The logger's correlation id, so a trace can be found from a log line (and back).
      if (segment) tracer.putAnnotation('correlation_id', correlationId);
      const parsed = parseEvent(options.input, event, options.source);
      const result = await fn(parsed, { context, obs });
      if (segment) tracer.addResponseAsMetadata(result, process.env._HANDLER);
      return result;
    } catch (error) {
      logger.error('Handler failed', error as Error);
      if (segment) tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      if (segment && parent) {
        segment.close();
        tracer.setSegment(parent);
      }
      // Only flush when something was recorded: an empty flush just prints a warning.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
  return (event, context) => {
    if (!tracer.isTracingEnabled()) return invoke(event, context);
    // Each invocation gets its own X-Ray SDK (cls-hooked) context, inheriting the facade
    // segment, so `setSegment` never touches another in-flight invocation's slot: Lambda
    // Managed Instances run several invocations per process, and so does a test harness.
    // Captured SDK clients and nested subsegments resolve their parent from this context.
    // With AWS_LAMBDA_MAX_CONCURRENCY set, Powertools keeps the active segment in the
    // runtime's per-invocation InvokeStore instead; this context does no harm there.
    return tracer.provider.getNamespace().runAndReturn(() => invoke(event, context));
  };
}

function defaultCorrelationId(event: unknown): string | undefined {
  if (event && typeof event === 'object') {
    const record = event as Record<string, unknown>;
    for (const key of ['correlationId', 'id']) {
      if (typeof record[key] === 'string' && record[key]) return record[key] as string;
    }
  }
  return undefined;
}
