import { randomUUID } from 'node:crypto';
import { type LambdaManifest, scheduleResourceName, type ScheduleTrigger } from '@slipway/manifest';
import type { AsyncInvocationOutcome, AsyncInvoker, AsyncTarget } from './async-invoke';

/**
 * The manifests' `schedule` triggers as local EventBridge Scheduler schedules. Nothing fires on a
 * clock locally (a sandbox run lasts minutes, an hourly cron would rarely come round): a schedule
 * fires when asked (`sandbox.fire(name, { at })`, `npm run sandbox -- --fire <name>`), and then
 * does what Scheduler does at its time:
 *
 * 1. the target input is the trigger's static `input` with Scheduler's context attributes
 *    replaced (`<aws.scheduler.scheduled-time>` by the fire time to the second, as
 *    `2026-12-02T09:00:00Z`; `<aws.scheduler.schedule-arn>`, `<aws.scheduler.execution-id>`,
 *    `<aws.scheduler.attempt-number>`);
 * 2. Scheduler invokes the function asynchronously (`InvocationType: Event`): once Lambda has the
 *    event, Lambda's retries (the manifest's `async`) and the function's dead-letter queue apply
 *    ({@link AsyncInvoker}, shared with the bus's rules);
 * 3. only a delivery Lambda did not accept (no such function locally) is Scheduler's to retry,
 *    `retry.maximumAttempts` times, before its message lands in the schedule's own dead-letter
 *    queue ({@link LocalScheduler.deadLetters}).
 *
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
 */

/** One schedule of a manifest, with its local name. */
export interface LocalSchedule {
  /** `slipway-local-<lambda>-<name>`: the name the stacks give it, with the local environment. */
  name: string;
  /** The function it invokes, e.g. `slipway-local-jobs-session-reminders`. */
  functionName: string;
  manifest: LambdaManifest;
  trigger: ScheduleTrigger;
}

/** How one firing ended. */
export interface ScheduleFiring {
  schedule: string;
  functionName: string;
  /** The context attribute's value, e.g. `2026-12-02T09:00:00Z`. */
  scheduledTime: string;
  executionId: string;
  /** What the function received. */
  input: unknown;
  /** `undelivered`: Lambda never got the event (it is in the schedule's dead-letter queue). */
  outcome: AsyncInvocationOutcome['outcome'] | 'undelivered';
  /** Lambda's asynchronous invocation: attempts, errors, the result. */
  invocation?: AsyncInvocationOutcome;
}

/** A message of a schedule's dead-letter queue: the input, and why Scheduler gave up. */
export interface ScheduleDeadLetter {
  schedule: string;
  input: unknown;
  /** Scheduler's message attributes (`ERROR_CODE`, `ERROR_MESSAGE`, `EXECUTION_ID`, …). */
  attributes: Record<string, string>;
}

/** The context attributes Scheduler replaces in a target's input. */
const CONTEXT = {
  scheduleArn: '<aws.scheduler.schedule-arn>',
  scheduledTime: '<aws.scheduler.scheduled-time>',
  executionId: '<aws.scheduler.execution-id>',
  attemptNumber: '<aws.scheduler.attempt-number>',
} as const;

/**
 * Every `schedule` trigger of `manifests`, named as in the stacks (`scheduleResourceName`).
 *
 * @example localSchedules(manifests, 'local')[0].name // 'slipway-local-jobs-session-reminders-hourly'
 */
export function localSchedules(
  manifests: readonly LambdaManifest[],
  environment: string,
  prefix = 'slipway',
): LocalSchedule[] {
  return manifests.flatMap((manifest) =>
    manifest.triggers
      .filter((t): t is ScheduleTrigger => t.type === 'schedule')
      .map((trigger) => ({
        name: scheduleResourceName(prefix, environment, manifest.name, trigger.name),
        functionName: `${prefix}-${environment}-${manifest.name}`,
        manifest,
        trigger,
      })),
  );
}

/**
 * The trigger's input with Scheduler's context attributes replaced. Scheduler substitutes them in
 * the input's JSON text, so they may stand anywhere inside a string value.
 */
