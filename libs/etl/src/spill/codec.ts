import type { StagedRow } from '../staging';

// The compact binary encoding of the de-duplication spill files (see spill/index.ts). Little-endian.
//
// row    = flags:u8  source_line:u32  occurred_at:f64  event_id:str  user_id:str  course_id:str
//          [event_type:str when the type code is OTHER_TYPE]  [score:f64] [max_score:f64] [seconds_watched:f64]
// flags  = bits 0–2 type code (0–3 the known types, 7 any other string), bit 3 score, bit 4 max_score,
//          bit 5 seconds_watched present
// str    = len:u8 (0–252) + UTF-8 bytes | 253 + len:u32 + UTF-8 bytes | 254 + len:u32 + UTF-16LE code units
// id     = seq:u32 event_id:str            (the entries of the hash-partitioned id file)
//
// UTF-16LE is used for a string holding a lone surrogate (`"\ud800"` is valid JSON): UTF-8 would
// turn it into U+FFFD, and two different ids could then compare equal after the round trip.

/** The event types with a type code (0–3) of their own. */
export const KNOWN_TYPES = [
  'lesson_started',
  'lesson_completed',
  'quiz_submitted',
  'video_progress',
];
const TYPE_CODE = new Map(KNOWN_TYPES.map((type, code) => [type, code]));
const OTHER_TYPE = 7;
const HAS_SCORE = 0x08;
const HAS_MAX_SCORE = 0x10;
const HAS_SECONDS = 0x20;
const SHORT_MAX = 252;
const LONG_UTF8 = 253;
const LONG_UTF16 = 254;

const isWellFormed = (text: string): boolean =>
  // ES2024, in Node ≥ 20; the workspace's TypeScript lib is ES2023.
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Most bytes {@link writeString} can take for `text` (3 UTF-8 bytes per UTF-16 code unit, header 5). */
export const maxStringBytes = (text: string): number => 5 + 3 * text.length;

/** Most bytes {@link encodeRow} can take for `row`. */
export function maxRowBytes(row: StagedRow): number {
  return (
    37 +
    maxStringBytes(row.event_id) +
    maxStringBytes(row.user_id) +
    maxStringBytes(row.course_id) +
    maxStringBytes(row.event_type)
  );
}

/** Writes `text` at `at` (room for {@link maxStringBytes} is the caller's job); returns the next offset. */
export function writeString(buffer: Buffer, at: number, text: string): number {
  const length = text.length;
  // ASCII fast path in JS: ids are short, and a call into C++ per string costs more than this loop.
  if (length <= SHORT_MAX) {
    let i = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) break;
      buffer[at + 1 + i] = code;
    }
    if (i === length) {
      buffer[at] = length;
      return at + 1 + length;
    }
  }
  if (!isWellFormed(text)) {
    buffer[at] = LONG_UTF16;
    const bytes = buffer.write(text, at + 5, 'utf16le');
    buffer.writeUInt32LE(bytes, at + 1);
    return at + 5 + bytes;
  }
  // Written once, assuming the short header; moved by 4 bytes in the long case.
  const bytes = buffer.write(text, at + 1, 'utf8');
  if (bytes <= SHORT_MAX) {
    buffer[at] = bytes;
    return at + 1 + bytes;
  }
  buffer.copyWithin(at + 5, at + 1, at + 1 + bytes);
  buffer[at] = LONG_UTF8;
  buffer.writeUInt32LE(bytes, at + 1);
  return at + 5 + bytes;
}

/** Writes `row` at `at` (room for {@link maxRowBytes} is the caller's job); returns the next offset. */
export function encodeRow(buffer: Buffer, at: number, row: StagedRow): number {
  const code = TYPE_CODE.get(row.event_type) ?? OTHER_TYPE;
  const flags =
    code |
    (row.score === null ? 0 : HAS_SCORE) |
    (row.max_score === null ? 0 : HAS_MAX_SCORE) |
    (row.seconds_watched === null ? 0 : HAS_SECONDS);
  buffer[at] = flags;
  buffer.writeUInt32LE(row.source_line, at + 1);
  buffer.writeDoubleLE(row.occurred_at, at + 5);
  let next = writeString(buffer, at + 13, row.event_id);
  next = writeString(buffer, next, row.user_id);
  next = writeString(buffer, next, row.course_id);
  if (code === OTHER_TYPE) next = writeString(buffer, next, row.event_type);
  if (row.score !== null) next = buffer.writeDoubleLE(row.score, next);
  if (row.max_score !== null) next = buffer.writeDoubleLE(row.max_score, next);
  if (row.seconds_watched !== null) next = buffer.writeDoubleLE(row.seconds_watched, next);
  return next;
}

