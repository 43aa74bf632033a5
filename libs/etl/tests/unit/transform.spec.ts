import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { EtlObjectError, aggregateDay, transformObject } from '../../src';
import { readParquetWithWasm } from './support/parquet-wasm';
import { MemorySink, sinks } from './support/sinks';
import { DATE, NOW, key, transform } from './support/run';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/raw', name));

describe('transformObject: NDJSON', () => {
  it('writes valid rows to a Parquet staging file that an independent reader reads back', async () => {
    // Prepare
    const body = fixture('valid.ndjson');

    // Act
    const { result, staging, quarantine } = await transform('valid.ndjson', body);

    // Assess
    expect(result).toEqual({
      counts: { input: 4, valid: 4, rejected: 0, duplicates: 0 },
      format: 'ndjson',
      gzip: false,
    });
    expect(quarantine.bytes()).toHaveLength(0);
    const table = readParquetWithWasm(staging.bytes());
    expect(table.rows).toBe(4);
    expect(
      Object.fromEntries(Object.entries(table.columns).map(([name, c]) => [name, c.format])),
    ).toEqual({
      event_id: 'u',
      event_type: 'u',
      user_id: 'u',
      course_id: 'u',
      occurred_at: 'tsm:UTC',
      score: 'g',
      max_score: 'g',
      seconds_watched: 'g',
      source_key: 'u',
      source_line: 'i',
    });
    expect(table.columns.event_id.nullable).toBe(false);
    expect(table.columns.score.nullable).toBe(true);
    expect(table.columns.event_id.values).toEqual(['e-1', 'e-2', 'e-3', 'e-4']);
    expect(table.columns.event_type.values).toEqual([
      'lesson_started',
      'lesson_completed',
      'quiz_submitted',
      'video_progress',
    ]);
    expect(table.columns.occurred_at.values).toEqual([
      Date.parse('2026-03-01T08:00:00Z'),
      Date.parse('2026-03-01T08:30:00.250Z'),
      Date.parse('2026-03-01T10:00:00Z'),
      Date.parse('2026-03-01T11:00:00Z'),
    ]);
    expect(table.columns.score.values).toEqual([null, null, 8, null]);
    expect(table.columns.max_score.values).toEqual([null, null, 10, null]);
    expect(table.columns.seconds_watched.values).toEqual([null, null, null, 125.5]);
    expect(table.columns.source_key.values).toEqual(Array(4).fill(key('valid.ndjson')));
    expect(table.columns.source_line.values).toEqual([1, 2, 3, 4]);
  });

  it('normalizes ids, event_type and occurred_at (to UTC) and drops unknown fields', async () => {
    // Act
    const { result, staging } = await transform('n.ndjson', fixture('normalize.ndjson'));

    // Assess
    expect(result.counts).toEqual({ input: 1, valid: 1, rejected: 0, duplicates: 0 });
    const table = readParquetWithWasm(staging.bytes());
    expect(table.columns.event_id.values).toEqual(['e-10']);
    expect(table.columns.event_type.values).toEqual(['lesson_started']);
    expect(table.columns.user_id.values).toEqual(['u-1']);
    expect(table.columns.course_id.values).toEqual(['c-1']);
    expect(table.columns.occurred_at.values).toEqual([Date.parse('2026-03-01T03:30:00Z')]);
    expect(Object.keys(table.columns)).not.toContain('extra');
  });

  it('rejects each bad row with its line, code and a reason, and keeps the raw text', async () => {
    // Act
    const { result, staging, rejected } = await transform('bad.ndjson', fixture('bad-rows.ndjson'));

    // Assess
    expect(result.counts).toEqual({ input: 11, valid: 0, rejected: 11, duplicates: 0 });
    expect(rejected.map((r) => [r.line, r.code])).toEqual([
      [1, 'MALFORMED_JSON'],
      [2, 'MALFORMED_JSON'],
      [3, 'SCHEMA'],
      [4, 'SCHEMA'],
      [5, 'SCHEMA'],
      [6, 'SCHEMA'],
      [7, 'SCHEMA'],
      [8, 'SCHEMA'],
      [9, 'FUTURE_TIMESTAMP'],
      [10, 'OUTSIDE_PARTITION'],
      [11, 'OUTSIDE_PARTITION'],
    ]);
    expect(rejected[2].error).toMatch(/score: Invalid input: expected number, received string/);
    expect(rejected[3].error).toMatch(
      /user_id: Invalid input: expected string, received undefined/,
    );
    expect(rejected[4].error).toMatch(/event_type/);
    expect(rejected[5].error).toMatch(/score: must not be greater than max_score/);
    expect(rejected[6].error).toMatch(/seconds_watched/);
    expect(rejected[7].error).toMatch(
      /occurred_at: must be an ISO-8601 date-time with a UTC offset/,
    );
    expect(rejected[8].error).toMatch(/after the ETL run time 2026-03-01T20:00:00.000Z/);
    expect(rejected[10].error).toMatch(
      /on 2026-02-28 \(UTC\), not on the partition day 2026-03-01/,
    );
    expect(rejected[0].raw).toBe('{"event_id": "broken",');
    expect(readParquetWithWasm(staging.bytes()).rows).toBe(0);
  });

  it('keeps the first of duplicate event_ids (after trimming) and counts the others', async () => {
    // Act
    const { result, staging } = await transform('d.ndjson', fixture('duplicates.ndjson'));

    // Assess
    expect(result.counts).toEqual({ input: 4, valid: 2, rejected: 0, duplicates: 2 });
    const table = readParquetWithWasm(staging.bytes());
    expect(table.columns.event_id.values).toEqual(['e-1', 'e-2']);
    expect(table.columns.event_type.values).toEqual(['lesson_started', 'lesson_started']);
  });

  it('rejects an id holding a lone UTF-16 surrogate as SCHEMA, so it never merges with U+FFFD', async () => {
    // Prepare: line 1's event_id is "x\ud800" (valid JSON, not well-formed Unicode), line 2's is
    // "x\ufffd". Parquet stores strings as UTF-8, where the lone surrogate becomes U+FFFD.
    const body = fixture('lone-surrogate.ndjson');

    // Act
    const { result, staging, rejected } = await transform('s.ndjson', body);
    const day = await aggregateDay([staging.bytes()]);

    // Assess
    expect(result.counts).toEqual({ input: 2, valid: 1, rejected: 1, duplicates: 0 });
    expect(rejected).toEqual([
      {
        line: 1,
        code: 'SCHEMA',
        error:
          'Line 1 is not a valid learning event: event_id: must be well-formed Unicode, but holds a lone UTF-16 surrogate (an unpaired \\uD800-\\uDFFF escape), which would be stored as U+FFFD and merge with other ids; escape a character above U+FFFF as a full surrogate pair, or write it as UTF-8. Fix the producer so that every row matches the learning event schema.',
        raw: body.toString('utf8').split('\n')[0],
      },
    ]);
    expect(readParquetWithWasm(staging.bytes()).columns.event_id.values).toEqual(['x\ufffd']);
    expect(day.counts).toEqual({
      stagingFiles: 1,
      stagingRows: 1,
      events: 1,
      crossObjectDuplicates: 0,
    });
  });

  it('handles CRLF, blank lines, a BOM and a last line without newline, split across chunks', async () => {
    // Prepare
    const [a, b] = fixture('valid.ndjson').toString('utf8').trim().split('\n');
    const text = `\ufeff${a}\r\n\r\n   \r\n${b}`;
    const bytes = Buffer.from(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) =>
      bytes.subarray(i * 7, i * 7 + 7),
    );

    // Act
    const { result, staging } = await transform('crlf.ndjson', chunks);

    // Assess
    expect(result.counts).toEqual({ input: 2, valid: 2, rejected: 0, duplicates: 0 });
    expect(readParquetWithWasm(staging.bytes()).columns.source_line.values).toEqual([1, 4]);
  });

  it('rejects a line over the limit without buffering it, and goes on with the next line', async () => {
    // Prepare
    const [a, b] = fixture('valid.ndjson').toString('utf8').trim().split('\n');
    const long = `{"event_id":"long","pad":"${'x'.repeat(5000)}"}`;
    const chunks = [
      Buffer.from(`${a}\n${long.slice(0, 3000)}`),
      Buffer.from(`${long.slice(3000)}\n${b}\n`),
    ];

    // Act
    const { result, rejected } = await transform('long.ndjson', chunks, { maxLineBytes: 2048 });

    // Assess
    expect(result.counts).toEqual({ input: 3, valid: 2, rejected: 1, duplicates: 0 });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ line: 2, code: 'LINE_TOO_LONG' });
    expect(rejected[0].error).toMatch(/has 5028 bytes/);
    expect(rejected[0].raw.length).toBeLessThan(1100);
  });

  it('rejects a line with bytes that are not UTF-8 and keeps them exactly in rawBase64', async () => {
    // Prepare
    const [a] = fixture('valid.ndjson').toString('utf8').trim().split('\n');
    const bad = Buffer.concat([
      Buffer.from('{"event_id":"x","user_id":"u-'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);

    // Act
    const { result, rejected } = await transform('latin.ndjson', [
      Buffer.from(`${a}\n`),
      bad,
      Buffer.from('\n'),
    ]);

    // Assess
    expect(result.counts).toEqual({ input: 2, valid: 1, rejected: 1, duplicates: 0 });
    expect(rejected[0]).toMatchObject({ line: 2, code: 'NOT_UTF8' });
    expect(Buffer.from(rejected[0].rawBase64 as string, 'base64')).toEqual(bad);
  });

  it('reads gzip by its magic bytes whatever the name, and plain text named .gz', async () => {
    // Prepare
    const body = fixture('valid.ndjson');

    // Act
    const zipped = await transform('export.json', gzipSync(body));
    const plain = await transform('export.ndjson.gz', body);

    // Assess
    expect(zipped.result).toMatchObject({ gzip: true, counts: { valid: 4 } });
    expect(plain.result).toMatchObject({ gzip: false, counts: { valid: 4 } });
  });

  it('gives zero counts and an empty but valid staging file for an empty object', async () => {
    // Act
    const { result, staging, quarantine } = await transform('empty.ndjson', []);

    // Assess
    expect(result.counts).toEqual({ input: 0, valid: 0, rejected: 0, duplicates: 0 });
    expect(readParquetWithWasm(staging.bytes()).rows).toBe(0);
    expect(quarantine.bytes()).toHaveLength(0);
  });

  it('writes row groups of the requested size', async () => {
    // Prepare
    const lines = Array.from({ length: 25 }, (_, i) =>
      JSON.stringify({
        event_id: `e-${i}`,
        event_type: 'lesson_started',
        user_id: 'u',
        course_id: 'c',
        occurred_at: '2026-03-01T08:00:00Z',
      }),
    );

    // Act
    const { staging } = await transform('groups.ndjson', `${lines.join('\n')}\n`, {
      rowGroupRows: 10,
    });

    // Assess
    const { parquetMetadata } = await import('hyparquet');
    const bytes = staging.bytes();
    const metadata = parquetMetadata(new Uint8Array(bytes).buffer);
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([10, 10, 5]);
    expect(readParquetWithWasm(bytes).rows).toBe(25);
  });
});

