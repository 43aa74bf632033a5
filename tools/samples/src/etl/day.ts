import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import type {
  EtlCounts,
  ObjectErrorCode,
  RowRejectionCode,
  TransformCounts,
} from '@slipway/events';
import { EtlInputError, rawPrefix } from '@slipway/etl';
import { hash32, mulberry32 } from './prng';

/** Options of {@link generateDay}. */
export interface GenerateDayOptions {
  /** Good rows in the main object (default 1000; at least 20 with `badRows`). */
  rows?: number;
  /** PRNG seed (default 42): same seed, same bytes. */
  seed?: number;
  /** Add every kind of bad input (default true); false gives one clean gzip NDJSON object. */
  badRows?: boolean;
  /** The `raw/<source>/` the keys are under (default `lms`). */
  source?: string;
}

/** A rejected row a generated object contains, and why Transform must reject it. */
export interface ExpectedRejection {
  line: number;
  code: RowRejectionCode;
}

/** What Transform must report for one generated object. */
export interface ExpectedObject {
  /** Zeros when the object is unreadable as a whole. */
  counts: TransformCounts;
  rejections: ExpectedRejection[];
  objectError?: ObjectErrorCode;
  gzip: boolean;
  format: 'ndjson' | 'csv';
  /** Valid rows whose `event_id` an earlier object (by key) of the day already has. */
  crossObjectDuplicates: number;
}

/** One generated raw object. */
export interface GeneratedObject {
  key: string;
  /** A fresh stream of the object's bytes, generated as it is read (memory stays flat). */
  open(): Readable;
  expected: ExpectedObject;
}

/** One generated day and what the ETL must make of it. */
export interface GeneratedDay {
  date: string;
  /** The "now" to run Transform with: `date` at 20:00 UTC (generated good rows are earlier). */
  now: Date;
  /** Sorted by key. */
  objects: GeneratedObject[];
  /** Day totals after Aggregate (so `crossObjectDuplicates` and `events` are set). */
  expected: EtlCounts;
}

const GOOD_WINDOW_MS = 20 * 3_600_000;

/** Options of {@link generateNdjson}. */
export interface GenerateNdjsonOptions {
  date: string;
  rows: number;
  seed?: number;
  /** gzip the stream (default false). */
  gzip?: boolean;
  /** zlib level when gzipping (default 6). */
  gzipLevel?: number;
}

/**
 * A stream of `rows` valid learning events as NDJSON (optionally gzip), generated while it is
 * read: 5 million rows cost no more memory than 5. The rows are those of the main object of
 * {@link generateDay} without its bad rows. Used by the bench.
 *
 * @example
 * await pipeline(generateNdjson({ date: '2026-03-01', rows: 1_000_000, gzip: true }), createWriteStream(path));
 */
export function generateNdjson(options: GenerateNdjsonOptions): Readable {
  const { date, rows, seed = 42 } = options;
  const events = new EventFactory(date, seed);
  const body = Readable.from(chunked(mainLines(events, rows, [])), { objectMode: false });
  return options.gzip ? body.pipe(createGzip({ level: options.gzipLevel ?? 6 })) : body;
}

/**
 * Generates one day of raw objects under `raw/<source>/dt=<date>/` covering every bad-input case
 * Transform handles, with the exact counts and rejected lines Transform must report:
 *
 * | key | content |
 * | --- | --- |
 * | `bad-header.csv` | CSV whose header lacks `occurred_at` → `CSV_HEADER` |
 * | `empty.ndjson` | zero bytes → zero counts |
 * | `events-0001.ndjson.gz` | gzip NDJSON, `rows` good rows + malformed JSON, schema failures (wrong type, missing field, unknown type, score > max, negative watch time, no offset), future and outside-the-day timestamps, 2 duplicate ids, a non-UTF-8 line |
 * | `events-0002.ndjson` | CRLF, blank lines, last line without newline, a 1 MiB+ line, normalizable ids/type/offset, 3 ids also in `events-0001` |
 * | `events-0003.csv` | CSV with quoted fields, an extra and a missing column, an unclosed quote, a wrong type, non-UTF-8, 1 id also in `events-0001` |
 * | `export-0005.json` | gzip without a `.gz` name (detected by magic bytes) |
 * | `truncated.ndjson.gz` | gzip cut in half → `TRUNCATED_GZIP` |
 *
 * @throws {EtlInputError} when `rows` is below 20 with `badRows` (duplicates need earlier rows).
 * @example
 * const day = generateDay('2026-03-01', { rows: 1000, seed: 7 });
 * for (const object of day.objects) await transformObject({ body: object.open(), key: object.key, date: day.date, now: day.now }, sinks);
 */