export function scheduleInput(
  input: Record<string, unknown>,
  context: { scheduleArn: string; scheduledTime: string; executionId: string; attempt: number },
): unknown {
  const text = JSON.stringify(input)
    .replaceAll(CONTEXT.scheduleArn, context.scheduleArn)
    .replaceAll(CONTEXT.scheduledTime, context.scheduledTime)
    .replaceAll(CONTEXT.executionId, context.executionId)
    .replaceAll(CONTEXT.attemptNumber, String(context.attempt));
  return JSON.parse(text) as unknown;
}

/** `2026-12-02T09:00:00.000Z` → `2026-12-02T09:00:00Z`: Scheduler's scheduled time, to the second. */
export function scheduledTimeOf(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** Options of {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  schedules: readonly LocalSchedule[];
  /** Lambda's asynchronous invocation (shared with the bus's rules). */
  invoker: AsyncInvoker;
  /** The schedule's function as an asynchronous target; `undefined` when it does not exist. */
  target(schedule: LocalSchedule): AsyncTarget | undefined;
  region: string;
  accountId: string;
}

/** The sandbox's schedules, fired by name. */
export class LocalScheduler {
  /** Every firing that ended, in the order they ended. */
  readonly firings: ScheduleFiring[] = [];
  /** Messages in the schedules' dead-letter queues. */
  readonly deadLetters: ScheduleDeadLetter[] = [];
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: LocalSchedulerOptions) {}

  /** The schedules, by local name. */
  get schedules(): readonly LocalSchedule[] {
    return this.options.schedules;
  }

  /**
   * Fires `name` (the full name, or without the `slipway-local-` prefix) as Scheduler would at
   * `at` (default now) and resolves once the invocation has ended: succeeded, or its record in
   * the function's (or the schedule's) dead-letter queue.
   *
   * @throws {Error} for an unknown schedule, listing the ones there are.
   */
  fire(name: string, options: { at?: Date } = {}): Promise<ScheduleFiring> {
    const schedule = this.find(name);
    const run = this.run(schedule, options.at ?? new Date());
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
    return run;
  }

  /** Waits until every firing started so far has ended. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private find(name: string): LocalSchedule {
    const schedule = this.options.schedules.find(
      (s) => s.name === name || s.name.replace(/^slipway-[a-z0-9]+-/, '') === name,
    );
    if (schedule) return schedule;
    const known = this.options.schedules.map((s) => s.name);
    throw new Error(
      `No schedule named ${name}: ${known.length ? `the manifests declare ${known.join(', ')}` : 'no manifest declares a schedule trigger'}. ` +
        'Fire one of those (the full name or without "slipway-local-").',
    );
  }

  private async run(schedule: LocalSchedule, at: Date): Promise<ScheduleFiring> {
    const { region, accountId } = this.options;
    const scheduleArn = `arn:aws:scheduler:${region}:${accountId}:schedule/default/${schedule.name}`;
    const executionId = randomUUID();
    const scheduledTime = scheduledTimeOf(at);
    const input = scheduleInput(schedule.trigger.input, {
      scheduleArn,
      scheduledTime,
      executionId,
      attempt: 1,
    });
    const base = { schedule: schedule.name, functionName: schedule.functionName, scheduledTime };
    const target = this.options.target(schedule);
    if (!target) {
      // Scheduler retries a delivery it could not make, then gives the schedule's queue the input.
      const attempts = 1 + schedule.trigger.retry.maximumAttempts;
      this.deadLetters.push({
        schedule: schedule.name,
        input,
        attributes: {
          ERROR_CODE: 'ResourceNotFoundException',
          ERROR_MESSAGE: `Function not found: ${schedule.functionName}`,
          EXECUTION_ID: executionId,
          SCHEDULE_ARN: scheduleArn,
          TARGET_ARN: `arn:aws:lambda:${region}:${accountId}:function:${schedule.functionName}`,
          RETRY_ATTEMPTS: String(attempts - 1),
        },
      });
      const firing: ScheduleFiring = { ...base, executionId, input, outcome: 'undelivered' };
      this.firings.push(firing);
      return firing;
    }
    const invocation = await this.options.invoker.invoke(target, input);
    const firing: ScheduleFiring = {
      ...base,
      executionId,
      input,
      outcome: invocation.outcome,
      invocation,
    };
    this.firings.push(firing);
    return firing;
  }
}
