import * as z from 'zod';

// Building blocks that several ETL contracts share; each state's own schema has its own file.

/** `YYYY-MM-DD`, a real calendar day (no 2026-02-30). */
export const PartitionDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real calendar date');
/** A partition day, `YYYY-MM-DD` (UTC). */
export type PartitionDate = z.infer<typeof PartitionDateSchema>;

/** Names of the curated tables. */
export const CuratedTableNameSchema = z.enum(['course_daily', 'learner_progress']);
/** Name of a curated table. */
export type CuratedTableName = z.infer<typeof CuratedTableNameSchema>;

/** Lowercase hex SHA-256 of a file's bytes. */
export const HexSha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

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

/** `true` when `value` is `YYYY-MM-DD` and that day exists in the Gregorian calendar. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
