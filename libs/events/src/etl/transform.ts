import * as z from 'zod';
import { ObjectErrorCodeSchema, PartitionDateSchema } from './common';
import { RunObjectSchema } from './list-partitions';

/** One raw object of the day as `runTransform` in `@slipway/etl` takes it. */
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

/** What every batch of the Transform Map shares (the Map's `ItemBatcher.BatchInput`). */
export const TransformBatchContextSchema = z.object({
  bucket: z.string().min(3).max(63),
  date: PartitionDateSchema,
  /** The run's "now", fixed once by ListPartitions. */
  asOf: z.iso.datetime({ offset: true }),
  runId: z.string().min(1),
});
/** What every batch of the Transform Map shares. */
export type TransformBatchContext = z.infer<typeof TransformBatchContextSchema>;

/**
 * Input of one `Transform` (one child execution of the Distributed Map): a batch of the day's
 * objects, as Step Functions' ItemBatcher builds it (`{ Items, BatchInput }`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
 */
export const TransformBatchInputSchema = z.object({
  Items: z.array(RunObjectSchema).min(1).max(1000),
  BatchInput: TransformBatchContextSchema,
});
/** Input of one `Transform` batch. */
export type TransformBatchInput = z.infer<typeof TransformBatchInputSchema>;

/** Output of one `Transform` batch: one {@link TransformOutputSchema} per item, in item order. */
export const TransformBatchOutputSchema = z.object({
  outputs: z.array(TransformOutputSchema),
});
/** Output of one `Transform` batch. */
export type TransformBatchOutput = z.infer<typeof TransformBatchOutputSchema>;

/** Why Transform refused one row; the quarantine file carries it beside the row. */
export const RowRejectionCodeSchema = z.enum([
  /** The line is not one JSON object. */
  'MALFORMED_JSON',
  /** Parsed, but does not match `LearningEventSchema`. */
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
 * One line of a quarantine file Transform writes
 * (`quarantine/<source>/dt=.../<object>.rejected.ndjson`). `raw` is the row as text (invalid
 * UTF-8 replaced by U+FFFD, long lines cut); `rawBase64` keeps the exact bytes when they were
 * not valid UTF-8.
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
