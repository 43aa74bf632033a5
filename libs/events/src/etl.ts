import { z } from 'zod';

// Schemas of the analytics ETL flow (GitHub issue 5): the learning-activity events found in
// `raw/<source>/dt=YYYY-MM-DD/` exports, and the payloads passed between the flow's states
// (ListPartitions → Map(Transform) → Aggregate → Publish → Reconcile → EtlCompleted).

/** `YYYY-MM-DD`, a real calendar day (no 2026-02-30). */
export const PartitionDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real calendar date');
/** A partition day, `YYYY-MM-DD` (UTC). */
export type PartitionDate = z.infer<typeof PartitionDateSchema>;

/** The learning-activity event types the platform knows, in their normalized (lower-case) form. */
export const LearningEventTypeSchema = z.enum([
  'lesson_started',
  'lesson_completed',
  'quiz_submitted',
  'video_progress',
]);
/** One of the four learning-activity event types. */
export type LearningEventType = z.infer<typeof LearningEventTypeSchema>;

/** An identifier as exports write it: surrounding whitespace is dropped, then it must not be empty. */
const IdSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 chars');

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

/** Why Transform refused one row; the quarantine file carries it beside the row. */
export const RowRejectionCodeSchema = z.enum([
  /** The line is not one JSON object. */
  'MALFORMED_JSON',
  /** Parsed, but does not match {@link LearningEventSchema}. */
  'SCHEMA',
  /** `occurred_at` is after the time the ETL ran. */
  'FUTURE_TIMESTAMP',
  /** `occurred_at` is on another UTC day than the partition's `dt=`. */
  'OUTSIDE_PARTITION',
  /** The row's bytes are not valid UTF-8. */
  'NOT_UTF8',
  /** The line is longer than the configured maximum; only its start is kept. */
  'LINE_TOO_LONG',
  /** A CSV row has more or fewer fields than the header. */
  'CSV_COLUMN_COUNT',
  /** csv-parse could not read the row (for example an unclosed quote). */
  'CSV_MALFORMED',
]);
/** Why one row was refused. */
export type RowRejectionCode = z.infer<typeof RowRejectionCodeSchema>;

/**
 * One line of a quarantine file (`quarantine/<source>/dt=.../<object>.rejected.ndjson`).
 * `raw` is the row as text (invalid UTF-8 replaced by U+FFFD, long lines cut);
 * `rawBase64` keeps the exact bytes when they were not valid UTF-8.
 */
export const QuarantinedRowSchema = z.object({
  /** 1-based physical line of the row in the (decompressed) object. */
  line: z.number().int().positive(),
  code: RowRejectionCodeSchema,
  error: z.string().min(1),
  raw: z.string(),
  rawBase64: z.string().optional(),
});
/** One quarantined row. */
export type QuarantinedRow = z.infer<typeof QuarantinedRowSchema>;

/** Why Transform could not read an object at all; the whole object is quarantined. */
export const ObjectErrorCodeSchema = z.enum([
  /** The gzip stream ends before its trailer. */
  'TRUNCATED_GZIP',
  /** The bytes start like gzip but do not inflate. */
  'CORRUPT_GZIP',
  /** Reading the object failed (stream error, access denied, ...). */
  'UNREADABLE',
  /** A CSV header lacks a required column. */
  'CSV_HEADER',
]);
/** Why an object could not be read. */
export type ObjectErrorCode = z.infer<typeof ObjectErrorCodeSchema>;

/** Input of `ListPartitions`: which day of which bucket to process. */
export const ListPartitionsInputSchema = z.object({
  bucket: z.string().min(3).max(63),
  date: PartitionDateSchema,
  /** Limit to one `raw/<source>/`; every source when absent. */
  source: z.string().min(1).optional(),
  runId: z.string().min(1).optional(),
});
/** Input of `ListPartitions`. */
export type ListPartitionsInput = z.infer<typeof ListPartitionsInputSchema>;

/** Input of one `Transform` (one Map iteration): one raw object of the day. */
export const TransformInputSchema = z.object({
  bucket: z.string().min(3).max(63),
  key: z.string().min(1).max(1024),
  date: PartitionDateSchema,
  runId: z.string().min(1).optional(),
  /**
   * The run's "now", fixed once by ListPartitions: rows after it are rejected as future. The
   * same instant for every object and every retry, so a rerun of one object decides the same.
   */
  asOf: z.iso.datetime({ offset: true }).optional(),
});
/** Input of `Transform`. */
export type TransformInput = z.infer<typeof TransformInputSchema>;

/** Output of `ListPartitions`: the day's raw objects, sorted by key. */
export const ListPartitionsOutputSchema = z.object({
  date: PartitionDateSchema,
  objects: z.array(TransformInputSchema),
});
/** Output of `ListPartitions`. */
export type ListPartitionsOutput = z.infer<typeof ListPartitionsOutputSchema>;

/**
 * What Transform did with one object's rows. Always `input = valid + rejected + duplicates`:
 * `input` counts non-blank rows (NDJSON lines, CSV records after the header).
 */
export const TransformCountsSchema = z.object({
  input: z.number().int().nonnegative(),
  valid: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  /** Repeats of an `event_id` already seen earlier in the same object (the first one is kept). */
  duplicates: z.number().int().nonnegative(),
});
/** Row counts of one object. */
export type TransformCounts = z.infer<typeof TransformCountsSchema>;

