import type { Context } from 'aws-lambda';
import type { z } from 'zod';
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
 * start and service annotations, the `ColdStart` metric, input parsing with the zod schema,
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
  return async (event, context) => {
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
      logger.setCorrelationId(pick(event) ?? context.awsRequestId);
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