/**
 * A row whose ids are printable ASCII bytes of a line (Transform's fast path, transform/fast-row.ts):
 * encoded by {@link encodeAsciiRow} to the very bytes {@link encodeRow} writes for the same values.
 */
export interface AsciiRow {
  /** Code of `event_type` (0–3, the order of the known types). */
  typeCode: number;
  /** Epoch ms. */
  occurredAt: number;
  eventIdStart: number;
  eventIdEnd: number;
  userIdStart: number;
  userIdEnd: number;
  courseIdStart: number;
  courseIdEnd: number;
  /** `NaN` when the event type has no such field (quizzes have both scores, videos the seconds). */
  score: number;
  maxScore: number;
  secondsWatched: number;
}

/** Most bytes {@link encodeAsciiRow} can take: 37 + three ids of at most 252 bytes, each with a 1-byte header. */
export const MAX_ASCII_ROW_BYTES = 37 + 3 * 253;

/** Copies `line[from, to)` (ASCII, at most 252 bytes) as a short string; returns the next offset. */
function copyAscii(buffer: Buffer, at: number, line: Uint8Array, from: number, to: number): number {
  const length = to - from;
  buffer[at] = length;
  let out = at + 1;
  for (let k = from; k < to; k++) buffer[out++] = line[k];
  return out;
}

/**
 * Writes `row` (ids read from `line`) at `at` (room for {@link MAX_ASCII_ROW_BYTES} is the
 * caller's job); returns the next offset. Same bytes as {@link encodeRow} of the same row: the
 * UTF-8 of an ASCII string is its bytes, and quizzes carry both scores, videos the seconds.
 */
export function encodeAsciiRow(
  buffer: Buffer,
  at: number,
  line: Uint8Array,
  row: AsciiRow,
  sourceLine: number,
): number {
  const code = row.typeCode;
  const flags =
    code |
    (Number.isNaN(row.score) ? 0 : HAS_SCORE) |
    (Number.isNaN(row.maxScore) ? 0 : HAS_MAX_SCORE) |
    (Number.isNaN(row.secondsWatched) ? 0 : HAS_SECONDS);
  buffer[at] = flags;
  buffer.writeUInt32LE(sourceLine, at + 1);
  buffer.writeDoubleLE(row.occurredAt, at + 5);
  let next = copyAscii(buffer, at + 13, line, row.eventIdStart, row.eventIdEnd);
  next = copyAscii(buffer, next, line, row.userIdStart, row.userIdEnd);
  next = copyAscii(buffer, next, line, row.courseIdStart, row.courseIdEnd);
  if (flags & HAS_SCORE) next = buffer.writeDoubleLE(row.score, next);
  if (flags & HAS_MAX_SCORE) next = buffer.writeDoubleLE(row.maxScore, next);
  if (flags & HAS_SECONDS) next = buffer.writeDoubleLE(row.secondsWatched, next);
  return next;
}

/** Writes the id-file entry of an ASCII `event_id` (`line[from, to)`); returns the next offset. */
export function encodeAsciiId(
  buffer: Buffer,
  at: number,
  seq: number,
  line: Uint8Array,
  from: number,
  to: number,
): number {
  buffer.writeUInt32LE(seq, at);
  return copyAscii(buffer, at + 4, line, from, to);
}

/** Offset after the string at `at`. */
function stringEnd(buffer: Buffer, at: number): number {
  const header = buffer[at];
  return header <= SHORT_MAX ? at + 1 + header : at + 5 + buffer.readUInt32LE(at + 1);
}

/** Offset after the row {@link encodeRow} wrote at `at`, without decoding it. */
export function rowEnd(buffer: Buffer, at: number): number {
  const flags = buffer[at];
  let next = stringEnd(buffer, at + 13);
  next = stringEnd(buffer, next);
  next = stringEnd(buffer, next);
  if ((flags & 0x07) === OTHER_TYPE) next = stringEnd(buffer, next);
  if (flags & HAS_SCORE) next += 8;
  if (flags & HAS_MAX_SCORE) next += 8;
  if (flags & HAS_SECONDS) next += 8;
  return next;
}

/** Reads what {@link encodeRow} and {@link writeString} wrote, moving `offset` along. */
export class SpillReader {
  offset = 0;

  constructor(readonly buffer: Buffer) {}

  get done(): boolean {
    return this.offset >= this.buffer.length;
  }

