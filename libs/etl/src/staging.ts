import type { Writable } from 'node:stream';
import type { LearningEvent } from '@slipway/events';
import { ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { EtlInputError } from './errors';
import { emptyParquet, StreamParquetWriter } from './parquet-io';
import { encodeRow, KNOWN_TYPES, maxRowBytes, StringInterner } from './spill/codec';
import { snappyCompress } from './snappy';
import { StagingGroupEncoder } from './staging-pages';
import { writeWithBackpressure } from './streams';

/** Rows per Parquet row group in staging files: bounds Transform's memory (see README). */
export const DEFAULT_ROW_GROUP_ROWS = 10_000;

/** `created_by` of every Parquet file written here. No version: a dependency bump must not change the bytes of unchanged data. */
export const PARQUET_CREATED_BY = 'slipway-etl';

/**
 * Columns of a staging file: one row per valid, de-duplicated event of one raw object, in
 * the object's order. The type-specific columns are null for the other event types.
 * `source_key` and `source_line` say where the row came from (lineage, and the order Aggregate
 * relies on to keep the first of cross-object duplicates).
 */
export const STAGING_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 10 },
  { name: 'event_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'event_type', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'user_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'course_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  {
    name: 'occurred_at',
    type: 'INT64',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    repetition_type: 'REQUIRED',
  },
  { name: 'score', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  { name: 'max_score', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  { name: 'seconds_watched', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  { name: 'source_key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'source_line', type: 'INT32', repetition_type: 'REQUIRED' },
];

/**
 * One staging row as plain values: what {@link StagingWriter.addRow} takes, what the
 * de-duplication spill stores, and what Aggregate reads back from a staging file. The
 * type-specific columns are `null` when the event type has no such field.
 */
export interface StagedRow {
  event_id: string;
  /** One of the four learning event types for rows Transform writes; Aggregate may read others. */
  event_type: string;
  user_id: string;
  course_id: string;
  /** Epoch milliseconds (UTC). */
  occurred_at: number;
  score: number | null;
  max_score: number | null;
  seconds_watched: number | null;
  /** 1-based line of the row in its raw object. */
  source_line: number;
}

/** The staging row of a validated event found on `line` of its raw object. */
export function stagedRow(event: LearningEvent, line: number): StagedRow {
  return {
    event_id: event.event_id,
    event_type: event.event_type,
    user_id: event.user_id,
    course_id: event.course_id,
    occurred_at: Date.parse(event.occurred_at),
    score: event.event_type === 'quiz_submitted' ? event.score : null,
    max_score: event.event_type === 'quiz_submitted' ? event.max_score : null,
    seconds_watched: event.event_type === 'video_progress' ? event.seconds_watched : null,
    source_line: line,
  };
}

/** Codec constants the group decoder needs (spill/codec.ts). */
const SHORT_STRING_MAX = 252;
const OTHER_TYPE_CODE = 7;

interface StagingColumns {
  /** Strings, or their UTF-8 bytes when every id of the group is ASCII (see `#writeGroup`). */
  event_id: (string | Uint8Array)[];
  event_type: string[];
  user_id: string[];
  course_id: string[];
  occurred_at: number[];
  score: (number | null)[];
  max_score: (number | null)[];
  seconds_watched: (number | null)[];
  source_key: string[];
  source_line: number[];
}

/** A row group being filled or waiting to be written: its rows in the spill's compact encoding. */
interface EncodedGroup {
  buffer: Buffer;
  used: number;
  rows: number;
}

/** Initial bytes of a group's buffer; it doubles while it fills (≈ 60 bytes per row). */
const GROUP_BUFFER_BYTES = 256 * 1024;

const newGroup = (bytes = GROUP_BUFFER_BYTES): EncodedGroup => ({
  buffer: Buffer.allocUnsafe(bytes),
  used: 0,
  rows: 0,
});

/**
 * Streams valid events into a staging Parquet file, one row group per `rowGroupRows` rows.
 * `add()` is synchronous and only buffers; `flushFull()` encodes and writes the row groups
 * that are full, waiting for the sink's backpressure. At most one partly filled group plus the
 * full ones not yet flushed are held in memory.
 *
 * @example
 * const staging = new StagingWriter(sink, 'raw/lms/dt=2026-03-01/a.ndjson');
 * staging.add(event, 1);
 * await staging.flushFull();
 * await staging.finish(); // writes the footer; does not end `sink`
 */
export class StagingWriter {
  readonly #parquet: ParquetWriter;
  readonly #sink: Writable;
  readonly #sourceKey: string;
  readonly #rowGroupRows: number;
  #current = newGroup();
  #full: EncodedGroup[] = [];
  /** A written group's buffer, kept for the next group (no garbage per group). */
  #spare: Buffer | undefined;
  #rows = 0;
  readonly #interner = new StringInterner();
  readonly #encoder: StagingGroupEncoder;

  constructor(sink: Writable, sourceKey: string, rowGroupRows = DEFAULT_ROW_GROUP_ROWS) {
    if (!Number.isInteger(rowGroupRows) || rowGroupRows < 1) {
      throw new EtlInputError(`rowGroupRows must be a positive integer, got ${rowGroupRows}.`);
    }
    this.#parquet = new ParquetWriter({
      writer: new StreamParquetWriter(sink),
      schema: STAGING_SCHEMA,
      createdBy: PARQUET_CREATED_BY,
      // hyparquet-writer's Snappy, same bytes, faster (src/snappy.ts).
      compressors: { SNAPPY: snappyCompress },
      // Min/max statistics cost ~4× the encoding time in hyparquet-writer (measured) and only
      // serve predicate pushdown; Aggregate reads every staging row anyway. Curated tables keep them.
      statistics: false,
    });
    this.#sink = sink;
    this.#sourceKey = sourceKey;
    this.#encoder = new StagingGroupEncoder(sourceKey);
    this.#rowGroupRows = rowGroupRows;
  }

  /** Rows added so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Whether full row groups are waiting for {@link flushFull}. */
  get hasFullGroups(): boolean {
    return this.#full.length > 0;
  }

  /** Buffers one event; `line` is its 1-based line in the raw object. */
  add(event: LearningEvent, line: number): void {
    this.addRow(stagedRow(event, line));
  }

  /**
   * Buffers one row given as values (the row's `source_key` is this writer's). The row is
   * copied into the group's buffer in the spill's compact encoding, not kept as JS objects:
   * a 10 000-row group of strings outlived V8's young generation, was promoted, and made peak
   * RSS grow with the object (libs/etl/README.md, "Memory and backpressure").
   */
  addRow(row: StagedRow): void {
    let group = this.#current;
    const bytes = maxRowBytes(row);
    if (group.used + bytes > group.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(group.buffer.length * 2, group.used + bytes));
      group.buffer.copy(grown, 0, 0, group.used);
      group.buffer = grown;
    }
    group.used = encodeRow(group.buffer, group.used, row);
    group.rows++;
    this.#rows++;
    if (group.rows >= this.#rowGroupRows) {
      this.#full.push(group);
      const spare = this.#spare;
      this.#spare = undefined;
      group = spare ? { buffer: spare, used: 0, rows: 0 } : newGroup(group.buffer.length);
      this.#current = group;
    }
  }

  /**
   * {@link addRow} of a row already in the spill's encoding (`buffer[start, end)`, as
   * `FirstOccurrenceSpill.replayEncoded` hands it out): its bytes are copied as they are.
   */
  addEncoded(buffer: Buffer, start: number, end: number): void {
    let group = this.#current;
    const bytes = end - start;
    if (group.used + bytes > group.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(group.buffer.length * 2, group.used + bytes));
      group.buffer.copy(grown, 0, 0, group.used);
      group.buffer = grown;
    }
    const target = group.buffer;
    let at = group.used;
    // Rows are ≈ 60 bytes: a JS loop beats a call into C++ (Buffer#copy) at that size.
    for (let k = start; k < end; k++) target[at++] = buffer[k];
    group.used = at;
    group.rows++;
    this.#rows++;
    if (group.rows >= this.#rowGroupRows) {
      this.#full.push(group);
      const spare = this.#spare;
      this.#spare = undefined;
      group = spare ? { buffer: spare, used: 0, rows: 0 } : newGroup(group.buffer.length);
      this.#current = group;
    }
  }

  /** Encodes and writes every full row group, respecting the sink's backpressure. */
  async flushFull(): Promise<void> {
    while (this.#full.length) {
      const group = this.#full.shift() as EncodedGroup;
      await this.#writeGroup(group);
      this.#spare = group.buffer;
    }
  }

  /** Writes the last partial row group and the Parquet footer. Does not end the sink. */
  async finish(): Promise<void> {
    // Nothing has reached the sink yet (bytes go out per row group): write a readable empty file.
    if (this.#rows === 0) {
      await writeWithBackpressure(this.#sink, emptyParquet(STAGING_SCHEMA, PARQUET_CREATED_BY));
      return;
    }
    await this.flushFull();
    if (this.#current.rows) await this.#writeGroup(this.#current);
    this.#current = newGroup();
    await this.#parquet.finish();
  }

  /**
   * Writes a group with {@link StagingGroupEncoder}, straight from its bytes. A group the encoder
   * does not cover is decoded into columns and handed to `ParquetWriter.write` (its JS values
   * live for one group's encoding): values repeated across rows (`user_id`, `course_id`) are
   * decoded once per group ({@link StringInterner}); `event_id`s go as their UTF-8 bytes when they
   * are all ASCII (hyparquet-writer's page sizes, counted in characters for strings and in bytes
   * for byte arrays, are then the same numbers), else as strings. Either way the bytes are the same.
   */
  async #writeGroup(group: EncodedGroup): Promise<void> {
    const { buffer } = group;
    const rows = group.rows;
    if (this.#encoder.write(this.#parquet, STAGING_SCHEMA, buffer, rows)) {
      await this.#parquet.writer.flush?.();
      return;
    }
    const columns: StagingColumns = {
      event_id: [],
      event_type: new Array<string>(rows),
      user_id: new Array<string>(rows),
      course_id: new Array<string>(rows),
      occurred_at: new Array<number>(rows),
      score: new Array<number | null>(rows),
      max_score: new Array<number | null>(rows),
      seconds_watched: new Array<number | null>(rows),
      source_key: new Array<string>(rows).fill(this.#sourceKey),
      source_line: new Array<number>(rows),
    };
    const idStarts = new Int32Array(rows);
    const interner = this.#interner;
    interner.clear();
    let ascii = true;
    let at = 0;
    for (let r = 0; r < rows; r++) {
      const flags = buffer[at];
      columns.source_line[r] = buffer.readUInt32LE(at + 1);
      columns.occurred_at[r] = buffer.readDoubleLE(at + 5);
      at += 13;
      // event_id: remembered by offset; ASCII short strings become byte views below.
      idStarts[r] = at;
      const header = buffer[at];
      if (header > SHORT_STRING_MAX) {
        ascii = false;
        at += 5 + buffer.readUInt32LE(at + 1);
      } else {
        const end = at + 1 + header;
        for (let k = at + 1; k < end; k++) {
          if (buffer[k] > 0x7f) {
            ascii = false;
            break;
          }
        }
        at = end;
      }
      at = interner.read(buffer, at);
      columns.user_id[r] = interner.value;
      at = interner.read(buffer, at);
      columns.course_id[r] = interner.value;
      const code = flags & 0x07;
      if (code === OTHER_TYPE_CODE) {
        at = interner.read(buffer, at);
        columns.event_type[r] = interner.value;
      } else {
        columns.event_type[r] = KNOWN_TYPES[code];
      }
      let value: number | null = null;
      if (flags & 0x08) {
        value = buffer.readDoubleLE(at);
        at += 8;
      }
      columns.score[r] = value;
      value = null;
      if (flags & 0x10) {
        value = buffer.readDoubleLE(at);
        at += 8;
      }
      columns.max_score[r] = value;
      value = null;
      if (flags & 0x20) {
        value = buffer.readDoubleLE(at);
        at += 8;
      }
      columns.seconds_watched[r] = value;
    }
    const ids: (string | Uint8Array)[] = new Array<string | Uint8Array>(rows);
    for (let r = 0; r < rows; r++) {
      const start = idStarts[r];
      if (ascii) {
        ids[r] = buffer.subarray(start + 1, start + 1 + buffer[start]);
      } else {
        interner.readFresh(buffer, start);
        ids[r] = interner.value;
      }
    }
    columns.event_id = ids;
    await this.#parquet.write({
      columnData: Object.entries(columns).map(([name, data]) => ({
        name,
        data,
        // Unique in every staging file (ids are de-duplicated, lines increase): hyparquet-writer's
        // sampling always rejects a dictionary for them, so asking for PLAIN writes the same bytes.
        ...(name === 'event_id' || name === 'source_line' ? { encoding: 'PLAIN' as const } : {}),
      })),
      rowGroupSize: rows,
    });
  }
}
