import * as z from 'zod';
import { eventBridgeEventSchema } from './eventbridge-event';

/** `source` of the sessions service's events on the platform bus. */
export const SESSIONS_EVENT_SOURCE = 'slipway.sessions';
/** `detail-type` of a booking confirmation. */
export const SESSION_CONFIRMED = 'SessionConfirmed';

/**
 * `detail` of `SessionConfirmed`: a learner's booking of a live session was confirmed. The
 * welcome-email worker writes to `learner.email` with the session's title and start time.
 */
export const SessionConfirmedDetailSchema = z.object({
  sessionId: z.string().min(1),
  bookingId: z.string().min(1),
  learner: z.object({
    userId: z.string().min(1),
    email: z.email(),
    name: z.string().min(1).max(200),
    /** BCP 47 language tag for the email, e.g. `fr-FR`; `en` when absent. */
    locale: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language tag such as en or fr-FR')
      .optional(),
  }),
  session: z.object({
    title: z.string().min(1).max(200),
    /** Start, ISO 8601 with an offset. */
    startsAt: z.iso.datetime({ offset: true }),
    /** IANA time zone the learner sees the time in, e.g. `Europe/Paris`. */
    timeZone: z.string().min(1),
    joinUrl: z.url({ protocol: /^https$/ }),
  }),
});
/** `detail` of `SessionConfirmed`. */
export type SessionConfirmedDetail = z.infer<typeof SessionConfirmedDetailSchema>;

/** The `SessionConfirmed` event as the welcome-email worker receives it from its rule. */
export const SessionConfirmedEventSchema = eventBridgeEventSchema(
  SESSION_CONFIRMED,
  SessionConfirmedDetailSchema,
);
/** The `SessionConfirmed` event. */
export type SessionConfirmedEvent = z.infer<typeof SessionConfirmedEventSchema>;