describe('transformObject: CSV', () => {
  it('reads a CSV with a header, quoted fields and extra columns', async () => {
    // Act
    const { result, staging } = await transform('valid.csv', fixture('valid.csv'));

    // Assess
    expect(result).toMatchObject({ format: 'csv', counts: { input: 3, valid: 3, rejected: 0 } });
    const table = readParquetWithWasm(staging.bytes());
    expect(table.columns.event_id.values).toEqual(['c-1', 'c-2', 'c-3']);
    expect(table.columns.course_id.values).toEqual(['c-1', 'c-1', 'c-2']);
    expect(table.columns.score.values).toEqual([null, 7, null]);
    expect(table.columns.seconds_watched.values).toEqual([null, null, 42]);
    expect(table.columns.source_line.values).toEqual([2, 3, 4]);
  });

  it('rejects rows with more or fewer fields, broken quoting and wrong types, then goes on', async () => {
    // Act
    const { result, rejected, staging } = await transform('bad.csv', fixture('bad-rows.csv'));

    // Assess
    expect(result.counts).toEqual({ input: 5, valid: 1, rejected: 4, duplicates: 0 });
    expect(rejected.map((r) => [r.line, r.code])).toEqual([
      [2, 'CSV_COLUMN_COUNT'],
      [3, 'CSV_COLUMN_COUNT'],
      [4, 'CSV_MALFORMED'],
      [5, 'SCHEMA'],
    ]);
    expect(rejected[0].error).toMatch(/has 9 fields, more than the 8 columns/);
    expect(rejected[1].error).toMatch(/has 7 fields, fewer than the 8 columns/);
    expect(readParquetWithWasm(staging.bytes()).columns.event_id.values).toEqual(['b-5']);
  });

  it('detects CSV by its header when the name says nothing', async () => {
    // Act
    const { result } = await transform('export-7', fixture('valid.csv'));

    // Assess
    expect(result).toMatchObject({ format: 'csv', counts: { valid: 3 } });
  });

  it('fails the whole object when the header lacks a required column', async () => {
    // Prepare
    const out = sinks();

    // Act
    const failure = transformObject(
      {
        body: Readable.from([fixture('missing-column.csv')]),
        key: key('h.csv'),
        date: DATE,
        now: NOW,
      },
      out,
    );

    // Assess
    await expect(failure).rejects.toThrow(EtlObjectError);
    await expect(failure).rejects.toMatchObject({
      name: 'EtlObjectError',
      code: 'CSV_HEADER',
      message: expect.stringMatching(/lacks the required column\(s\) occurred_at/),
    });
    expect(out.staging.destroyed).toBe(true);
    expect(out.quarantine.destroyed).toBe(true);
  });
});

