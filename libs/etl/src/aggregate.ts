import { Readable } from 'node:stream';
import type { AggregateCounts, CuratedTableName } from '@slipway/events';
import {
  parquetMetadataAsync,
  parquetReadObjects,
  type AsyncBuffer,
  type SchemaElement,
} from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { EtlInputError } from './errors';
import { emptyParquet } from './parquet-io';
import { checkPartitions, FirstOccurrenceSpill } from './spill';
import { PARQUET_CREATED_BY, type StagedRow } from './staging';

/**
 * One staging file as Aggregate can read it: its bytes, a stream of them (read into memory:
 * Parquet's footer is at the end), or hyparquet's `AsyncBuffer` (random access, e.g. S3 ranged
 * GETs, so a large file is never held whole).
 */
export type StagingSource = Uint8Array | Readable | AsyncBuffer;

/** A curated table as Parquet bytes, ready for {@link publishPlan}. */
export interface CuratedTable {
  table: CuratedTableName;
  rows: number;
  bytes: Uint8Array;
}

/** What {@link aggregateDay} produced. */
export interface AggregateResult {
  /** `course_daily` then `learner_progress`. */
  tables: CuratedTable[];
  counts: AggregateCounts;
}

/** Tuning knobs of {@link aggregateDay}; the defaults suit Lambda. */
export interface AggregateOptions {
  /**
   * Folder for the temporary de-duplication files (default `os.tmpdir()`, Lambda's `/tmp`):
   * about 50 bytes per staging row; a private folder inside is deleted before returning.
   */
  tempDir?: string;
  /** Hash partitions of the temporary id file (default 256), as for `transformObject`. */
  dedupePartitions?: number;
}

/** Rows per row group of the curated tables. */
const CURATED_ROW_GROUP_ROWS = 100_000;

const STAGING_COLUMNS = [
  'event_id',
  'event_type',
  'user_id',
  'course_id',
  'score',
  'max_score',
  'seconds_watched',
];

interface Tally {
  events: number;
  lessonsStarted: number;
  lessonsCompleted: number;
  quizzes: number;
  scoreRatioSum: number;
  watchSeconds: number;
}

const newTally = (): Tally => ({
  events: 0,
  lessonsStarted: 0,
  lessonsCompleted: 0,
  quizzes: 0,
  scoreRatioSum: 0,
  watchSeconds: 0,
});

/**
 * Aggregates one day's staging files into the curated tables, reading them row group by row
 * group (staging files are written in groups of 10 000 rows).
 *
 * Cross-object duplicates: the first staging file (in the order given) holding an `event_id`
 * wins; the same id in a later file is dropped and counted in `crossObjectDuplicates`. Give the
 * files sorted by staging key (S3 lists keys in that order) so that reruns pick the same rows.
 * Thus `stagingRows = events + crossObjectDuplicates` and, summed over the day's objects,
 * `valid = stagingRows`: Reconcile checks both.
 *
 * Memory does not grow with the day's rows: like Transform, the files are read once into a
 * temporary spill (in `options.tempDir`), duplicates found partition by partition of a hash of
 * `event_id`, and the rows read back in order, duplicates left out, into the tallies. What does
 * grow is the tallies: one per learner × course pair of the day (≈ 200 bytes each), which is
 * bounded by the platform's population, not by the number of events. A staging file given as a
 * `Readable` is read into memory whole (Parquet's footer is at its end): give large files as an
 * `AsyncBuffer` (S3 ranged GETs) so that only one row group is held.
 *
 * Tables (rows sorted by their keys, so reruns write identical bytes):
 * - `course_daily` (by `course_id`): `active_learners` (distinct `user_id` with any event),
 *   `lessons_started`, `lessons_completed` (the completions), `quizzes_submitted`,
 *   `avg_quiz_score` (mean of `score / max_score` over the quizzes, 0..1, rounded to 6 decimals;
 *   null without quizzes), `watch_seconds` (sum of `seconds_watched`, rounded to 3 decimals),
 *   `events`.
 * - `learner_progress` (by `user_id`, `course_id`): the same measures per learner and course.
 *
 * @example
 * const { tables, counts } = await aggregateDay(stagingBodiesSortedByKey);
 * const plan = publishPlan('2026-03-01', tables);
 */
