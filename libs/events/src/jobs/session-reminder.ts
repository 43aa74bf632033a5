import * as z from 'zod';
import { eventBridgeEventSchema } from './eventbridge-event';

/** `source` of the events the jobs domain publishes on the platform bus. */
export const JOBS_EVENT_SOURCE = 'slipway.jobs';
/** `detail-type` of a reminder that a session starts within the hour. */
export const SEND_SESSION_REMINDER = 'SendSessionReminder';

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UTC_HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}$/;

/**
 * An instant in UTC as `Date.prototype.toISOString` writes it, `YYYY-MM-DDTHH:MM:SS.sssZ`: the
 * one spelling the sessions table stores. DynamoDB compares string sort keys byte by byte, so a
 * range query on `startsAt` is only right when every item writes the instant the same way
 * (`…:00Z` would sort after `…:00.000Z`, and `+01:00` offsets in another hour).
 */
export const UtcInstantSchema = z
  .string()
  .regex(
    UTC_INSTANT,
    'must be a UTC instant as toISOString writes it, e.g. "2026-12-02T09:30:00.000Z"',
  )
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real date and time');

/**
 * An item of the `sessions` table (libs/manifest TABLES: key `sessionId`, GSI `by-start-hour`
 * on `startHour` + `startsAt`), as the sessions service writes it and the reminder job reads it.
 * `reminderId` and `remindedAt` are the job's own marks: the reminder last published for the
 * session, so a re-run of the same hour skips it (libs/jobs README, "Session reminders").
 */
export const SessionItemSchema = z
  .object({
    sessionId: z.string().min(1).max(200),
    /** The UTC hour of `startsAt`, `YYYY-MM-DDTHH`: the GSI's partition. */
    startHour: z.string().regex(UTC_HOUR, 'must be the UTC hour, e.g. "2026-12-02T09"'),
    startsAt: UtcInstantSchema,
    title: z.string().min(1).max(200),
    reminderId: z.string().min(1).optional(),
    remindedAt: z.iso.datetime().optional(),
  })
  .refine(
    // Only when both are well-formed: a malformed one has its own issue already.
    (item) =>
      !(UTC_INSTANT.test(item.startsAt) && UTC_HOUR.test(item.startHour)) ||
      item.startsAt.startsWith(item.startHour),
    {
      path: ['startHour'],
      message: 'must be the first 13 characters of startsAt (its UTC hour)',
    },
  );
/** An item of the `sessions` table. */
export type SessionItem = z.infer<typeof SessionItemSchema>;

/**
 * What the hourly schedule hands the reminder job: its manifest's `input`
 * `{"scheduledTime": "<aws.scheduler.scheduled-time>"}`, which EventBridge Scheduler fills with
 * the invocation's scheduled time (the same on a retry of that invocation, so a retried run
 * looks at the same hour).
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
 */
export const SessionReminderScheduleInputSchema = z.strictObject({
  scheduledTime: z.iso.datetime({ offset: true }),
});
/** The schedule's input. */
export type SessionReminderScheduleInput = z.infer<typeof SessionReminderScheduleInputSchema>;

/**
 * `detail` of `SendSessionReminder`: one session starts within the hour. No roster and no
 * contact data: the consumer resolves who booked the session from the sessions service, so the
 * bus carries no PII and an entry stays far below PutEvents' 256 KB. `reminderId` is the same on
 * every publication of this reminder (`<sessionId>@<startsAt>`): EventBridge gives each
 * publication its own event id, so consumers dedupe on `reminderId`.
 */
export const SendSessionReminderDetailSchema = z.object({
  reminderId: z.string().min(1),
  sessionId: z.string().min(1),
  title: z.string().min(1).max(200),
  startsAt: UtcInstantSchema,
  /** The schedule run that found it (its scheduled time). */
  scheduledTime: z.iso.datetime({ offset: true }),
});
/** `detail` of `SendSessionReminder`. */
export type SendSessionReminderDetail = z.infer<typeof SendSessionReminderDetailSchema>;

/** The `SendSessionReminder` event as a subscriber's rule delivers it. */
export const SendSessionReminderEventSchema = eventBridgeEventSchema(
  SEND_SESSION_REMINDER,
  SendSessionReminderDetailSchema,
);
/** The `SendSessionReminder` event. */
export type SendSessionReminderEvent = z.infer<typeof SendSessionReminderEventSchema>;