describe('transformObject: unreadable objects', () => {
  it('fails with TRUNCATED_GZIP on a gzip stream cut short', async () => {
    // Prepare
    const gz = gzipSync(fixture('valid.ndjson'));
    const out = sinks();

    // Act
    const failure = transformObject(
      {
        body: Readable.from([gz.subarray(0, gz.length - 10)]),
        key: key('t.ndjson.gz'),
        date: DATE,
        now: NOW,
      },
      out,
    );

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'EtlObjectError', code: 'TRUNCATED_GZIP' });
    expect(out.staging.destroyed).toBe(true);
  });

  it('fails with CORRUPT_GZIP when gzip bytes do not inflate', async () => {
    // Prepare
    const gz = gzipSync(fixture('valid.ndjson'));
    gz.fill(0xaa, 10, 40);

    // Act
    const failure = transform('c.ndjson.gz', gz);

    // Assess
    await expect(failure).rejects.toMatchObject({ code: 'CORRUPT_GZIP' });
  });

  it('fails with UNREADABLE when the source stream errors, keeping the cause', async () => {
    // Prepare
    const body = new PassThrough();
    body.write(fixture('valid.ndjson'));
    setImmediate(() => body.destroy(new Error('socket hang up')));

    // Act
    const failure = transformObject({ body, key: key('u.ndjson'), date: DATE, now: NOW }, sinks());

    // Assess
    await expect(failure).rejects.toMatchObject({
      code: 'UNREADABLE',
      message: expect.stringMatching(/socket hang up/),
      cause: expect.objectContaining({ message: 'socket hang up' }),
    });
  });
});