export async function aggregateDay(
  stagingFiles: AsyncIterable<StagingSource> | Iterable<StagingSource>,
  options: AggregateOptions = {},
): Promise<AggregateResult> {
  const partitions = checkPartitions(options.dedupePartitions);
  const learners = new Map<string, Map<string, Tally>>();
  const counts: AggregateCounts = {
    stagingFiles: 0,
    stagingRows: 0,
    events: 0,
    crossObjectDuplicates: 0,
  };

  const spill = await FirstOccurrenceSpill.create({
    tempDir: options.tempDir,
    partitions,
    label: "the day's staging rows",
  });
  try {
    // Pass 1: every staging row, in file order, to the spill.
    for await (const source of stagingFiles) {
      counts.stagingFiles++;
      const file = await toAsyncBuffer(source);
      const metadata = await parquetMetadataAsync(file);
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        const rows = (await parquetReadObjects({
          file,
          metadata,
          columns: STAGING_COLUMNS,
          rowStart,
          rowEnd,
        })) as StagingRow[];
        rowStart = rowEnd;
        for (const row of rows) spill.add(spilledRow(row));
        await spill.flush();
      }
    }
    // Pass 2: first occurrences only, in the same order (float sums stay identical), tallied.
    const duplicates = await spill.duplicates();
    counts.stagingRows = spill.rows;
    counts.crossObjectDuplicates = duplicates.length;
    counts.events = spill.rows - duplicates.length;
    await spill.replay(duplicates, (row) => {
      let courses = learners.get(row.user_id);
      if (!courses) learners.set(row.user_id, (courses = new Map()));
      let tally = courses.get(row.course_id);
      if (!tally) courses.set(row.course_id, (tally = newTally()));
      addEvent(tally, row);
    });
  } finally {
    await spill.dispose();
  }

  return {
    tables: [courseDaily(learners), learnerProgress(learners)],
    counts,
  };
}

/** Aggregate reads neither `occurred_at` nor the lineage: they are spilled as zeros. */
const spilledRow = (row: StagingRow): StagedRow => ({
  ...row,
  occurred_at: 0,
  source_line: 0,
});

interface StagingRow {
  event_id: string;
  event_type: string;
  user_id: string;
  course_id: string;
  score: number | null;
  max_score: number | null;
  seconds_watched: number | null;
}

function addEvent(tally: Tally, row: StagingRow | StagedRow) {
  tally.events++;
  switch (row.event_type) {
    case 'lesson_started':
      tally.lessonsStarted++;
      break;
    case 'lesson_completed':
      tally.lessonsCompleted++;
      break;
    case 'quiz_submitted':
      tally.quizzes++;
      tally.scoreRatioSum += (row.score ?? 0) / (row.max_score ?? 1);
      break;
    case 'video_progress':
      tally.watchSeconds += row.seconds_watched ?? 0;
      break;
    default:
      throw new EtlInputError(
        `A staging file holds event_type "${row.event_type}" (event ${row.event_id}), which Transform never writes. Regenerate the day's staging files with this version of Transform.`,
      );
  }
}

function merge(into: Tally, from: Tally) {
  into.events += from.events;
  into.lessonsStarted += from.lessonsStarted;
  into.lessonsCompleted += from.lessonsCompleted;
  into.quizzes += from.quizzes;
  into.scoreRatioSum += from.scoreRatioSum;
  into.watchSeconds += from.watchSeconds;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};
const average = (t: Tally) => (t.quizzes ? round(t.scoreRatioSum / t.quizzes, 6) : null);

