import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  aggregateDay,
  EtlInputError,
  EtlSpillError,
  transformObject,
  type TransformOptions,
} from '../../src';
import { FirstOccurrenceSpill, partitionOf } from '../../src/spill';
import type { StagedRow } from '../../src/staging';
import { readParquetWithWasm } from './support/parquet-wasm';
import { DATE, NOW, key, transform } from './support/run';
import { sinks } from './support/sinks';

/** This file's temp folders live under one folder, removed after its tests (also on failure). */
const scratch = mkdtempSync(join(tmpdir(), 'etl-dedupe-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/raw', name));
const freshDir = () => mkdtempSync(join(scratch, 'case-'));

/** NDJSON of `ids` in order; the user id says which line a row came from. */
function ndjson(ids: string[]): string {
  return ids
    .map((id, i) =>
      JSON.stringify({
        event_id: id,
        event_type: 'lesson_started',
        user_id: `line-${i + 1}`,
        course_id: 'c-1',
        occurred_at: '2026-03-01T08:00:00Z',
      }),
    )
    .join('\n');
}

/** 600 rows: 500 distinct ids, then 100 repeats of ids from all over the object. */
const REPEATED = [
  ...Array.from({ length: 500 }, (_, i) => `e-${i}`),
  ...Array.from({ length: 100 }, (_, i) => `e-${(i * 37) % 500}`),
];