describe('transformObject: streaming', () => {
  it('waits for a slow sink (backpressure) and still writes every row', async () => {
    // Prepare
    const lines = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({
        event_id: `e-${i}`,
        event_type: 'lesson_started',
        user_id: 'u',
        course_id: 'c',
        occurred_at: '2026-03-01T08:00:00Z',
      }),
    );
    const staging = new MemorySink({ highWaterMark: 16, delayMs: 2 });
    let writesWhileFull = 0;
    let fullAfterWrite = 0;
    const write = staging.write.bind(staging);
    staging.write = ((chunk: Buffer) => {
      if (staging.writableNeedDrain) writesWhileFull++;
      const accepted = write(chunk);
      if (!accepted) fullAfterWrite++;
      return accepted;
    }) as typeof staging.write;

    // Act
    await transformObject(
      {
        body: Readable.from([Buffer.from(lines.join('\n'))]),
        key: key('slow.ndjson'),
        date: DATE,
        now: NOW,
      },
      { staging, quarantine: new MemorySink() },
      { rowGroupRows: 50 },
    );

    // Assess
    expect(readParquetWithWasm(staging.bytes()).rows).toBe(300);
    // The sink said "full" after row groups, and Transform never wrote again before 'drain'.
    expect(fullAfterWrite).toBeGreaterThan(3);
    expect(writesWhileFull).toBe(0);
  });
});