export function generateDay(date: string, options: GenerateDayOptions = {}): GeneratedDay {
  const { rows = 1000, seed = 42, badRows = true, source = 'lms' } = options;
  if (!Number.isInteger(rows) || rows < (badRows ? 20 : 0)) {
    throw new EtlInputError(
      `rows must be an integer of at least ${badRows ? 20 : 0}${badRows ? ' with badRows (duplicates repeat earlier rows)' : ''}, got ${rows}.`,
    );
  }
  const prefix = rawPrefix(source, date);
  const events = new EventFactory(date, seed);
  const now = new Date(Date.parse(`${date}T00:00:00.000Z`) + GOOD_WINDOW_MS);
  const objects: GeneratedObject[] = [];

  const specials = badRows ? mainSpecials(events, date) : [];
  const mainRejections = specials.flatMap((s, k) =>
    s.code ? [{ line: insertAfter(k, rows, specials.length) + k + 1, code: s.code }] : [],
  );
  const mainDuplicates = specials.filter((s) => s.duplicate).length;
  objects.push({
    key: `${prefix}events-0001.ndjson.gz`,
    open: () => Readable.from(chunked(mainLines(events, rows, specials))).pipe(createGzip()),
    expected: {
      counts: {
        input: rows + specials.length,
        valid: rows,
        rejected: mainRejections.length,
        duplicates: mainDuplicates,
      },
      rejections: mainRejections,
      gzip: true,
      format: 'ndjson',
      crossObjectDuplicates: 0,
    },
  });

  if (badRows) {
    objects.push(badHeaderCsv(prefix, events));
    objects.push({
      key: `${prefix}empty.ndjson`,
      open: () => Readable.from([]),
      expected: {
        counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
        rejections: [],
        gzip: false,
        format: 'ndjson',
        crossObjectDuplicates: 0,
      },
    });
    objects.push(crlfNdjson(prefix, events, date));
    objects.push(csvExport(prefix, events));
    objects.push(misnamedGzip(prefix, events));
    objects.push(truncatedGzip(prefix, events));
  }
  objects.sort((a, b) => (a.key < b.key ? -1 : 1));

  const expected = dayTotals(objects);
  return { date, now, objects, expected };
}

/** A learning event as a producer writes it (before normalization). */
type RawEvent = Record<string, string | number>;

/** Makes the `i`-th good event of an object: a pure function of (date, seed, object, i). */
class EventFactory {
  readonly #dayStart: number;
  readonly #seed: number;
  readonly #prefix: string;
  readonly #users: number;

  constructor(date: string, seed: number, users = 500) {
    this.#dayStart = Date.parse(`${date}T00:00:00.000Z`);
    this.#seed = seed;
    this.#prefix = hash32(seed).toString(16).padStart(8, '0');
    this.#users = users;
  }