describe('transformObject: de-duplication through the temp spill', () => {
  it('keeps the first occurrence of ids repeated across row groups and partitions', async () => {
    // Prepare: ids repeated hundreds of lines later, several row groups apart.
    const body = ndjson(REPEATED);

    // Act
    const { result, staging } = await transform('repeated.ndjson', body, {
      rowGroupRows: 64,
      tempDir: freshDir(),
    });

    // Assess
    expect(result.counts).toEqual({ input: 600, valid: 500, rejected: 0, duplicates: 100 });
    const table = readParquetWithWasm(staging.bytes());
    expect(table.columns.event_id.values).toEqual(REPEATED.slice(0, 500));
    expect(table.columns.user_id.values).toEqual(
      Array.from({ length: 500 }, (_, i) => `line-${i + 1}`),
    );
    expect(table.columns.source_line.values).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it.each([1, 2, 7, 256])(
    'writes the same bytes with %i partition(s) as with the default',
    async (partitions) => {
      // Prepare
      const body = ndjson(REPEATED);
      const options: TransformOptions = { rowGroupRows: 64, tempDir: freshDir() };

      // Act
      const reference = await transform('k.ndjson', body, options);
      const partitioned = await transform('k.ndjson', body, {
        ...options,
        dedupePartitions: partitions,
      });

      // Assess
      expect(partitioned.result).toEqual(reference.result);
      expect(partitioned.staging.bytes().equals(reference.staging.bytes())).toBe(true);
    },
  );

  it('compares ids exactly: characters beyond U+FFFF, non-ASCII and trimmed ids', async () => {
    // Prepare: "x\ud83d\ude00" (😀, a surrogate pair) and "x\ud83d\ude01" (😁) differ in their
    // last code unit only; "é" and "e" differ. Lone surrogates never get here: the schema rejects
    // them (transform.spec.ts); the spill keeps them exact anyway (FirstOccurrenceSpill below).
    const lines = [
      '{"event_id":"x\\ud83d\\ude00","event_type":"lesson_started","user_id":"u","course_id":"c","occurred_at":"2026-03-01T08:00:00Z"}',
      '{"event_id":"x\\ud83d\\ude01","event_type":"lesson_started","user_id":"u","course_id":"c","occurred_at":"2026-03-01T08:00:00Z"}',
      '{"event_id":"x😀","event_type":"lesson_started","user_id":"u","course_id":"c","occurred_at":"2026-03-01T08:00:00Z"}',
      '{"event_id":"é","event_type":"lesson_started","user_id":"u","course_id":"c","occurred_at":"2026-03-01T08:00:00Z"}',
      '{"event_id":"e","event_type":"lesson_started","user_id":"u","course_id":"c","occurred_at":"2026-03-01T08:00:00Z"}',
      '{"event_id":"  é ","event_type":"lesson_started","user_id":"u","course_id":"c","occurred_at":"2026-03-01T08:00:00Z"}',
    ];

    // Act
    const { result, staging } = await transform('exact.ndjson', lines.join('\n'), {
      dedupePartitions: 1,
      tempDir: freshDir(),
    });

    // Assess
    expect(result.counts).toEqual({ input: 6, valid: 4, rejected: 0, duplicates: 2 });
    const table = readParquetWithWasm(staging.bytes());
    expect(table.columns.source_line.values).toEqual([1, 2, 4, 5]);
    expect(table.columns.event_id.values).toEqual(['x😀', 'x😁', 'é', 'e']);
  });

  it('removes its temp files after a successful object', async () => {
    // Prepare
    const tempDir = freshDir();

    // Act
    await transform('ok.ndjson', fixture('duplicates.ndjson'), { tempDir });

    // Assess
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('removes its temp files after an object error, and destroys both sinks', async () => {
    // Prepare: rows are spilled before the gzip stream turns out to be truncated.
    const tempDir = freshDir();
    const gz = gzipSync(Buffer.from(ndjson(REPEATED)));
    const out = sinks();

    // Act
    const failure = transformObject(
      {
        body: Readable.from([gz.subarray(0, gz.length - 10)]),
        key: key('cut.ndjson.gz'),
        date: DATE,
        now: NOW,
      },
      out,
      { tempDir },
    );

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'EtlObjectError', code: 'TRUNCATED_GZIP' });
    expect(readdirSync(tempDir)).toEqual([]);
    expect(out.staging.destroyed).toBe(true);
    expect(out.quarantine.destroyed).toBe(true);
  });

  it('fails with an actionable EtlSpillError when the temp folder does not exist', async () => {
    // Prepare
    const missing = join(freshDir(), 'not-there');
    const out = sinks();

    // Act
    const failure = transformObject(
      {
        body: Readable.from([fixture('valid.ndjson')]),
        key: key('t.ndjson'),
        date: DATE,
        now: NOW,
      },
      out,
      { tempDir: missing },
    );

    // Assess
    await expect(failure).rejects.toThrow(EtlSpillError);
    await expect(failure).rejects.toThrow(
      /temp folder .*not-there.*Check that the temp folder exists/,
    );
    expect(out.staging.destroyed).toBe(true);
  });

  it.each([0, 1.5, 70_000])('refuses dedupePartitions %p before reading', async (partitions) => {
    // Act
    const failure = transform('p.ndjson', fixture('valid.ndjson'), {
      dedupePartitions: partitions,
    });

    // Assess
    await expect(failure).rejects.toThrow(EtlInputError);
    await expect(failure).rejects.toThrow(/dedupePartitions must be/);
  });
});

describe('FirstOccurrenceSpill', () => {
  const row = (id: string, line: number, extra: Partial<StagedRow> = {}): StagedRow => ({
    event_id: id,
    event_type: 'lesson_started',
    user_id: `u-${line}`,
    course_id: 'c',
    occurred_at: 1_772_352_000_000 + line,
    score: null,
    max_score: null,
    seconds_watched: null,
    source_line: line,
    ...extra,
  });

  it('finds duplicates across tiny blocks and partitions, and replays the rest in order', async () => {
    // Prepare: blocks of a few rows, 3 partitions, an id longer than a block, every field kind.
    const long = `long-${'x'.repeat(300)}`;
    const rows = [
      row('a', 1),
      row('b', 2, { event_type: 'quiz_submitted', score: 7.25, max_score: 10 }),
      row(long, 3),
      row('ü-漢字', 4, { event_type: 'video_progress', seconds_watched: 1e-3 }),
      row('a', 5),
      row('weird', 6, { event_type: 'not_a_known_type', user_id: 'x\ud800' }),
      row(long, 7),
      row('b', 8),
      row('c', 9),
      row('ü-漢字', 10),
    ];
    const tempDir = freshDir();
    const spill = await FirstOccurrenceSpill.create({
      tempDir,
      partitions: 3,
      rowBlockBytes: 64,
      idBlockBytes: 16,
    });
    const replayed: StagedRow[] = [];
    // Every second row "fills the sink": the next row must wait until that write is done.
    const events: string[] = [];

    // Act
    let duplicates: Uint32Array;
    try {
      for (const r of rows) spill.add(r);
      await spill.flush();
      duplicates = await spill.duplicates();
      await spill.replay(duplicates, (r) => {
        replayed.push({ ...r });
        events.push(`row ${r.source_line}`);
        if (replayed.length % 2 === 1) return undefined;
        const line = r.source_line;
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            events.push(`written after ${line}`);
            resolve();
          }, 1),
        );
      });
    } finally {
      await spill.dispose();
    }

    // Assess
    expect([...duplicates]).toEqual([4, 6, 7, 9]);
    expect(replayed).toEqual([rows[0], rows[1], rows[2], rows[3], rows[5], rows[8]]);
    expect(events).toEqual([
      'row 1',
      'row 2',
      'written after 2',
      'row 3',
      'row 4',
      'written after 4',
      'row 6',
      'row 9',
      'written after 9',
    ]);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('checks a partition still in memory and one written to disk in the same spill', async () => {
    // Prepare: with 2 partitions and 64-byte id blocks, the ids of partition 0 fill blocks
    // (written out, read back) while partition 1 holds three short ids, never written.
    const inPartition = (p: number, count: number) => {
      const ids: string[] = [];
      for (let n = 0; ids.length < count; n++) {
        if (partitionOf(`id-${n}`, 2) === p) ids.push(`id-${n}`);
      }
      return ids;
    };
    const onDisk = inPartition(0, 12);
    const [one, two] = inPartition(1, 2);
    const ids = [...onDisk, one, onDisk[3], two, one, onDisk[11], onDisk[0]];
    const rows = ids.map((id, i) => row(id, i + 1));
    const tempDir = freshDir();
    const spill = await FirstOccurrenceSpill.create({ tempDir, partitions: 2, idBlockBytes: 64 });
    const replayed: number[] = [];

    // Act
    let duplicates: Uint32Array;
    try {
      for (const r of rows) spill.add(r);
      await spill.flush();
      duplicates = await spill.duplicates();
      await spill.replay(duplicates, (r) => {
        replayed.push(r.source_line);
      });
    } finally {
      await spill.dispose();
    }

    // Assess: the repeats of both partitions, by sequence number, and the rest replayed in order.
    expect([...duplicates]).toEqual([13, 15, 16, 17]);
    expect(replayed).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15]);
  });

  it('compares lone surrogates exactly, although UTF-8 would make them all U+FFFD', async () => {
    // Prepare: the schema rejects such ids before Transform spills them; the spill does not rely
    // on that, so "\ud800", "\udc00" and "\ufffd" stay three ids.
    const rows = [row('x\ud800', 1), row('x\udc00', 2), row('x\ud800', 3), row('x\ufffd', 4)];
    const tempDir = freshDir();
    const spill = await FirstOccurrenceSpill.create({ tempDir, partitions: 1 });
    const replayed: string[] = [];

    // Act
    let duplicates: Uint32Array;
    try {
      for (const r of rows) spill.add(r);
      await spill.flush();
      duplicates = await spill.duplicates();
      await spill.replay(duplicates, (r) => {
        replayed.push(r.event_id);
      });
    } finally {
      await spill.dispose();
    }

    // Assess
    expect([...duplicates]).toEqual([2]);
    expect(replayed).toEqual(['x\ud800', 'x\udc00', 'x\ufffd']);
  });

  it('spreads ids over the partitions (stable hash)', () => {
    // Act
    const counts = new Array(16).fill(0);
    for (let i = 0; i < 16_000; i++) counts[partitionOf(`9477ebbe-0001-${i.toString(16)}`, 16)]++;

    // Assess: each partition within ±20 % of the mean (1000), and the same id, same partition.
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
    expect(partitionOf('e-1', 256)).toBe(partitionOf('e-1', 256));
  });
});

describe('aggregateDay: cross-object de-duplication through the temp spill', () => {
  it('gives the same tables and counts with 1 partition, and removes its temp files', async () => {
    // Prepare
    const a = await transform('a.ndjson', fixture('aggregate-a.ndjson'));
    const b = await transform('b.ndjson', fixture('aggregate-b.ndjson'));
    const files = () => [a.staging.bytes(), b.staging.bytes()];
    const tempDir = freshDir();

    // Act
    const reference = await aggregateDay(files());
    const single = await aggregateDay(files(), { dedupePartitions: 1, tempDir });

    // Assess
    expect(single.counts).toEqual(reference.counts);
    expect(single.counts.crossObjectDuplicates).toBe(1);
    expect(single.tables.map((t) => Buffer.from(t.bytes).toString('base64'))).toEqual(
      reference.tables.map((t) => Buffer.from(t.bytes).toString('base64')),
    );
    expect(readdirSync(tempDir)).toEqual([]);
  });
});
