import { randomUUID } from 'node:crypto';
import { type AsyncInvocation, asyncInvocation, type LambdaManifest } from '@slipway/manifest';
import type { InvokeOptions, InvokeResult, LocalLambda } from './local-lambda';
import type { TraceContext } from './xray-daemon';

/**
 * Lambda's asynchronous invocation, as the sandbox runs it for event-triggered functions
 * (an EventBridge rule invokes its Lambda target with `InvocationType: Event`): Lambda queues the
 * event and answers 202 at once, then runs the function; a function error is retried
 * `maximumRetryAttempts` times (0 to 2, default 2), one minute after the first attempt and two
 * minutes after the second, and an event that still fails (or outlives `maximumEventAgeSeconds`)
 * goes to the function's on-failure destination as an invocation record.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 *
 * EventBridge's own retry policy and dead-letter queue (`bus.deadLetters`) are for events the
 * bus could not hand to Lambda at all; once Lambda accepted an event, only these apply.
 */

/**
 * The function's asynchronous invocation settings (`aws_lambda_function_event_invoke_config`):
 * the manifest's `async`, defaults applied (`asyncInvocation` of libs/manifest).
 */
export type AsyncInvokeConfig = AsyncInvocation;

/** Lambda's waits before the retries of an asynchronous invocation: 1 minute, then 2. */
export function awsRetryDelayMs(retry: number): number {
  return retry * 60_000;
}

/**
 * The record Lambda sends an on-failure destination (the SQS message body of the function's
 * dead-letter queue), field for field as AWS documents it.
 */
export interface InvocationRecord {
  version: '1.0';
  /** When the record was sent, ISO 8601. */
  timestamp: string;
  requestContext: {
    /** The asynchronous invocation's request id: the same on every attempt. */
    requestId: string;
    functionArn: string;
    condition: 'RetriesExhausted' | 'EventAgeExceeded';
    approximateInvokeCount: number;
  };
  /** The event exactly as the function received it. */
  requestPayload: unknown;
  responseContext: { statusCode: 200; executedVersion: '$LATEST'; functionError: 'Unhandled' };
  /** What the last attempt's runtime reported. */
  responsePayload: { errorType: string; errorMessage: string; trace: string[] };
}

/** An invocation record as the function's dead-letter queue holds it. */
export interface FunctionDeadLetter {
  /** The function's name, e.g. `slipway-local-jobs-welcome-email`. */
  functionName: string;
  /** The queue the record went to (`<function>-dlq`, as the stacks name it). */
  queue: string;
  record: InvocationRecord;
}

/** How one asynchronous invocation ended: the summary's row. */
export interface AsyncInvocationOutcome {
  requestId: string;
  functionName: string;
  /** The EventBridge event id, when the event is an EventBridge envelope. */
  eventId?: string;
  outcome: 'succeeded' | 'dead-lettered';
  /** Attempts made, first included. */
  attempts: number;
  /** The function's result, when it succeeded. */
  result?: unknown;
  /** `errorType: errorMessage` of each failed attempt, in order. */
  errors: string[];
}

/** What the invoker needs of a function: {@link LocalLambda} or a test double. */
export interface AsyncTarget {
  functionName: string;
  functionArn: string;
  /** The function's dead-letter queue name. */
  queue: string;
  config: AsyncInvokeConfig;
  /**
   * One attempt; `requestId` is the same on every attempt of one invocation, and so is `trace`
   * (the caller's, e.g. the rule's `PutEvents`), as in AWS.
   */
  invoke(event: unknown, options: InvokeOptions & { requestId: string }): Promise<InvokeResult>;
}

/** Options of {@link AsyncInvoker}. */
export interface AsyncInvokerOptions {
  /**
   * Milliseconds to wait before retry `n` (1-based): AWS's {@link awsRetryDelayMs} by default;
   * tests and `npm start` pass `() => 0`.
   */
  retryDelayMs?: (retry: number) => number;
  /** The clock (event age, record timestamps). */
  now?: () => number;
}

/**
 * Runs asynchronous invocations with Lambda's retries and on-failure records, keeping every
 * outcome ({@link AsyncInvoker.invocations}) and every record sent to a dead-letter queue
 * ({@link AsyncInvoker.deadLetters}).
 *
 * @example
 * const invoker = new AsyncInvoker({ retryDelayMs: () => 0 });
 * await invoker.invoke(target, event);
 * invoker.deadLetters[0]?.record.responsePayload.errorMessage;
 */
export class AsyncInvoker {
  /** Every asynchronous invocation that ended, in the order they ended. */
  readonly invocations: AsyncInvocationOutcome[] = [];
  /** Invocation records sent to the functions' dead-letter queues, oldest first. */
  readonly deadLetters: FunctionDeadLetter[] = [];
  private readonly retryDelayMs: (retry: number) => number;
  private readonly now: () => number;

  constructor(options: AsyncInvokerOptions = {}) {
    this.retryDelayMs = options.retryDelayMs ?? awsRetryDelayMs;
    this.now = options.now ?? Date.now;
  }

