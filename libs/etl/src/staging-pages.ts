import type { ColumnChunk, Encoding, ParquetType, SchemaElement } from 'hyparquet';
import { ByteWriter, type ParquetWriter } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { KNOWN_TYPES, StringInterner } from './spill/codec';
import { snappyCompress } from './snappy';

// The staging writer's own row-group encoder (GitHub issue 17). It writes a group of the fixed
// staging schema with the bytes hyparquet-writer 0.17's `ParquetWriter.write({ columnData,
// rowGroupSize })` writes for the same rows, PLAIN for `event_id` and `source_line`, no
// statistics, SNAPPY, and it reads the rows from the spill's encoding directly: no JS value per
// row, no `BigInt` per timestamp, no per-value page-size estimate. What must agree with
// hyparquet-writer is restated here from its source and tested byte for byte against it
// (staging-pages.spec.ts, on generated groups that take every path, and the pinned staging
// hashes of tools/bench's etl-output.spec.ts):
// - the dictionary decision (dictionary.js `useDictionary`): a sample of at most 1 000 values
//   spread over the column; reject when the sampled distinct bytes exceed 90 % of the sampled
//   bytes; else build the dictionary in first-occurrence order and keep it when twice its bytes
//   plus the bit-packed indexes do not exceed the PLAIN bytes. A string's size is its UTF-16
//   length plus 4 (PLAIN's length prefix); a number's is 8; a null's 0;
// - one DATA_PAGE_V2 per column chunk (a chunk that would reach the 1 MiB page size is left
//   to hyparquet-writer, which splits it), levels and indexes with its RLE/bit-packing hybrid,
//   headers with its Thrift writer, the chunk metadata it records.

/** hyparquet-writer's default page size (`ParquetWriter.write`'s `pageSize`). */
const PAGE_SIZE = 1_048_576;
const SAMPLE_SIZE = 1000;
const SAMPLE_REJECTION_RATIO = 0.9;
const SHORT_STRING_MAX = 252;
const HAS_SCORE = 0x08;
const HAS_MAX_SCORE = 0x10;
const HAS_SECONDS = 0x20;
const TYPE_MASK = 0x07;

type Writer = ParquetWriter['writer'];

/** A column's dictionary: its values in first-occurrence order and the index of every non-null row. */
interface Dictionary {
  /** PLAIN bytes of the values (the dictionary page before compression). */
  plain: Uint8Array;
  size: number;
  /** One per row; a null row's entry is meaningless and left out of the data page (`present`). */
  indexes: Int32Array;
}

/**
 * Encodes the row groups of one staging file; one instance per `StagingWriter` (it keeps its
 * scratch arrays from group to group).
 */
export class StagingGroupEncoder {
  readonly #users = new StringInterner();
  readonly #courses = new StringInterner();
  readonly #sourceKey: string;
  #capacity = 0;
  /** The PLAIN page of the group's `event_id`s, and its length. */
  #idPage = Buffer.alloc(0);
  #idPageBytes = 0;
  #lines = Buffer.alloc(0);
  #times = new Float64Array(0);
  #types = new Int32Array(0);
  #userIndexes = new Int32Array(0);
  #courseIndexes = new Int32Array(0);
  #scores = new Float64Array(0);
  #maxScores = new Float64Array(0);
  #seconds = new Float64Array(0);
  /** Index arrays of the dictionary columns (event_type, occurred_at, the three doubles, source_key), reused. */
  #indexes: Int32Array[] = [];
  /** Presence of each of the three doubles, reused. */
  #present: Uint8Array[] = [];
  readonly #scratch = new Scratch();

  constructor(sourceKey: string) {
    this.#sourceKey = sourceKey;
  }

