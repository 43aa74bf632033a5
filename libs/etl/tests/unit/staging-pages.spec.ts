import { jest } from '@jest/globals';
import { parquetMetadata } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import {
  PARQUET_CREATED_BY,
  STAGING_SCHEMA,
  StagingWriter,
  type StagedRow,
} from '../../src/staging';
import { encodeRow, maxRowBytes } from '../../src/spill/codec';
import { StagingGroupEncoder } from '../../src/staging-pages';
import { readParquetWithWasm } from './support/parquet-wasm';
import { prng } from './support/prng';
import { MemorySink } from './support/sinks';

// writeStagingGroup must write the bytes hyparquet-writer's general ParquetWriter.write writes
// for the same rows (GitHub issue 17: a faster staging writer, the same files). The reference
// below is ParquetWriter.write as StagingWriter called it before, with every id as a string.

const SOURCE = 'raw/lms/dt=2026-03-01/a.ndjson';
const TYPES = ['lesson_started', 'lesson_completed', 'quiz_submitted', 'video_progress'] as const;

interface Shape {
  rows: number;
  seed: number;
  /** Distinct users (1: one user; `rows`: every user distinct, so `user_id` goes PLAIN). */
  users: number;
  /** Distinct timestamps (small: `occurred_at` gets a dictionary). */
  instants: number;
  /** Distinct scores (small: dictionary; large: PLAIN doubles with nulls). */
  scores: number;
  /** Base epoch millisecond (negative: before 1970, a negative high word). */
  epoch?: number;
}

function rowsOf(shape: Shape): StagedRow[] {
  const next = prng(shape.seed);
  const epoch = shape.epoch ?? Date.parse('2026-03-01T00:00:00.000Z');
  return Array.from({ length: shape.rows }, (_, i) => {
    const type = TYPES[Math.floor(next() * TYPES.length)];
    const score = Math.floor(next() * shape.scores) / 4 - (i % 7 === 0 ? 0 : 1.5);
    return {
      event_id: `evt-${shape.seed}-${i.toString(36)}-${Math.floor(next() * 1e9)}`,
      event_type: type,
      user_id: `u-${Math.floor(next() * shape.users)}`,
      course_id: `c-${Math.floor(next() * 5)}`,
      occurred_at: epoch + Math.floor(next() * shape.instants) * 997,
      score: type === 'quiz_submitted' ? score : null,
      max_score: type === 'quiz_submitted' ? 10 : null,
      seconds_watched: type === 'video_progress' ? next() * 3600 : null,
      source_line: i + 1,
    };
  });
}

async function viaStagingWriter(rows: StagedRow[], groupRows: number): Promise<Buffer> {
  const sink = new MemorySink();
  const writer = new StagingWriter(sink, SOURCE, groupRows);
  for (const row of rows) {
    writer.addRow(row);
    if (writer.hasFullGroups) await writer.flushFull();
  }
  await writer.finish();
  sink.end();
  return sink.bytes();
}

function viaParquetWriter(rows: StagedRow[], groupRows: number): Buffer {
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({
    writer,
    schema: STAGING_SCHEMA,
    createdBy: PARQUET_CREATED_BY,
    statistics: false,
  });
  for (let start = 0; start < rows.length; start += groupRows) {
    const group = rows.slice(start, start + groupRows);
    const column = (name: keyof StagedRow) => group.map((row) => row[name]);
    void parquet.write({
      columnData: [
        { name: 'event_id', data: column('event_id'), encoding: 'PLAIN' },
        { name: 'event_type', data: column('event_type') },
        { name: 'user_id', data: column('user_id') },
        { name: 'course_id', data: column('course_id') },
        { name: 'occurred_at', data: column('occurred_at') },
        { name: 'score', data: column('score') },
        { name: 'max_score', data: column('max_score') },
        { name: 'seconds_watched', data: column('seconds_watched') },
        { name: 'source_key', data: group.map(() => SOURCE) },
        { name: 'source_line', data: column('source_line'), encoding: 'PLAIN' },
      ],
      rowGroupSize: group.length,
    });
  }
  void parquet.finish();
  return Buffer.from(writer.getBytes());
}

/** The encodings of the first row group's column chunks, as `name: encodings` (which path each took). */
function encodings(bytes: Buffer): string[] {
  const copy = new Uint8Array(bytes).buffer;
  return parquetMetadata(copy).row_groups[0].columns.map(
    (chunk) =>
      `${chunk.meta_data?.path_in_schema.join('.')}: ${chunk.meta_data?.encodings.join('+')}`,
  );
}

