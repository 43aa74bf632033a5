import * as z from 'zod';
import type { LambdaManifest } from './schema';

/**
 * Lambda's bounds for asynchronous invocation: 0–2 retries (default 2) of a failed invocation,
 * an event kept 60 s to 6 h (default 6 h) while it waits.
 * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html
 */
export const MAX_ASYNC_RETRY_ATTEMPTS = 2;
export const MIN_ASYNC_EVENT_AGE_SECONDS = 60;
export const MAX_ASYNC_EVENT_AGE_SECONDS = 21_600;

/**
 * How Lambda handles the asynchronous invocations of a function with `event` or `schedule`
 * triggers (EventBridge and Scheduler both invoke asynchronously): how often Lambda retries an
 * invocation that threw, and how long it keeps a queued event. When both are spent, Lambda sends
 * the invocation record (the original event and the error) to the function's own dead-letter
 * queue, its on-failure destination; there is no setting to turn that off.
 */
export const AsyncInvocationSchema = z.strictObject({
  maximumRetryAttempts: z
    .number({ error: `must be a whole number of retries from 0 to ${MAX_ASYNC_RETRY_ATTEMPTS}` })
    .int(`must be a whole number of retries from 0 to ${MAX_ASYNC_RETRY_ATTEMPTS}`)
    .min(0, `must be from 0 to ${MAX_ASYNC_RETRY_ATTEMPTS} retries`)
    .max(
      MAX_ASYNC_RETRY_ATTEMPTS,
      `must be at most ${MAX_ASYNC_RETRY_ATTEMPTS} retries (Lambda's maximum for asynchronous invocation)`,
    )
    .default(MAX_ASYNC_RETRY_ATTEMPTS),
  maximumEventAgeSeconds: z
    .number({
      error: `must be a whole number of seconds from ${MIN_ASYNC_EVENT_AGE_SECONDS} to ${MAX_ASYNC_EVENT_AGE_SECONDS}`,
    })
    .int(
      `must be a whole number of seconds from ${MIN_ASYNC_EVENT_AGE_SECONDS} to ${MAX_ASYNC_EVENT_AGE_SECONDS}`,
    )
    .min(
      MIN_ASYNC_EVENT_AGE_SECONDS,
      `must be at least ${MIN_ASYNC_EVENT_AGE_SECONDS} seconds (Lambda's minimum)`,
    )
    .max(
      MAX_ASYNC_EVENT_AGE_SECONDS,
      `must be at most ${MAX_ASYNC_EVENT_AGE_SECONDS} seconds (6 h, Lambda's maximum)`,
    )
    .default(MAX_ASYNC_EVENT_AGE_SECONDS),
});

/** A function's asynchronous invocation settings, defaults applied. */
export type AsyncInvocation = z.output<typeof AsyncInvocationSchema>;

/** The trigger kinds whose invoker calls the function asynchronously. */
export const ASYNC_TRIGGER_TYPES: readonly string[] = ['event', 'schedule'];

/**
 * The asynchronous invocation settings the stacks and the sandbox apply to a function: its
 * manifest's `async` (defaults 2 retries, 6 h) when it has an `event` or `schedule` trigger,
 * `undefined` when nothing invokes it asynchronously.
 *
 * @example asyncInvocation(worker) // { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21600 }
 */
export function asyncInvocation(
  manifest: Pick<LambdaManifest, 'triggers' | 'async'>,
): AsyncInvocation | undefined {
  if (!manifest.triggers.some((t) => ASYNC_TRIGGER_TYPES.includes(t.type))) return undefined;
  return (
    manifest.async ?? {
      maximumRetryAttempts: MAX_ASYNC_RETRY_ATTEMPTS,
      maximumEventAgeSeconds: MAX_ASYNC_EVENT_AGE_SECONDS,
    }
  );
}
