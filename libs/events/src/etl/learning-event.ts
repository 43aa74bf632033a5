import * as z from 'zod';
import { isCalendarDate } from './common';

// The learning-activity events found in `raw/<source>/dt=YYYY-MM-DD/` exports (GitHub issue 5).

/** The learning-activity event types the platform knows, in their normalized (lower-case) form. */
export const LearningEventTypeSchema = z.enum([
  'lesson_started',
  'lesson_completed',
  'quiz_submitted',
  'video_progress',
]);
/** One of the four learning-activity event types. */
export type LearningEventType = z.infer<typeof LearningEventTypeSchema>;

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * An identifier as exports write it: surrounding whitespace is dropped, then it must not be empty
 * and must be well-formed Unicode. JSON may escape a lone UTF-16 surrogate (`"x\ud800"`), which
 * is a valid JS string but no Unicode text: UTF-8 (the staging Parquet) has no encoding for it,
 * so it would be written as U+FFFD and two distinct ids (`x\ud800`, `x\ufffd`) would merge, the
 * later one then dropped as a cross-object duplicate. Every id the curated tables dedupe or group
 * by (`event_id`, `user_id`, `course_id`) is this schema.
 */
const IdSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 chars')
  .refine(
    // `String.prototype.isWellFormed` (ES2024) without the es2024 lib: in a `u` regex a surrogate
    // pair is one code point, so `\p{Cs}` (category Surrogate) matches only lone surrogates.
    (value) => !LONE_SURROGATE.test(value),
    'must be well-formed Unicode, but holds a lone UTF-16 surrogate (an unpaired \\uD800-\\uDFFF escape), which would be stored as U+FFFD and merge with other ids; escape a character above U+FFFF as a full surrogate pair, or write it as UTF-8',
  );

/**
 * ISO-8601 date-time **with** a UTC offset or `Z`, normalized to UTC with millisecond precision
 * (`2026-03-01T08:15:00+02:00` → `2026-03-01T06:15:00.000Z`). A time without offset is refused:
 * it would be read in the time zone of whatever machine runs the ETL.
 */
export const OccurredAtSchema = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO-8601 date-time with a UTC offset or Z, e.g. 2026-03-01T08:15:00Z',
  })
  .refine((value) => isCalendarDate(value.slice(0, 10)), 'must be a real calendar date')
  .transform((value) => new Date(value).toISOString());

const LearningEventBase = {
  event_id: IdSchema,
  user_id: IdSchema,
  course_id: IdSchema,
  occurred_at: OccurredAtSchema,
};

/** A learner opened a lesson. */
export const LessonStartedEventSchema = z.object({
  ...LearningEventBase,
  event_type: z.literal('lesson_started'),
});
/** A learner finished a lesson. */
export const LessonCompletedEventSchema = z.object({
  ...LearningEventBase,
  event_type: z.literal('lesson_completed'),
});
/** A learner submitted a quiz; `score` is out of `max_score`. */
export const QuizSubmittedEventSchema = z
  .object({
    ...LearningEventBase,
    event_type: z.literal('quiz_submitted'),
    score: z.number().finite().nonnegative(),
    max_score: z.number().finite().positive(),
  })
  .refine((event) => event.score <= event.max_score, {
    path: ['score'],
    message: 'must not be greater than max_score',
  });
/** A learner watched part of a video; `seconds_watched` is the time watched in this event. */
export const VideoProgressEventSchema = z.object({
  ...LearningEventBase,
  event_type: z.literal('video_progress'),
  seconds_watched: z.number().finite().nonnegative(),
});

/** Lower-cases and trims `event_type` before the union picks a member, so `Lesson_Started ` is accepted. */
const normalizeEventType = (value: unknown) =>
  value &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  typeof (value as { event_type?: unknown }).event_type === 'string'
    ? {
        ...value,
        event_type: (value as { event_type: string }).event_type.trim().toLowerCase(),
      }
    : value;

/**
 * One learning-activity event, discriminated on `event_type`. Parsing normalizes it: ids
 * trimmed, `event_type` lower-cased, `occurred_at` in UTC (`...Z`). Unknown fields are dropped.
 *
 * @example
 * const event = LearningEventSchema.parse(JSON.parse(line));
 * if (event.event_type === 'quiz_submitted') ratio = event.score / event.max_score;
 */
export const LearningEventSchema = z.preprocess(
  normalizeEventType,
  z.discriminatedUnion('event_type', [
    LessonStartedEventSchema,
    LessonCompletedEventSchema,
    QuizSubmittedEventSchema,
    VideoProgressEventSchema,
  ]),
);
/** One normalized learning-activity event. */
export type LearningEvent = z.infer<typeof LearningEventSchema>;
