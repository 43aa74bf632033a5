import {
  JOBS_EVENT_SOURCE,
  SEND_SESSION_REMINDER,
  type SendSessionReminderDetail,
  type SessionItem,
} from '@slipway/events';
import { JobsConfigurationError, JobsError } from './errors';

/**
 * The `sessions` table's index by start hour (libs/manifest TABLES: hash `startHour`, range
 * `startsAt`). Named here rather than imported so the Lambda bundle does not carry the manifest
 * lib; a unit test holds it to the declaration.
 */
export const SESSIONS_BY_START_HOUR_INDEX = 'by-start-hour';

/** How far ahead the job looks: the sessions starting in [t, t + 1 h). */
export const REMINDER_WINDOW_MS = 3600_000;

/**
 * PutEvents takes at most 10 entries per call.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** Tries of one entry in all (the first and three retries of its failed entries) before the run fails. */
export const REMINDER_PUT_ATTEMPTS = 4;

/**
 * Exponential backoff with full jitter between retries of failed entries: the n-th retry waits a
 * random time in [0, min(cap, base × 2ⁿ⁻¹)), so runs retrying at once spread out.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export const REMINDER_BACKOFF = { baseMs: 100, capMs: 2000 } as const;

/** One Query of the index: the partition of one UTC hour and the bound inside it. */
export interface HourQuery {
  /** `YYYY-MM-DDTHH`, the index's hash key. */
  readonly startHour: string;
  /** `>=` from the window's start (its first hour) or `<` its end (the hour after). */
  readonly bound: { readonly op: '>=' | '<'; readonly startsAt: string };
}

/** The hour the job looks at and the Queries that cover it. */
export interface ReminderWindow {
  /** Inclusive start, `YYYY-MM-DDTHH:MM:SS.sssZ`. */
  readonly from: string;
  /** Exclusive end, one hour later. */
  readonly to: string;
  /** One Query when `from` is on the hour, two when the window spans two hour partitions. */
  readonly queries: readonly HourQuery[];
}

/** The table's spelling of an instant (`toISOString`: UTC, milliseconds). */
const utc = (ms: number) => new Date(ms).toISOString();

/**
 * The window [t, t + 1 h) of the run scheduled at `scheduledTime` and the Queries of the
 * `by-start-hour` index that cover it: the hour partition of t from t on, and, when t is not on
 * the hour, the next hour's partition up to t + 1 h. A session is in exactly one hourly run's
 * window, since the hourly runs' windows tile the timeline.
 *
 * @example
 * reminderWindow('2026-12-02T09:30:00Z').queries;
 * // [{ startHour: '2026-12-02T09', bound: { op: '>=', startsAt: '2026-12-02T09:30:00.000Z' } },
 * //  { startHour: '2026-12-02T10', bound: { op: '<', startsAt: '2026-12-02T10:30:00.000Z' } }]
 */
export function reminderWindow(scheduledTime: string): ReminderWindow {
  const t = Date.parse(scheduledTime);
  if (Number.isNaN(t))
    throw new JobsError(`scheduledTime "${scheduledTime}" is not an ISO 8601 date and time`);
  const from = utc(t);
  const to = utc(t + REMINDER_WINDOW_MS);
  const queries: HourQuery[] = [
    { startHour: from.slice(0, 13), bound: { op: '>=', startsAt: from } },
  ];
  if (from.slice(14) !== '00:00.000Z')
    queries.push({ startHour: to.slice(0, 13), bound: { op: '<', startsAt: to } });
  return { from, to, queries };
}

/**
 * The reminder's id: the same for every run that finds this session at this start time
 * (`<sessionId>@<startsAt>`), a new one when the session moves. It is the dedupe key of the
 * job's marks and of the consumers.
 */
export function reminderIdOf(session: Pick<SessionItem, 'sessionId' | 'startsAt'>): string {
  return `${session.sessionId}@${session.startsAt}`;
}

/** The `detail` of the session's `SendSessionReminder`. */
export function reminderDetail(
  session: SessionItem,
  scheduledTime: string,
): SendSessionReminderDetail {
  return {
    reminderId: reminderIdOf(session),
    sessionId: session.sessionId,
    title: session.title,
    startsAt: session.startsAt,
    scheduledTime,
  };
}

/** The PutEvents entry of one reminder on `busName`. */
export function reminderEntry(detail: SendSessionReminderDetail, busName: string) {
  return {
    EventBusName: busName,
    Source: JOBS_EVENT_SOURCE,
    DetailType: SEND_SESSION_REMINDER,
    Detail: JSON.stringify(detail),
  };
}

/** `items` in consecutive groups of at most `size` (the last one shorter). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/**
 * How long to wait before retry number `retry` (1-based) of the failed entries: full jitter over
 * {@link REMINDER_BACKOFF}.
 *
 * @param random a number in [0, 1), `Math.random` in the Lambda.
 */
export function backoffDelayMs(retry: number, random: () => number): number {
  const ceiling = Math.min(REMINDER_BACKOFF.capMs, REMINDER_BACKOFF.baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Where the reminder job reads and publishes. */
export interface SessionRemindersConfig {
  /** The platform bus (`BUS_PLATFORM`, from `publish bus:platform`). */
  readonly busName: string;
  /** The sessions table (`TABLE_SESSIONS`, from `read`/`write table:sessions`). */
  readonly tableName: string;
}

/**
 * The reminder job's configuration from its environment.
 *
 * @throws {JobsConfigurationError} naming the missing variable and the manifest intent that sets it.
 */
export function sessionRemindersConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): SessionRemindersConfig {
  const need = (name: string, intent: string) => {
    const value = env[name]?.trim();
    if (!value)
      throw new JobsConfigurationError(
        `${name} is missing: it is set from the manifest's "${intent}" permission; add the permission or set the variable.`,
      );
    return value;
  };
  return {
    busName: need('BUS_PLATFORM', 'publish bus:platform'),
    tableName: need('TABLE_SESSIONS', 'read table:sessions'),
  };
}