/** Output of one `Transform`. Small on purpose: S3 keys and counts, never rows. */
export const TransformOutputSchema = z.object({
  key: z.string().min(1),
  counts: TransformCountsSchema,
  /** Parquet file of the valid rows, when any. */
  stagingKey: z.string().min(1).optional(),
  /** NDJSON of rejected rows, or the copy of the whole object after an object error. */
  quarantineKey: z.string().min(1).optional(),
  /** Set when the object could not be read at all; its counts are then all zero. */
  objectError: z.object({ code: ObjectErrorCodeSchema, message: z.string().min(1) }).optional(),
});
/** Output of `Transform`. */
export type TransformOutput = z.infer<typeof TransformOutputSchema>;

/** Names of the curated tables. */
export const CuratedTableNameSchema = z.enum(['course_daily', 'learner_progress']);
/** Name of a curated table. */
export type CuratedTableName = z.infer<typeof CuratedTableNameSchema>;

/** Day-level counts of `Aggregate`. `events + crossObjectDuplicates` = the sum of `valid` of every object. */
export const AggregateCountsSchema = z.object({
  stagingFiles: z.number().int().nonnegative(),
  /** Rows read from staging. */
  stagingRows: z.number().int().nonnegative(),
  /** Distinct events aggregated. */
  events: z.number().int().nonnegative(),
  /** Staging rows dropped because an earlier staging file already had their `event_id`. */
  crossObjectDuplicates: z.number().int().nonnegative(),
});
/** Day-level counts of `Aggregate`. */
export type AggregateCounts = z.infer<typeof AggregateCountsSchema>;

/** One table Aggregate wrote to its work area, waiting for Publish. */
export const AggregatedTableSchema = z.object({
  table: CuratedTableNameSchema,
  key: z.string().min(1),
  rows: z.number().int().nonnegative(),
});

/** Output of `Aggregate`. */
export const AggregateOutputSchema = z.object({
  date: PartitionDateSchema,
  tables: z.array(AggregatedTableSchema),
  counts: AggregateCountsSchema,
});
/** Output of `Aggregate`. */
export type AggregateOutput = z.infer<typeof AggregateOutputSchema>;

/** One published curated file, as listed in `_manifest.json`. */
export const PublishedFileSchema = z.object({
  table: CuratedTableNameSchema,
  key: z.string().regex(/^curated\/[a-z_]+\/dt=\d{4}-\d{2}-\d{2}\/part-\d{5}\.parquet$/),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
/** One published curated file. */
export type PublishedFile = z.infer<typeof PublishedFileSchema>;

/**
 * `curated/_manifest/dt=YYYY-MM-DD/_manifest.json`: the manifest of one day. No timestamps or run
 * ids: a rerun over the same input writes the same bytes.
 */
export const CuratedManifestSchema = z.object({
  manifestVersion: z.literal(1),
  date: PartitionDateSchema,
  format: z.literal('parquet'),
  files: z.array(PublishedFileSchema),
});
/** The curated manifest of one day. */
export type CuratedManifest = z.infer<typeof CuratedManifestSchema>;

/** Output of `Publish`. */
export const PublishOutputSchema = z.object({
  date: PartitionDateSchema,
  files: z.array(PublishedFileSchema),
  manifest: z.object({
    key: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
/** Output of `Publish`. */
export type PublishOutput = z.infer<typeof PublishOutputSchema>;

/** Totals of a day, as `Reconcile` checked them and `EtlCompleted` announces them. */
export const EtlCountsSchema = z.object({
  objects: z.number().int().nonnegative(),
  /** Objects quarantined whole (truncated gzip, unreadable, bad CSV header). */
  objectErrors: z.number().int().nonnegative(),
  input: z.number().int().nonnegative(),
  valid: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** Present once Aggregate ran: valid rows dropped as repeats from another object of the day. */
  crossObjectDuplicates: z.number().int().nonnegative().optional(),
  /** Present once Aggregate ran: distinct events in the curated tables. */
  events: z.number().int().nonnegative().optional(),
});
/** Totals of a day. */
export type EtlCounts = z.infer<typeof EtlCountsSchema>;

/** Output of `Reconcile`: only produced when every object balanced (otherwise it throws). */
export const ReconcileOutputSchema = z.object({
  date: PartitionDateSchema.optional(),
  balanced: z.literal(true),
  counts: EtlCountsSchema,
  /** Keys of the objects quarantined whole, sorted. */
  objectErrors: z.array(z.object({ key: z.string(), code: ObjectErrorCodeSchema })),
});
/** Output of `Reconcile`. */
export type ReconcileOutput = z.infer<typeof ReconcileOutputSchema>;

/** `detail` of the `EtlCompleted` event. */
export const EtlCompletedDetailSchema = z.object({
  date: PartitionDateSchema,
  runId: z.string().min(1).optional(),
  counts: EtlCountsSchema,
  manifest: z.object({
    bucket: z.string().min(3).max(63),
    key: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
/** `detail` of `EtlCompleted`. */
export type EtlCompletedDetail = z.infer<typeof EtlCompletedDetailSchema>;

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
