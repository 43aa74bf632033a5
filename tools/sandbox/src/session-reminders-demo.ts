import { sampleSessions, seedSessions } from './sample-sessions';
import type { Sandbox } from './sandbox';
import type { ScheduleFiring } from './schedules';

/** The reminder job's schedule in the sandbox. */
export const REMINDER_SCHEDULE = 'slipway-local-jobs-session-reminders-hourly';

/** What the reminder demo did: the sessions seeded, the firing, the reminders the bus got. */
export interface SessionRemindersDemoResult {
  firing: ScheduleFiring;
  seeded: { sessionId: string; startsAt: string; due: boolean }[];
  /** The `SendSessionReminder` events of this firing, in the order the bus got them. */
  reminders: { eventId: string; reminderId: string; title: string; startsAt: string }[];
}

/**
 * Seeds the sample sessions relative to `at` (default now), fires the hourly reminder schedule
 * at `at` and collects the `SendSessionReminder` events the run put on the bus.
 */
export async function runSessionRemindersDemo(
  sandbox: Sandbox,
  at = new Date(),
): Promise<SessionRemindersDemoResult> {
  const sessions = sampleSessions(at);
  await seedSessions(sandbox.dynamoDb, sessions);
  const firing = await sandbox.fire(REMINDER_SCHEDULE, { at });
  await sandbox.idle();
  return {
    firing,
    seeded: sessions.map(({ sessionId, startsAt, due }) => ({ sessionId, startsAt, due })),
    reminders: remindersOf(sandbox, firing),
  };
}

/** The `SendSessionReminder` events a firing's run put on the bus. */
export function remindersOf(
  sandbox: Pick<Sandbox, 'bus'>,
  firing: ScheduleFiring,
): SessionRemindersDemoResult['reminders'] {
  return sandbox.bus.events
    .filter((e) => e.detailType === 'SendSessionReminder')
    .map((e) => ({
      eventId: e.id,
      ...(e.detail as {
        reminderId: string;
        title: string;
        startsAt: string;
        scheduledTime: string;
      }),
    }))
    .filter((d) => d.scheduledTime === firing.scheduledTime)
    .map(({ eventId, reminderId, title, startsAt }) => ({ eventId, reminderId, title, startsAt }));
}

/** One firing as a person reads it: the schedule, its input, how Lambda's invocation ended. */
export function describeFiring(firing: ScheduleFiring): string {
  const invocation = firing.invocation;
  const lines = [
    `${firing.schedule} fired for ${firing.scheduledTime} → ${firing.functionName}: ${firing.outcome}` +
      (invocation ? ` after ${invocation.attempts} attempt(s)` : ''),
    `  input: ${JSON.stringify(firing.input)}`,
  ];
  for (const error of invocation?.errors ?? []) lines.push(`  attempt failed: ${error}`);
  const result = invocation?.result as
    { found?: number; published?: string[]; skipped?: string[]; invalid?: string[] } | undefined;
  if (result?.published)
    lines.push(
      `  found ${result.found}, published ${result.published.length}, skipped as already sent ${result.skipped?.length ?? 0}, invalid ${result.invalid?.length ?? 0}`,
    );
  return lines.join('\n');
}

/** The demo for `npm start`: the firing, then one line per reminder. */
export function describeSessionRemindersDemo(result: SessionRemindersDemoResult): string {
  return [
    describeFiring(result.firing),
    ...result.reminders.map(
      (r) => `  SendSessionReminder ${r.reminderId} "${r.title}" (event ${r.eventId})`,
    ),
  ].join('\n');
}

/**
 * What differs from the expected demo: the run succeeded, and the bus got one reminder per due
 * sample session (`<sessionId>@<startsAt>`), none for the others, none twice.
 */
export function sessionRemindersDemoProblems(result: SessionRemindersDemoResult): string[] {
  const problems: string[] = [];
  if (result.firing.outcome !== 'succeeded')
    problems.push(
      `the reminder run ended ${result.firing.outcome}: ${result.firing.invocation?.errors.at(-1) ?? 'never delivered'}`,
    );
  const expected = result.seeded.filter((s) => s.due).map((s) => `${s.sessionId}@${s.startsAt}`);
  const got = result.reminders.map((r) => r.reminderId);
  if (JSON.stringify(got) !== JSON.stringify(expected))
    problems.push(`reminders ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  return problems;
}
