import { join, resolve } from 'node:path';
import { loadManifest } from '@slipway/manifest';
import { AsyncInvoker, type AsyncTarget } from '../../src/async-invoke';
import {
  LocalScheduler,
  localSchedules,
  scheduledTimeOf,
  scheduleInput,
} from '../../src/schedules';

// The local Scheduler over the reminder job's real manifest, with a scripted function:
// names, context attributes, asynchronous invocation, and the schedule's own dead-letter queue.

const root = resolve(__dirname, '../../../..');
const MANIFEST = loadManifest(join(root, 'apps/jobs-session-reminders/lambda.manifest.json'), root);
const AT = new Date('2026-12-02T09:00:00.250Z');

function scheduler(target: AsyncTarget | undefined) {
  return new LocalScheduler({
    schedules: localSchedules([MANIFEST], 'local'),
    invoker: new AsyncInvoker({ retryDelayMs: () => 0 }),
    target: () => target,
    region: 'eu-west-1',
    accountId: '000000000000',
  });
}

/** A function answering `ok` on attempt `succeedOn` (never when 0), recording its events. */
function fn(succeedOn: number) {
  const events: unknown[] = [];
  const target: AsyncTarget = {
    functionName: 'slipway-local-jobs-session-reminders',
    functionArn:
      'arn:aws:lambda:eu-west-1:000000000000:function:slipway-local-jobs-session-reminders',
    queue: 'slipway-local-jobs-session-reminders-dlq',
    config: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 },
    invoke: async (event) => {
      events.push(event);
      return events.length === succeedOn
        ? { ok: true, durationMs: 1, result: { published: [] } }
        : {
            ok: false,
            durationMs: 1,
            error: { errorType: 'ReminderPublishError', errorMessage: 'down', trace: [] },
          };
    },
  };
  return { target, events };
}

describe('local schedules', () => {
  it('names each schedule trigger as the stacks do', () => {
    expect(localSchedules([MANIFEST], 'local').map((s) => [s.name, s.functionName])).toEqual([
      ['slipway-local-jobs-session-reminders-hourly', 'slipway-local-jobs-session-reminders'],
    ]);
  });

  it("writes the scheduled time to the second, as Scheduler's context attribute", () => {
    expect(scheduledTimeOf(AT)).toBe('2026-12-02T09:00:00Z');
  });

  it('replaces every context attribute wherever it stands in a string', () => {
    expect(
      scheduleInput(
        {
          scheduledTime: '<aws.scheduler.scheduled-time>',
          note: 'run <aws.scheduler.execution-id> try <aws.scheduler.attempt-number>',
          nested: { arn: '<aws.scheduler.schedule-arn>', n: 3 },
        },
        {
          scheduleArn: 'arn:aws:scheduler:eu-west-1:000000000000:schedule/default/s',
          scheduledTime: '2026-12-02T09:00:00Z',
          executionId: 'exec-1',
          attempt: 1,
        },
      ),
    ).toEqual({
      scheduledTime: '2026-12-02T09:00:00Z',
      note: 'run exec-1 try 1',
      nested: { arn: 'arn:aws:scheduler:eu-west-1:000000000000:schedule/default/s', n: 3 },
    });
  });
});

describe('LocalScheduler', () => {
  it('fires by full or short name with the input filled, retried by Lambda until it succeeds', async () => {
    // Prepare: the function fails once
    const { target, events } = fn(2);
    const local = scheduler(target);

    // Act
    const firing = await local.fire('jobs-session-reminders-hourly', { at: AT });

    // Assess
    expect(events).toEqual([
      { scheduledTime: '2026-12-02T09:00:00Z' },
      { scheduledTime: '2026-12-02T09:00:00Z' },
    ]);
    expect(firing).toMatchObject({
      schedule: 'slipway-local-jobs-session-reminders-hourly',
      scheduledTime: '2026-12-02T09:00:00Z',
      outcome: 'succeeded',
      invocation: { attempts: 2, errors: ['ReminderPublishError: down'] },
    });
    expect(local.firings).toEqual([firing]);
  });

  it('ends in the function dead-letter queue after Lambda retries', async () => {
    const { target } = fn(0);
    const local = scheduler(target);

    const firing = await local.fire('slipway-local-jobs-session-reminders-hourly', { at: AT });

    expect(firing).toMatchObject({ outcome: 'dead-lettered', invocation: { attempts: 3 } });
    expect(local.deadLetters).toEqual([]);
  });

  it("puts an event Lambda never received in the schedule's dead-letter queue", async () => {
    // Prepare: no such function locally
    const local = scheduler(undefined);

    // Act
    const firing = await local.fire('jobs-session-reminders-hourly', { at: AT });

    // Assess
    expect(firing.outcome).toBe('undelivered');
    expect(local.deadLetters).toEqual([
      {
        schedule: 'slipway-local-jobs-session-reminders-hourly',
        input: { scheduledTime: '2026-12-02T09:00:00Z' },
        attributes: {
          ERROR_CODE: 'ResourceNotFoundException',
          ERROR_MESSAGE: 'Function not found: slipway-local-jobs-session-reminders',
          EXECUTION_ID: firing.executionId,
          SCHEDULE_ARN:
            'arn:aws:scheduler:eu-west-1:000000000000:schedule/default/slipway-local-jobs-session-reminders-hourly',
          TARGET_ARN:
            'arn:aws:lambda:eu-west-1:000000000000:function:slipway-local-jobs-session-reminders',
          RETRY_ATTEMPTS: '3',
        },
      },
    ]);
  });

  it('names the schedules there are for an unknown one', () => {
    expect(() => scheduler(undefined).fire('nightly')).toThrow(
      'No schedule named nightly: the manifests declare slipway-local-jobs-session-reminders-hourly. Fire one of those (the full name or without "slipway-local-").',
    );
  });
});