describe('writeStagingGroup', () => {
  const cases: [string, Shape, number][] = [
    [
      'a generated day (dictionaries for types, users, courses, scores)',
      { rows: 25_000, seed: 1, users: 300, instants: 86_000, scores: 41 },
      10_000,
    ],
    [
      'every user distinct (PLAIN strings) and every score distinct (PLAIN doubles with nulls)',
      { rows: 3_000, seed: 2, users: 1e9, instants: 86_000, scores: 1e9 },
      1_000,
    ],
    [
      'few instants (a dictionary of INT64 timestamps)',
      { rows: 4_000, seed: 3, users: 20, instants: 3, scores: 5 },
      4_000,
    ],
    [
      'timestamps before 1970 (a negative high word)',
      { rows: 2_000, seed: 4, users: 20, instants: 86_000, scores: 5, epoch: -86_400_000 * 3650 },
      700,
    ],
    [
      'one-row groups (source_key PLAIN, no dictionary wins)',
      { rows: 3, seed: 5, users: 1, instants: 1, scores: 1 },
      1,
    ],
  ];

  it.each(cases)(
    'writes the same bytes as ParquetWriter.write for %s',
    async (_name, shape, groupRows) => {
      const rows = rowsOf(shape);

      const fast = await viaStagingWriter(rows, groupRows);
      const reference = viaParquetWriter(rows, groupRows);

      // Assess: the same bytes, and arrow-rs reads the rows back (an independent reader).
      expect(fast.length).toBe(reference.length);
      expect(fast.equals(reference)).toBe(true);
      const file = readParquetWithWasm(fast);
      expect(file.columns.occurred_at.values).toEqual(rows.map((row) => row.occurred_at));
      expect(file.columns.score.values).toEqual(rows.map((row) => row.score));
      expect(file.columns.event_id.values).toEqual(rows.map((row) => row.event_id));
    },
  );

  it('takes the paths the cases above name (so each case compares the path it says)', async () => {
    const shapes = cases.map(([, shape, groupRows]) => [rowsOf(shape), groupRows] as const);
    const general = jest.spyOn(ParquetWriter.prototype, 'write');
    const files: Buffer[] = [];
    try {
      for (const [rows, groupRows] of shapes) files.push(await viaStagingWriter(rows, groupRows));
      // The general writer wrote none of these groups: writeStagingGroup wrote them all.
      expect(general).not.toHaveBeenCalled();
    } finally {
      general.mockRestore();
    }
    const [day, distinct, instants] = files;
    expect(encodings(day)).toEqual([
      'event_id: PLAIN',
      'event_type: PLAIN+RLE_DICTIONARY',
      'user_id: PLAIN+RLE_DICTIONARY',
      'course_id: PLAIN+RLE_DICTIONARY',
      'occurred_at: PLAIN',
      'score: PLAIN+RLE_DICTIONARY',
      'max_score: PLAIN+RLE_DICTIONARY',
      'seconds_watched: PLAIN',
      'source_key: PLAIN+RLE_DICTIONARY',
      'source_line: PLAIN',
    ]);
    expect(encodings(distinct)).toContain('user_id: PLAIN');
    expect(encodings(distinct)).toContain('score: PLAIN');
    expect(encodings(instants)).toContain('occurred_at: PLAIN+RLE_DICTIONARY');
  });

  it.each([
    ['an id that is not ASCII', { event_id: 'évt-1500' }],
    ['an event type outside the four known ones', { event_type: 'badge_earned' }],
    ['an id over 252 bytes', { event_id: `evt-${'x'.repeat(300)}` }],
  ])(
    'leaves a group with %s to ParquetWriter.write, with the same bytes',
    async (_name, change) => {
      // Prepare: 3 groups of 1 000 rows; one row of the second group has the change.
      const rows = rowsOf({ rows: 3_000, seed: 6, users: 50, instants: 86_000, scores: 9 });
      rows[1_500] = { ...rows[1_500], ...change };
      const general = jest.spyOn(ParquetWriter.prototype, 'write');

      // Act
      let fast: Buffer;
      try {
        fast = await viaStagingWriter(rows, 1_000);
        // Assess: the general writer wrote exactly the second group.
        expect(
          general.mock.calls.map(([options]) =>
            Buffer.from(options.columnData[0].data[0] as string).toString(),
          ),
        ).toEqual([rows[1_000].event_id]);
      } finally {
        general.mockRestore();
      }
      expect(fast.equals(viaParquetWriter(rows, 1_000))).toBe(true);
    },
  );

  it('writes nothing and returns false for a group whose ids would span two pages', async () => {
    // Prepare: 5 000 ASCII ids of 250 bytes: 1.25 MB of PLAIN bytes, over the 1 MiB page size.
    const rows = rowsOf({ rows: 5_000, seed: 7, users: 50, instants: 86_000, scores: 9 }).map(
      (row, i) => ({ ...row, event_id: `${i}-`.padEnd(250, 'x') }),
    );
    const buffer = Buffer.alloc(rows.reduce((sum, row) => sum + maxRowBytes(row), 0));
    let used = 0;
    for (const row of rows) used = encodeRow(buffer, used, row);
    const writer = new ByteWriter();
    const parquet = new ParquetWriter({ writer, schema: STAGING_SCHEMA, statistics: false });

    // Act
    const written = new StagingGroupEncoder(SOURCE).write(
      parquet,
      STAGING_SCHEMA,
      buffer,
      rows.length,
    );

    // Assess: only the file's magic number, no row group; StagingWriter's fallback splits the pages.
    expect(written).toBe(false);
    expect(writer.offset).toBe(4);
    expect(parquet.row_groups).toEqual([]);
    const file = await viaStagingWriter(rows, 5_000);
    expect(file.equals(viaParquetWriter(rows, 5_000))).toBe(true);
  });
});