  /**
   * Writes the group of `rows` spill-encoded rows at `buffer[0, used)` as one row group and
   * records it in `parquet` (its `row_groups`, `num_rows` and pending indexes, as `write` does).
   * Returns `false`, having written nothing, for a group it does not cover: an `event_id` that
   * is not short ASCII, an event type outside the four known ones, or a column that would span
   * two pages. The caller then writes the group with `ParquetWriter.write`.
   */
  write(parquet: ParquetWriter, schema: SchemaElement[], buffer: Buffer, rows: number): boolean {
    if (!this.#decode(buffer, rows)) return false;
    const users = this.#users.values;
    const courses = this.#courses.values;
    if (this.#idPageBytes - 4 * rows >= PAGE_SIZE || rows * 8 >= PAGE_SIZE) return false;

    // Decide every column before writing a byte.
    const [typeIndexes, timeIndexes, scoreIndexes, maxScoreIndexes, secondsIndexes] = this.#indexes;
    const types = indexedDictionary(
      this.#types,
      rows,
      KNOWN_TYPES.length,
      (code) => KNOWN_TYPES[code],
      typeIndexes,
    );
    const user = stringDictionary(this.#userIndexes.subarray(0, rows), rows, users);
    const course = stringDictionary(this.#courseIndexes.subarray(0, rows), rows, courses);
    const time = numberDictionary(this.#times, rows, undefined, 'INT64', timeIndexes);
    const [scorePresent, maxScorePresent, secondsPresent] = this.#present.map((present) =>
      present.subarray(0, rows),
    );
    const score = numberDictionary(this.#scores, rows, scorePresent, 'DOUBLE', scoreIndexes);
    const maxScore = numberDictionary(
      this.#maxScores,
      rows,
      maxScorePresent,
      'DOUBLE',
      maxScoreIndexes,
    );
    const seconds = numberDictionary(this.#seconds, rows, secondsPresent, 'DOUBLE', secondsIndexes);
    const source = this.#sourceKeyDictionary(rows);
    const scratch = this.#scratch;
    // PLAIN strings are sized by their UTF-8 bytes (hyparquet-writer encodes them first).
    const userPlain = user ? undefined : plainStrings(this.#userIndexes, rows, users);
    const coursePlain = course ? undefined : plainStrings(this.#courseIndexes, rows, courses);
    for (const page of [userPlain, coursePlain]) {
      if (page && page.length - 4 * rows >= PAGE_SIZE) return false;
    }

    const writer = parquet.writer;
    const groupStart = writer.offset;
    const chunks: ColumnChunk[] = [];
    const [, ...elements] = schema;
    const column = (index: number, write: () => ChunkPages) => {
      const element = elements[index];
      const start = writer.offset;
      const pages = write();
      chunks.push({
        meta_data: {
          type: element.type as ParquetType,
          encodings: pages.dictionaryOffset === undefined ? ['PLAIN'] : ['PLAIN', 'RLE_DICTIONARY'],
          path_in_schema: [element.name],
          codec: 'SNAPPY',
          num_values: BigInt(rows),
          total_compressed_size: BigInt(writer.offset - start),
          total_uncompressed_size: BigInt(pages.uncompressed),
          data_page_offset: pages.dataOffset,
          dictionary_page_offset: pages.dictionaryOffset,
        },
        file_offset: BigInt(start),
      });
    };
    column(0, () =>
      plainColumn(writer, scratch, this.#idPage.subarray(0, this.#idPageBytes), rows),
    );
    column(1, () =>
      types
        ? dictionaryColumn(writer, scratch, types, rows, undefined)
        : plainColumn(writer, scratch, plainStrings(this.#types, rows, KNOWN_TYPES), rows),
    );
    column(2, () =>
      user
        ? dictionaryColumn(writer, scratch, user, rows, undefined)
        : plainColumn(writer, scratch, userPlain as Uint8Array, rows),
    );
    column(3, () =>
      course
        ? dictionaryColumn(writer, scratch, course, rows, undefined)
        : plainColumn(writer, scratch, coursePlain as Uint8Array, rows),
    );
    column(4, () =>
      time
        ? dictionaryColumn(writer, scratch, time, rows, undefined)
        : plainColumn(writer, scratch, plainInt64(this.#times, rows, scratch.page(8 * rows)), rows),
    );
    const doubles: [Dictionary | undefined, Float64Array, Uint8Array][] = [
      [score, this.#scores, scorePresent],
      [maxScore, this.#maxScores, maxScorePresent],
      [seconds, this.#seconds, secondsPresent],
    ];
    doubles.forEach(([dictionary, values, present], i) => {
      column(5 + i, () =>
        dictionary
          ? dictionaryColumn(writer, scratch, dictionary, rows, present)
          : plainColumn(
              writer,
              scratch,
              plainDoubles(values, rows, present, scratch.page(8 * rows)),
              rows,
              present,
            ),
      );
    });
    column(8, () =>
      source
        ? dictionaryColumn(writer, scratch, source, rows, undefined)
        : plainColumn(
            writer,
            scratch,
            plainStrings(this.#indexes[5], rows, [this.#sourceKey]),
            rows,
          ),
    );
    column(9, () => plainColumn(writer, scratch, this.#lines.subarray(0, 4 * rows), rows));

    let totalByteSize = 0n;
    for (const chunk of chunks) {
      totalByteSize += chunk.meta_data?.total_uncompressed_size ?? 0n;
      parquet.pendingIndexes.push({ chunk });
    }
    parquet.num_rows += BigInt(rows);
    parquet.row_groups.push({
      columns: chunks,
      total_byte_size: totalByteSize,
      num_rows: BigInt(rows),
      total_compressed_size: BigInt(writer.offset - groupStart),
    });
    return true;
  }

  /** Reads every row's fields into the scratch arrays; `false` for a row this encoder leaves to hyparquet-writer. */
  #decode(buffer: Buffer, rows: number): boolean {
    this.#ensure(rows);
    const users = this.#users;
    const courses = this.#courses;
    users.clear();
    courses.clear();
    // The PLAIN page of `event_id` is written as the rows are read: a 4-byte length, the bytes.
    if (this.#idPage.length < buffer.length + 4 * rows) {
      this.#idPage = Buffer.allocUnsafe(buffer.length + 4 * rows);
    }
    const ids = this.#idPage;
    let idAt = 0;
    const [scorePresent, maxScorePresent, secondsPresent] = this.#present;
    const lines = this.#lines;
    const times = this.#times;
    const types = this.#types;
    let at = 0;
    for (let r = 0; r < rows; r++) {
      const flags = buffer[at];
      const code = flags & TYPE_MASK;
      if (code >= KNOWN_TYPES.length) return false;
      // A line number of 2^31 or more: hyparquet-writer refuses it (INT32), and says so.
      if (buffer[at + 4] & 0x80) return false;
      types[r] = code;
      lines[4 * r] = buffer[at + 1];
      lines[4 * r + 1] = buffer[at + 2];
      lines[4 * r + 2] = buffer[at + 3];
      lines[4 * r + 3] = buffer[at + 4];
      times[r] = buffer.readDoubleLE(at + 5);
      at += 13;
      const header = buffer[at];
      if (header > SHORT_STRING_MAX) return false;
      ids[idAt] = header;
      ids[idAt + 1] = 0;
      ids[idAt + 2] = 0;
      ids[idAt + 3] = 0;
      idAt += 4;
      const end = at + 1 + header;
      for (let k = at + 1; k < end; k++) {
        const byte = buffer[k];
        if (byte > 0x7f) return false;
        ids[idAt++] = byte;
      }
      at = users.read(buffer, end);
      this.#userIndexes[r] = users.index;
      at = courses.read(buffer, at);
      this.#courseIndexes[r] = courses.index;
      scorePresent[r] = 0;
      maxScorePresent[r] = 0;
      secondsPresent[r] = 0;
      if (flags & HAS_SCORE) {
        this.#scores[r] = buffer.readDoubleLE(at);
        scorePresent[r] = 1;
        at += 8;
      }
      if (flags & HAS_MAX_SCORE) {
        this.#maxScores[r] = buffer.readDoubleLE(at);
        maxScorePresent[r] = 1;
        at += 8;
      }
      if (flags & HAS_SECONDS) {
        this.#seconds[r] = buffer.readDoubleLE(at);
        secondsPresent[r] = 1;
        at += 8;
      }
    }
    this.#idPageBytes = idAt;
    return true;
  }

  #ensure(rows: number): void {
    if (rows <= this.#capacity) return;
    this.#capacity = rows;
    this.#lines = Buffer.allocUnsafe(4 * rows);
    this.#times = new Float64Array(rows);
    this.#types = new Int32Array(rows);
    this.#userIndexes = new Int32Array(rows);
    this.#courseIndexes = new Int32Array(rows);
    this.#scores = new Float64Array(rows);
    this.#maxScores = new Float64Array(rows);
    this.#seconds = new Float64Array(rows);
    this.#indexes = Array.from({ length: 6 }, () => new Int32Array(rows));
    this.#present = Array.from({ length: 3 }, () => new Uint8Array(rows));
  }

  /** `source_key`: one value in every row, so a dictionary of one exactly when that wins (2 rows or more). */
  #sourceKeyDictionary(rows: number): Dictionary | undefined {
    const same = this.#indexes[5].subarray(0, rows).fill(0);
    return indexedDictionary(same, rows, 1, () => this.#sourceKey, same);
  }
}

/**
 * Buffers reused from column to column and group to group: a page is built, compressed and
 * appended before the next one is built. Fresh arrays per page were ≈ 1 MB of dead external
 * memory per row group, which V8 frees late: peak RSS grew by a quarter from 100 k to 1 M rows.
 */
class Scratch {
  #page = Buffer.alloc(0);
  #indexes = new Int32Array(0);
  readonly levels = new ByteWriter(4096);
  readonly indexPage = new ByteWriter(32 * 1024);

  /** A buffer of at least `bytes` for one PLAIN page. */
  page(bytes: number): Buffer {
    if (this.#page.length < bytes)
      this.#page = Buffer.allocUnsafe(Math.max(bytes, 2 * this.#page.length));
    return this.#page;
  }

  /** An index array of at least `rows`. */
  indexes(rows: number): Int32Array {
    if (this.#indexes.length < rows) this.#indexes = new Int32Array(rows);
    return this.#indexes;
  }
}

/** What a column chunk's pages add up to. */
interface ChunkPages {
  uncompressed: number;
  dataOffset: bigint;
  dictionaryOffset?: bigint;
}

/**
 * The dictionary of a column whose rows are already indexes (`indexes[r]` into `count` values,
 * `valueOf(i)` the value's string, indexes in first-occurrence order), or `undefined` when
 * hyparquet-writer would write it PLAIN.
 */
function indexedDictionary(
  indexes: Int32Array,
  rows: number,
  count: number,
  valueOf: (index: number) => string,
  into: Int32Array,
): Dictionary | undefined {
  // Relabel in first-occurrence order (type codes are not), into `into`.
  const order = new Int32Array(count).fill(-1);
  const relabelled = into.subarray(0, rows);
  const values: string[] = [];
  for (let r = 0; r < rows; r++) {
    const code = indexes[r];
    let index = order[code];
    if (index < 0) {
      index = order[code] = values.length;
      values.push(valueOf(code));
    }
    relabelled[r] = index;
  }
  return stringDictionary(relabelled, rows, values);
}

/** {@link indexedDictionary} for indexes already in first-occurrence order over `values`. */
function stringDictionary(
  indexes: Int32Array,
  rows: number,
  values: readonly string[],
): Dictionary | undefined {
  // Sample: sizes with the 4-byte prefix, each distinct value's counted once.
  const sampleSize = Math.min(rows, SAMPLE_SIZE);
  const seen = new Uint8Array(values.length);
  let sampleDictionary = 0;
  let sampleTotal = 0;
  for (let i = 0; i < sampleSize; i++) {
    const at = sampleSize === 1 ? 0 : Math.floor((i * (rows - 1)) / (sampleSize - 1));
    const index = indexes[at];
    const size = values[index].length + 4;
    if (!seen[index]) {
      seen[index] = 1;
      sampleDictionary += size;
    }
    sampleTotal += size;
  }
  if (!sampleTotal || sampleDictionary / sampleTotal > SAMPLE_REJECTION_RATIO) return undefined;
  let total = 0;
  for (let r = 0; r < rows; r++) total += values[indexes[r]].length;
  let distinct = 0;
  for (const value of values) distinct += value.length;
  if (!wins(values.length, rows, total + 4 * rows, distinct + 4 * values.length)) return undefined;
  let bytes = 0;
  const encoded = values.map((value) => Buffer.from(value, 'utf8'));
  for (const value of encoded) bytes += 4 + value.length;
  const plain = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const value of encoded) {
    plain.writeUInt32LE(value.length, at);
    value.copy(plain, at + 4);
    at += 4 + value.length;
  }
  return { plain, size: values.length, indexes };
}

/** The dictionary of a number column (DOUBLE, or INT64 of safe integers), nulls where `present` is 0. */
function numberDictionary(
  values: Float64Array,
  rows: number,
  present: Uint8Array | undefined,
  type: 'DOUBLE' | 'INT64',
  into: Int32Array,
): Dictionary | undefined {
  const sampleSize = Math.min(rows, SAMPLE_SIZE);
  const sampled = new Set<number | null>();
  let sampleDictionary = 0;
  let sampleTotal = 0;
  for (let i = 0; i < sampleSize; i++) {
    const at = sampleSize === 1 ? 0 : Math.floor((i * (rows - 1)) / (sampleSize - 1));
    const key = present && !present[at] ? null : values[at];
    const size = key === null ? 0 : 8;
    if (!sampled.has(key)) {
      sampled.add(key);
      sampleDictionary += size;
    }
    sampleTotal += size;
  }
  if (!sampleTotal || sampleDictionary / sampleTotal > SAMPLE_REJECTION_RATIO) return undefined;
  // A Map compares numbers as hyparquet-writer's does (SameValueZero: -0 is 0, the first one met is kept).
  const index = new Map<number, number>();
  const dictionary: number[] = [];
  const indexes = into.subarray(0, rows);
  let nonNull = 0;
  for (let r = 0; r < rows; r++) {
    if (present && !present[r]) continue;
    nonNull++;
    const value = values[r];
    let i = index.get(value);
    if (i === undefined) {
      i = dictionary.length;
      index.set(value, i);
      dictionary.push(value);
    }
    indexes[r] = i;
  }
  if (!wins(dictionary.length, nonNull, 8 * nonNull, 8 * dictionary.length)) return undefined;
  const ordered = Float64Array.from(dictionary);
  const bytes = Buffer.allocUnsafe(8 * dictionary.length);
  const plain =
    type === 'DOUBLE'
      ? plainDoubles(ordered, dictionary.length, undefined, bytes)
      : plainInt64(ordered, dictionary.length, bytes);
  return { plain, size: dictionary.length, indexes };
}

/** hyparquet-writer's check that a dictionary pays: at least halves the PLAIN value bytes. */
function wins(size: number, nonNull: number, plainBytes: number, dictionaryBytes: number): boolean {
  const bitWidth = Math.ceil(Math.log2(size));
  const indexBytes = Math.ceil((nonNull * bitWidth) / 8);
  return !(2 * (dictionaryBytes + indexBytes) > plainBytes);
}

function plainStrings(indexes: Int32Array, rows: number, values: readonly string[]): Uint8Array {
  const encoded = values.map((value) => Buffer.from(value, 'utf8'));
  let size = 4 * rows;
  for (let r = 0; r < rows; r++) size += encoded[indexes[r]].length;
  const page = Buffer.allocUnsafe(size);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    const value = encoded[indexes[r]];
    page.writeUInt32LE(value.length, at);
    value.copy(page, at + 4);
    at += 4 + value.length;
  }
  return page;
}

/** PLAIN INT64 of safe integers (epoch milliseconds), without a `BigInt` per value. */
function plainInt64(values: Float64Array, count: number, page: Buffer): Uint8Array {
  for (let i = 0; i < count; i++) {
    const value = values[i];
    const high = Math.floor(value / 4294967296);
    page.writeUInt32LE(value - high * 4294967296, 8 * i);
    page.writeInt32LE(high, 8 * i + 4);
  }
  return page.subarray(0, 8 * count);
}

/** PLAIN DOUBLE of the present values. */
function plainDoubles(
  values: Float64Array,
  rows: number,
  present: Uint8Array | undefined,
  page: Buffer,
): Uint8Array {
  let at = 0;
  for (let r = 0; r < rows; r++) {
    if (present && !present[r]) continue;
    page.writeDoubleLE(values[r], at);
    at += 8;
  }
  return page.subarray(0, at);
}

/** Definition levels (bit width 1) of an OPTIONAL column, as `writeDataPageV2` writes them. */
function levelBytes(present: Uint8Array, writer: ByteWriter): { bytes: Uint8Array; nulls: number } {
  writer.index = 0;
  writer.offset = 0;
  writeRleBitPackedHybrid(writer, present, 1);
  let nulls = 0;
  for (let r = 0; r < present.length; r++) nulls += 1 - present[r];
  return { bytes: writer.getBytes(), nulls };
}

/** One DATA_PAGE_V2 holding `page` (PLAIN values), with its levels when the column is OPTIONAL. */
function plainColumn(
  writer: Writer,
  scratch: Scratch,
  page: Uint8Array,
  rows: number,
  present?: Uint8Array,
): ChunkPages {
  const dataOffset = BigInt(writer.offset);
  return { dataOffset, uncompressed: dataPage(writer, scratch, 'PLAIN', page, rows, present) };
}

/** A dictionary page, then one DATA_PAGE_V2 of RLE_DICTIONARY indexes. */
function dictionaryColumn(
  writer: Writer,
  scratch: Scratch,
  dictionary: Dictionary,
  rows: number,
  present: Uint8Array | undefined,
): ChunkPages {
  const dictionaryOffset = BigInt(writer.offset);
  const compressed = snappyCompress(dictionary.plain);
  const headerStart = writer.offset;
  writePageHeader(writer, {
    type: 'DICTIONARY_PAGE',
    uncompressed_page_size: dictionary.plain.length,
    compressed_page_size: compressed.length,
    dictionary_page_header: { num_values: dictionary.size, encoding: 'PLAIN' },
  });
  let uncompressed = writer.offset - headerStart + dictionary.plain.length;
  writer.appendBytes(compressed);

  // The indexes of the present rows, and the bit width of the largest.
  let indexes = dictionary.indexes;
  if (present) {
    const kept = scratch.indexes(rows);
    let count = 0;
    for (let r = 0; r < rows; r++) if (present[r]) kept[count++] = indexes[r];
    indexes = kept.subarray(0, count);
  }
  let max = 0;
  for (let i = 0; i < indexes.length; i++) if (indexes[i] > max) max = indexes[i];
  const bitWidth = Math.ceil(Math.log2(max + 1));
  const page = scratch.indexPage;
  page.index = 0;
  page.offset = 0;
  page.appendUint8(bitWidth);
  writeRleBitPackedHybrid(page, indexes, bitWidth);
  const dataOffset = BigInt(writer.offset);
  uncompressed += dataPage(writer, scratch, 'RLE_DICTIONARY', page.getBytes(), rows, present);
  return { dictionaryOffset, dataOffset, uncompressed };
}

/** Writes one DATA_PAGE_V2 as `writeDataPageV2` does; returns its uncompressed size with the header. */
function dataPage(
  writer: Writer,
  scratch: Scratch,
  encoding: Encoding,
  page: Uint8Array,
  rows: number,
  present: Uint8Array | undefined,
): number {
  const levels = present ? levelBytes(present, scratch.levels) : undefined;
  const levelLength = levels?.bytes.length ?? 0;
  const compressed = snappyCompress(page);
  const headerStart = writer.offset;
  writePageHeader(writer, {
    type: 'DATA_PAGE_V2',
    uncompressed_page_size: levelLength + page.length,
    compressed_page_size: levelLength + compressed.length,
    data_page_header_v2: {
      num_values: rows,
      num_nulls: levels?.nulls ?? 0,
      num_rows: rows,
      encoding,
      definition_levels_byte_length: levelLength,
      repetition_levels_byte_length: 0,
      is_compressed: true,
    },
  });
  const headerSize = writer.offset - headerStart;
  if (levels) writer.appendBytes(levels.bytes);
  writer.appendBytes(compressed);
  return headerSize + levelLength + page.length;
}