  u32(): number {
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  string(): string {
    const { buffer } = this;
    const header = buffer[this.offset];
    if (header <= SHORT_MAX) {
      const start = this.offset + 1;
      this.offset = start + header;
      return buffer.toString('utf8', start, this.offset);
    }
    const length = buffer.readUInt32LE(this.offset + 1);
    const start = this.offset + 5;
    this.offset = start + length;
    return buffer.toString(header === LONG_UTF16 ? 'utf16le' : 'utf8', start, this.offset);
  }

  /** Decodes one row into `into` (reused: the caller copies what it keeps). */
  row(into: StagedRow): void {
    const { buffer } = this;
    const flags = buffer[this.offset];
    into.source_line = buffer.readUInt32LE(this.offset + 1);
    into.occurred_at = buffer.readDoubleLE(this.offset + 5);
    this.offset += 13;
    into.event_id = this.string();
    into.user_id = this.string();
    into.course_id = this.string();
    const code = flags & 0x07;
    into.event_type = code === OTHER_TYPE ? this.string() : KNOWN_TYPES[code];
    into.score = flags & HAS_SCORE ? this.#f64() : null;
    into.max_score = flags & HAS_MAX_SCORE ? this.#f64() : null;
    into.seconds_watched = flags & HAS_SECONDS ? this.#f64() : null;
  }

  #f64(): number {
    const value = this.buffer.readDoubleLE(this.offset);
    this.offset += 8;
    return value;
  }
}

/**
 * Decodes the strings of a row group's encoded rows, each distinct one once: ids repeat across
 * rows (a learner, a course), and a string per row was most of pass 2's garbage. Keyed by the
 * encoded bytes (header included, so UTF-8 and UTF-16 forms never mix); {@link clear} between
 * groups keeps it bounded by one group's distinct values.
 */
export class StringInterner {
  /** The string the last {@link read} or {@link readFresh} decoded. */
  value = '';
  /** The number of distinct strings {@link read} has met since {@link clear}, in the order met; the last one read is {@link index}. */
  index = -1;
  #table = new Int32Array(1024).fill(-1);
  #starts: number[] = [];
  #ends: number[] = [];
  #values: string[] = [];
  #buffer: Buffer | undefined;

  /** Forgets every string (call per group: the offsets it keeps point into the group's buffer). */
  clear(): void {
    if (this.#values.length) this.#table.fill(-1);
    this.index = -1;
    this.#starts = [];
    this.#ends = [];
    this.#values = [];
    this.#buffer = undefined;
  }

  /** Reads the string at `at` into {@link value}; returns the offset after it. */
  read(buffer: Buffer, at: number): number {
    if (this.#buffer !== buffer) {
      this.clear();
      this.#buffer = buffer;
    }
    const end = stringEnd(buffer, at);
    let hash = 0x811c9dc5;
    for (let k = at; k < end; k++) hash = Math.imul(hash ^ buffer[k], 0x01000193);
    const mask = this.#table.length - 1;
    let slot = (hash >>> 0) & mask;
    for (;;) {
      const index = this.#table[slot];
      if (index < 0) break;
      const start = this.#starts[index];
      if (this.#ends[index] - start === end - at && sameRange(buffer, start, at, end - at)) {
        this.value = this.#values[index];
        this.index = index;
        return end;
      }
      slot = (slot + 1) & mask;
    }
    this.readFresh(buffer, at);
    this.index = this.#values.length;
    this.#table[slot] = this.#values.length;
    this.#starts.push(at);
    this.#ends.push(end);
    this.#values.push(this.value);
    if (this.#values.length * 2 > this.#table.length) this.#grow(buffer);
    return end;
  }

  /** The distinct strings {@link read} has met since {@link clear}, in the order met (index = {@link index}). */
  get values(): readonly string[] {
    return this.#values;
  }

  /** Decodes the string at `at` into {@link value} without remembering it; returns the offset after it. */
  readFresh(buffer: Buffer, at: number): number {
    const header = buffer[at];
    if (header <= SHORT_MAX) {
      this.value = buffer.toString('utf8', at + 1, at + 1 + header);
      return at + 1 + header;
    }
    const length = buffer.readUInt32LE(at + 1);
    this.value = buffer.toString(
      header === LONG_UTF16 ? 'utf16le' : 'utf8',
      at + 5,
      at + 5 + length,
    );
    return at + 5 + length;
  }

  #grow(buffer: Buffer): void {
    const table = new Int32Array(this.#table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let index = 0; index < this.#values.length; index++) {
      let hash = 0x811c9dc5;
      for (let k = this.#starts[index]; k < this.#ends[index]; k++) {
        hash = Math.imul(hash ^ buffer[k], 0x01000193);
      }
      let slot = (hash >>> 0) & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = index;
    }
    this.#table = table;
  }
}

function sameRange(buffer: Buffer, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (buffer[a + k] !== buffer[b + k]) return false;
  return true;
}