  event(object: number, i: number): RawEvent {
    const random = mulberry32(hash32(this.#seed, object, i));
    const user = `u-${String(Math.floor(random() * this.#users)).padStart(4, '0')}`;
    const course = `c-${String(Math.floor(random() * 20)).padStart(2, '0')}`;
    const at = new Date(this.#dayStart + Math.floor(random() * GOOD_WINDOW_MS)).toISOString();
    const pick = random();
    const base = {
      event_id: `${this.#prefix}-${String(object).padStart(4, '0')}-${i.toString(16).padStart(12, '0')}`,
      user_id: user,
      course_id: course,
      occurred_at: at,
    };
    if (pick < 0.3) return { ...base, event_type: 'lesson_started' };
    if (pick < 0.55) return { ...base, event_type: 'lesson_completed' };
    if (pick < 0.75) {
      const max = [10, 20, 100][Math.floor(random() * 3)];
      return {
        ...base,
        event_type: 'quiz_submitted',
        score: Math.floor(random() * (max + 1)),
        max_score: max,
      };
    }
    return { ...base, event_type: 'video_progress', seconds_watched: Math.floor(random() * 600) };
  }

  /** `date` ± `ms` as ISO. */
  at(ms: number): string {
    return new Date(this.#dayStart + ms).toISOString();
  }

  get dayStart(): number {
    return this.#dayStart;
  }
}

interface Special {
  bytes: Buffer;
  code?: RowRejectionCode;
  duplicate?: boolean;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function mainSpecials(events: EventFactory, date: string): Special[] {
  const good = (i: number) => events.event(1, i);
  const quiz = {
    ...good(0),
    event_id: 'bad-quiz',
    event_type: 'quiz_submitted',
    score: 5,
    max_score: 10,
  };
  const withoutUser: RawEvent = { ...good(0), event_id: 'bad-no-user' };
  delete withoutUser.user_id;
  const previousDay = new Date(events.dayStart - 12 * 3_600_000).toISOString();
  return [
    { bytes: Buffer.from('{"event_id": "bad-truncated", '), code: 'MALFORMED_JSON' },
    { bytes: Buffer.from('not json at all'), code: 'MALFORMED_JSON' },
    { bytes: Buffer.from('[1,2,3]'), code: 'MALFORMED_JSON' },
    { bytes: json({ ...quiz, event_id: 'bad-type', score: '5' }), code: 'SCHEMA' },
    { bytes: json(withoutUser), code: 'SCHEMA' },
    {
      bytes: json({ ...good(0), event_id: 'bad-kind', event_type: 'lesson_paused' }),
      code: 'SCHEMA',
    },
    { bytes: json({ ...quiz, event_id: 'bad-score', score: 12 }), code: 'SCHEMA' },
    {
      bytes: json({
        ...good(0),
        event_id: 'bad-watch',
        event_type: 'video_progress',
        seconds_watched: -5,
      }),
      code: 'SCHEMA',
    },
    {
      bytes: json({ ...good(0), event_id: 'bad-no-offset', occurred_at: `${date}T10:00:00` }),
      code: 'SCHEMA',
    },
    {
      bytes: json({ ...good(0), event_id: 'bad-future', occurred_at: `${date}T21:00:00Z` }),
      code: 'FUTURE_TIMESTAMP',
    },
    {
      bytes: json({ ...good(0), event_id: 'bad-yesterday', occurred_at: previousDay }),
      code: 'OUTSIDE_PARTITION',
    },
    // 01:30 at +02:00 is 23:30 UTC the day before.
    {
      bytes: json({
        ...good(0),
        event_id: 'bad-offset-day',
        occurred_at: `${date}T01:30:00+02:00`,
      }),
      code: 'OUTSIDE_PARTITION',
    },
    {
      bytes: withBytes(
        JSON.stringify({ ...good(0), event_id: 'bad-utf8', user_id: 'u-@@' }),
        '@@',
        [0xff, 0xfe],
      ),
      code: 'NOT_UTF8',
    },
    // Duplicates come last so that the rows they repeat were written before them.
    { bytes: json(good(0)), duplicate: true },
    { bytes: json({ ...good(1), user_id: 'u-someone-else' }), duplicate: true },
  ];
}

/** Special `k` of `n` goes after this many good rows. */
function insertAfter(k: number, rows: number, n: number): number {
  return Math.max(2, Math.floor(((k + 1) * rows) / (n + 1)));
}

function* mainLines(events: EventFactory, rows: number, specials: Special[]): Generator<Buffer> {
  let k = 0;
  for (let i = 0; i < rows; i++) {
    yield Buffer.from(`${JSON.stringify(events.event(1, i))}\n`);
    while (k < specials.length && insertAfter(k, rows, specials.length) === i + 1) {
      yield Buffer.concat([specials[k].bytes, Buffer.from('\n')]);
      k++;
    }
  }
  for (; k < specials.length; k++) yield Buffer.concat([specials[k].bytes, Buffer.from('\n')]);
}

/** Groups small buffers into ~64 KiB chunks: one stream chunk per row would be slow. */
function* chunked(lines: Iterable<Buffer>, size = 64 * 1024): Generator<Buffer> {
  let parts: Buffer[] = [];
  let bytes = 0;
  for (const line of lines) {
    parts.push(line);
    bytes += line.length;
    if (bytes >= size) {
      yield Buffer.concat(parts, bytes);
      parts = [];
      bytes = 0;
    }
  }
  if (bytes) yield Buffer.concat(parts, bytes);
}

function fixed(key: string, bytes: Buffer, expected: ExpectedObject): GeneratedObject {
  return { key, open: () => Readable.from([bytes]), expected };
}

function crlfNdjson(prefix: string, events: EventFactory, date: string): GeneratedObject {
  const own = (i: number) => JSON.stringify(events.event(2, i));
  const tricky = {
    ...events.event(2, 1000),
    event_type: 'Lesson_Completed',
    user_id: '  u-0001  ',
    course_id: ' c-01',
    occurred_at: `${date}T10:00:00+02:00`,
  };
  const lines: string[] = [
    own(0),
    '',
    JSON.stringify(tricky),
    JSON.stringify(events.event(1, 2)),
    JSON.stringify({ event_id: 'bad-long', pad: 'x'.repeat(1024 * 1024 + 10) }),
    ...Array.from({ length: 40 }, (_, i) => own(i + 1)),
    JSON.stringify(events.event(1, 3)),
    JSON.stringify(events.event(1, 4)),
    '   ',
    own(41),
  ];
  return fixed(`${prefix}events-0002.ndjson`, Buffer.from(lines.join('\r\n')), {
    counts: { input: 47, valid: 46, rejected: 1, duplicates: 0 },
    rejections: [{ line: 5, code: 'LINE_TOO_LONG' }],
    gzip: false,
    format: 'ndjson',
    crossObjectDuplicates: 3,
  });
}

const CSV_HEADER =
  'event_id,event_type,user_id,course_id,occurred_at,score,max_score,seconds_watched';

function csvRow(event: RawEvent, quoteCourse = false): string {
  const course = quoteCourse ? `"${event.course_id}"` : String(event.course_id);
  return [
    event.event_id,
    event.event_type,
    event.user_id,
    course,
    event.occurred_at,
    event.score ?? '',
    event.max_score ?? '',
    event.seconds_watched ?? '',
  ].join(',');
}

/** `text` with `marker` replaced by raw `bytes` (here: bytes that are not UTF-8). */
function withBytes(text: string, marker: string, bytes: number[]): Buffer {
  const at = text.indexOf(marker);
  return Buffer.concat([
    Buffer.from(text.slice(0, at)),
    Buffer.from(bytes),
    Buffer.from(text.slice(at + marker.length)),
  ]);
}

function csvExport(prefix: string, events: EventFactory): GeneratedObject {
  const own = (i: number) => events.event(3, i);
  const quiz: RawEvent = { ...own(100), event_type: 'quiz_submitted', score: 3, max_score: 10 };
  delete quiz.seconds_watched;
  const lines: Buffer[] = [
    Buffer.from(CSV_HEADER),
    ...Array.from({ length: 30 }, (_, i) => Buffer.from(csvRow(own(i), i % 3 === 0))),
    Buffer.from(`${csvRow(own(101))},surplus`),
    Buffer.from(csvRow(own(102)).split(',').slice(0, 7).join(',')),
    Buffer.from(`"${csvRow(own(103))}`),
    Buffer.from(csvRow({ ...quiz, score: 'abc' })),
    withBytes(csvRow({ ...own(104), user_id: 'u-@@' }), '@@', [0xc3, 0x28]),
    Buffer.from(csvRow(events.event(1, 5))),
    Buffer.from(csvRow({ ...own(105), course_id: '"c,05"' })),
  ];
  return fixed(
    `${prefix}events-0003.csv`,
    Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])),
    {
      counts: { input: 37, valid: 32, rejected: 5, duplicates: 0 },
      rejections: [
        { line: 32, code: 'CSV_COLUMN_COUNT' },
        { line: 33, code: 'CSV_COLUMN_COUNT' },
        { line: 34, code: 'CSV_MALFORMED' },
        { line: 35, code: 'SCHEMA' },
        { line: 36, code: 'NOT_UTF8' },
      ],
      gzip: false,
      format: 'csv',
      crossObjectDuplicates: 1,
    },
  );
}

function misnamedGzip(prefix: string, events: EventFactory): GeneratedObject {
  const body = Array.from({ length: 20 }, (_, i) => `${JSON.stringify(events.event(5, i))}\n`).join(
    '',
  );
  return fixed(`${prefix}export-0005.json`, gzipSync(body), {
    counts: { input: 20, valid: 20, rejected: 0, duplicates: 0 },
    rejections: [],
    gzip: true,
    format: 'ndjson',
    crossObjectDuplicates: 0,
  });
}

function truncatedGzip(prefix: string, events: EventFactory): GeneratedObject {
  const body = Array.from(
    { length: 200 },
    (_, i) => `${JSON.stringify(events.event(6, i))}\n`,
  ).join('');
  const gz = gzipSync(body);
  return fixed(`${prefix}truncated.ndjson.gz`, gz.subarray(0, Math.floor(gz.length / 2)), {
    counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
    rejections: [],
    objectError: 'TRUNCATED_GZIP',
    gzip: true,
    format: 'ndjson',
    crossObjectDuplicates: 0,
  });
}

function badHeaderCsv(prefix: string, events: EventFactory): GeneratedObject {
  const rows = [0, 1].map((i) => csvRow(events.event(7, i)).split(',').slice(0, 4).join(','));
  return fixed(
    `${prefix}bad-header.csv`,
    Buffer.from(`event_id,event_type,user_id,course_id\n${rows.join('\n')}\n`),
    {
      counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
      rejections: [],
      objectError: 'CSV_HEADER',
      gzip: false,
      format: 'csv',
      crossObjectDuplicates: 0,
    },
  );
}

/** Options of {@link generateSmallObjectsDay}. */
export interface GenerateSmallObjectsDayOptions {
  /** How many raw objects (default 10,000). */
  objects?: number;
  /** Good rows per object (default 3). */
  rowsPerObject?: number;
  /** PRNG seed (default 42): same seed, same bytes. */
  seed?: number;
  /** The `raw/<source>/` the keys are under (default `lms`). */
  source?: string;
}

/**
 * A day of many small NDJSON objects, as real sources write them (tens of thousands a day, GitHub
 * issue 17): `raw/<source>/dt=<date>/small-00000.ndjson` … with `rowsPerObject` good rows each,
 * and, so that reconciliation has something to check in every batch: every 10th object adds a
 * malformed line (`MALFORMED_JSON`) and a repeat of its first row (a duplicate), every 25th
 * object (after the first) repeats the first row of the object before it (a cross-object
 * duplicate, dropped by Aggregate). Bytes are built when opened; expected counts are exact.
 *
 * @throws {EtlInputError} when `objects` or `rowsPerObject` is not a positive integer.
 * @example
 * const day = generateSmallObjectsDay('2026-03-10', { objects: 10_000 });
 * day.expected; // { objects: 10000, input: 32399, valid: 30399, rejected: 1000, duplicates: 1000, ... }
 */
export function generateSmallObjectsDay(
  date: string,
  options: GenerateSmallObjectsDayOptions = {},
): GeneratedDay {
  const { objects: count = 10_000, rowsPerObject = 3, seed = 42, source = 'lms' } = options;
  for (const [name, value] of [
    ['objects', count],
    ['rowsPerObject', rowsPerObject],
  ] as const)
    if (!Number.isInteger(value) || value < 1)
      throw new EtlInputError(`${name} must be a positive integer, got ${value}.`);
  const prefix = rawPrefix(source, date);
  const events = new EventFactory(date, seed);
  const now = new Date(Date.parse(`${date}T00:00:00.000Z`) + GOOD_WINDOW_MS);
  // Object numbers from 1000 on: the main object of generateDay uses 1 and 2.
  const row = (object: number, i: number) => `${JSON.stringify(events.event(1000 + object, i))}\n`;
  const objects: GeneratedObject[] = [];
  for (let n = 0; n < count; n++) {
    const badRows = n % 10 === 0;
    const crossRepeat = n > 0 && n % 25 === 0;
    const lines = () => {
      const out = Array.from({ length: rowsPerObject }, (_, i) => row(n, i));
      if (badRows) out.push('not json\n', row(n, 0));
      if (crossRepeat) out.push(row(n - 1, 0));
      return Buffer.from(out.join(''));
    };
    const valid = rowsPerObject + (crossRepeat ? 1 : 0);
    objects.push({
      key: `${prefix}small-${String(n).padStart(5, '0')}.ndjson`,
      open: () => Readable.from([lines()]),
      expected: {
        counts: {
          input: valid + (badRows ? 2 : 0),
          valid,
          rejected: badRows ? 1 : 0,
          duplicates: badRows ? 1 : 0,
        },
        rejections: badRows ? [{ line: rowsPerObject + 1, code: 'MALFORMED_JSON' }] : [],
        gzip: false,
        format: 'ndjson',
        crossObjectDuplicates: crossRepeat ? 1 : 0,
      },
    });
  }
  const expected = dayTotals(objects);
  return { date, now, objects, expected };
}

/** The totals Reconcile must report for a day of these objects (exact, from each object's plan). */
function dayTotals(objects: readonly GeneratedObject[]): EtlCounts {
  const totals = {
    objects: objects.length,
    objectErrors: objects.filter((o) => o.expected.objectError).length,
    input: 0,
    valid: 0,
    rejected: 0,
    duplicates: 0,
    crossObjectDuplicates: 0,
    events: 0,
  };
  for (const { expected: e } of objects) {
    totals.input += e.counts.input;
    totals.valid += e.counts.valid;
    totals.rejected += e.counts.rejected;
    totals.duplicates += e.counts.duplicates;
    totals.crossObjectDuplicates += e.crossObjectDuplicates;
  }
  totals.events = totals.valid - totals.crossObjectDuplicates;
  return totals;
}