const string = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'REQUIRED',
});
const int = (name: string): SchemaElement => ({ name, type: 'INT32', repetition_type: 'REQUIRED' });
const double = (name: string, optional = false): SchemaElement => ({
  name,
  type: 'DOUBLE',
  repetition_type: optional ? 'OPTIONAL' : 'REQUIRED',
});
const MEASURES = [
  int('lessons_started'),
  int('lessons_completed'),
  int('quizzes_submitted'),
  double('avg_quiz_score', true),
  double('watch_seconds'),
  int('events'),
];

/** Columns of `course_daily`. */
export const COURSE_DAILY_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 8 },
  string('course_id'),
  int('active_learners'),
  ...MEASURES,
];

/** Columns of `learner_progress`. */
export const LEARNER_PROGRESS_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 8 },
  string('user_id'),
  string('course_id'),
  ...MEASURES,
];

function measureColumns(tallies: Tally[]) {
  return [
    { name: 'lessons_started', data: tallies.map((t) => t.lessonsStarted) },
    { name: 'lessons_completed', data: tallies.map((t) => t.lessonsCompleted) },
    { name: 'quizzes_submitted', data: tallies.map((t) => t.quizzes) },
    { name: 'avg_quiz_score', data: tallies.map(average) },
    { name: 'watch_seconds', data: tallies.map((t) => round(t.watchSeconds, 3)) },
    { name: 'events', data: tallies.map((t) => t.events) },
  ];
}

function courseDaily(learners: Map<string, Map<string, Tally>>): CuratedTable {
  const courses = new Map<string, { learners: number; tally: Tally }>();
  for (const perCourse of learners.values()) {
    for (const [courseId, tally] of perCourse) {
      let course = courses.get(courseId);
      if (!course) courses.set(courseId, (course = { learners: 0, tally: newTally() }));
      course.learners++;
      merge(course.tally, tally);
    }
  }
  const ids = [...courses.keys()].sort(byCodeUnits);
  const rows = ids.map((id) => courses.get(id) as { learners: number; tally: Tally });
  return {
    table: 'course_daily',
    rows: ids.length,
    bytes: writeTable(COURSE_DAILY_SCHEMA, [
      { name: 'course_id', data: ids },
      { name: 'active_learners', data: rows.map((r) => r.learners) },
      ...measureColumns(rows.map((r) => r.tally)),
    ]),
  };
}

function learnerProgress(learners: Map<string, Map<string, Tally>>): CuratedTable {
  const userIds: string[] = [];
  const courseIds: string[] = [];
  const tallies: Tally[] = [];
  for (const userId of [...learners.keys()].sort(byCodeUnits)) {
    const perCourse = learners.get(userId) as Map<string, Tally>;
    for (const courseId of [...perCourse.keys()].sort(byCodeUnits)) {
      userIds.push(userId);
      courseIds.push(courseId);
      tallies.push(perCourse.get(courseId) as Tally);
    }
  }
  return {
    table: 'learner_progress',
    rows: tallies.length,
    bytes: writeTable(LEARNER_PROGRESS_SCHEMA, [
      { name: 'user_id', data: userIds },
      { name: 'course_id', data: courseIds },
      ...measureColumns(tallies),
    ]),
  };
}

function writeTable(
  schema: SchemaElement[],
  columnData: { name: string; data: (string | number | null)[] }[],
): Uint8Array {
  if (!columnData[0].data.length) return emptyParquet(schema, PARQUET_CREATED_BY);
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({ writer, schema, createdBy: PARQUET_CREATED_BY });
  void parquet.write({ columnData, rowGroupSize: CURATED_ROW_GROUP_ROWS });
  void parquet.finish();
  return writer.getBytes().slice();
}

async function toAsyncBuffer(source: StagingSource): Promise<AsyncBuffer> {
  if (source instanceof Uint8Array) return fromBytes(source);
  if (source instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of source) chunks.push(Buffer.from(chunk as Uint8Array));
    return fromBytes(Buffer.concat(chunks));
  }
  return source;
}

function fromBytes(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.byteLength,
    slice: (start, end = bytes.byteLength) =>
      bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + end) as ArrayBuffer,
  };
}