  /**
   * Queues `event` for `target` and runs it to its end: resolves (never rejects) once it
   * succeeded or its record is in the dead-letter queue. Each attempt gets its own copy of the
   * event, so a function that mutates its input cannot change what the record holds. `trace`
   * is the caller's X-Ray trace (the event's `PutEvents` call); without it each attempt starts one.
   */
  async invoke(
    target: AsyncTarget,
    event: unknown,
    trace?: TraceContext,
  ): Promise<AsyncInvocationOutcome> {
    const requestId = randomUUID();
    const eventId = eventIdOf(event);
    const received = this.now();
    const original = structuredClone(event);
    const errors: string[] = [];
    const tries = 1 + target.config.maximumRetryAttempts;
    let last: Extract<InvokeResult, { ok: false }>['error'] | undefined;
    let condition: InvocationRecord['requestContext']['condition'] = 'RetriesExhausted';
    let attempts = 0;
    for (let attempt = 1; attempt <= tries; attempt++) {
      if (attempt > 1) {
        const delay = this.retryDelayMs(attempt - 1);
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        // Lambda drops an event that outlived its maximum age instead of retrying it.
        if (this.now() - received > target.config.maximumEventAgeSeconds * 1000) {
          condition = 'EventAgeExceeded';
          break;
        }
      }
      attempts = attempt;
      const result = await attemptOf(target, structuredClone(original), requestId, trace);
      if (result.ok) {
        const done: AsyncInvocationOutcome = {
          requestId,
          functionName: target.functionName,
          ...(eventId ? { eventId } : {}),
          outcome: 'succeeded',
          attempts,
          result: result.result,
          errors,
        };
        this.invocations.push(done);
        return done;
      }
      last = result.error;
      errors.push(`${result.error.errorType}: ${result.error.errorMessage}`);
    }
    this.deadLetters.push({
      functionName: target.functionName,
      queue: target.queue,
      record: {
        version: '1.0',
        timestamp: new Date(this.now()).toISOString(),
        requestContext: {
          requestId,
          functionArn: `${target.functionArn}:$LATEST`,
          condition,
          approximateInvokeCount: attempts,
        },
        requestPayload: original,
        responseContext: {
          statusCode: 200,
          executedVersion: '$LATEST',
          functionError: 'Unhandled',
        },
        responsePayload: {
          errorType: last?.errorType ?? 'Unknown',
          errorMessage: last?.errorMessage ?? '',
          trace: last?.trace ?? [],
        },
      },
    });
    const failed: AsyncInvocationOutcome = {
      requestId,
      functionName: target.functionName,
      ...(eventId ? { eventId } : {}),
      outcome: 'dead-lettered',
      attempts,
      errors,
    };
    this.invocations.push(failed);
    return failed;
  }
}

/**
 * The asynchronous target of a packaged function: its manifest's `async` settings and its
 * dead-letter queue `<function>-dlq`, the name the lambda-function module gives it.
 *
 * @throws {Error} when nothing invokes the function asynchronously (no `event` or `schedule` trigger).
 */
export function asyncTargetOf(
  lambda: Pick<LocalLambda, 'invoke'>,
  manifest: LambdaManifest,
  functionName: string,
  functionArn: string,
): AsyncTarget {
  const config = asyncInvocation(manifest);
  if (!config)
    throw new Error(
      `${manifest.name} has no event or schedule trigger, so nothing invokes it asynchronously: invoke it directly.`,
    );
  return {
    functionName,
    functionArn,
    queue: `${functionName}-dlq`,
    config,
    invoke: (event, options) => lambda.invoke(event, options),
  };
}

function eventIdOf(event: unknown): string | undefined {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The functions' dead-letter queues as the on-call engineer reads them: one line per record,
 * with the queue, the event's source, detail-type and id, the attempts and the reason.
 *
 * @example
 * describeDeadLetters(sandbox.deadLetters);
 * // slipway-local-jobs-welcome-email-dlq: slipway.sessions SessionConfirmed 1f0c… after 3 attempts: EventParseError: Invalid …
 */
export function describeDeadLetters(letters: readonly FunctionDeadLetter[]): string {
  if (!letters.length) return "Functions' dead-letter queues: empty";
  return [
    "Functions' dead-letter queues:",
    ...letters.map(({ queue, record }) => {
      const event = record.requestPayload as {
        source?: string;
        'detail-type'?: string;
        id?: string;
      };
      const what = [event.source, event['detail-type'], event.id].filter(Boolean).join(' ');
      return `  ${queue}: ${what || 'event'} after ${record.requestContext.approximateInvokeCount} attempts (${record.requestContext.condition}): ${record.responsePayload.errorType}: ${record.responsePayload.errorMessage}`;
    }),
  ].join('\n');
}

/**
 * One attempt; a function that could not even start (its process failed at init) counts as a
 * failed attempt, as in Lambda, rather than as a failure of the caller.
 */
async function attemptOf(
  target: AsyncTarget,
  event: unknown,
  requestId: string,
  trace: TraceContext | undefined,
): Promise<InvokeResult> {
  try {
    return await target.invoke(event, { requestId, ...(trace ? { trace } : {}) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return {
      ok: false,
      durationMs: 0,
      error: {
        errorType: e.name === 'Error' ? 'Runtime.InitError' : e.name,
        errorMessage: e.message,
        trace: String(e.stack ?? '').split('\n'),
      },
    };
  }
}
