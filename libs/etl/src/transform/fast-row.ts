import type { AsciiRow } from '../spill/codec';
import type { RowContext } from './rows';

/** A row the fast path accepted: its ids as offsets into the line's bytes, and its values. */
export type FastRow = AsciiRow;

// The NDJSON fast path of Transform (GitHub issue 17). A CPU profile of a 1 M-row Transform spent
// ≈ 3.4 s of 13 s in zod (`LearningEventSchema.safeParse`, its refinements and `isCalendarDate`),
// ≈ 1.4 s in strict UTF-8 decoding and `JSON.parse`, and most of its 2.3 s of GC on the objects
// these make. Nearly every row of a real export has one plain shape, so that shape is read here
// straight from the line's bytes, without a string or an object per row.
//
// The contract stays `LearningEventSchema` (libs/events): this path accepts a row only when it
// can tell, from the bytes alone, that `JSON.parse` + the schema + the time checks would accept
// it with these exact values. Anything else (an escape, a non-ASCII byte, an id to trim, an upper-
// case type, an offset, a nested value, a repeated field, a row to reject...) is declined and
// goes through the full path, which decides and writes the reason. So a row that is declined
// costs what every row cost before, and nothing is ever decided here that zod did not decide
// the same way (tests/unit/fast-row.spec.ts compares both on every fixture line and on
// generated edge cases).

/** The event types in the order of the spill's type codes (spill/codec.ts `KNOWN_TYPES`). */
export const FAST_EVENT_TYPES = [
  'lesson_started',
  'lesson_completed',
  'quiz_submitted',
  'video_progress',
] as const;
const QUIZ = 2;
const VIDEO = 3;

/** The partition and "now" in the form the fast path compares with. */
export interface FastContext {
  /** `YYYY-MM-DD` as bytes. */
  date: Uint8Array;
  dayStartMs: number;
  nowMs: number;
}

/** A reusable {@link FastRow} (all fields set, so its shape never changes). */
export const newFastRow = (): FastRow => ({
  typeCode: 0,
  occurredAt: 0,
  eventIdStart: 0,
  eventIdEnd: 0,
  userIdStart: 0,
  userIdEnd: 0,
  courseIdStart: 0,
  courseIdEnd: 0,
  score: NaN,
  maxScore: NaN,
  secondsWatched: NaN,
});

/** Precomputes what {@link readFastRow} compares with. */
export function fastContext(context: RowContext): FastContext {
  return {
    date: Buffer.from(context.date, 'latin1'),
    dayStartMs: Date.parse(`${context.date}T00:00:00.000Z`),
    nowMs: context.nowMs,
  };
}

/** Longest id the fast path takes (the spill's one-byte length header holds up to 252 bytes). */
const MAX_FAST_ID_BYTES = 252;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;

// Field codes of the keys the schema reads; any other key is dropped by zod, as here.
const F_EVENT_ID = 1;
const F_USER_ID = 2;
const F_COURSE_ID = 3;
const F_OCCURRED_AT = 4;
const F_EVENT_TYPE = 5;
const F_SCORE = 6;
const F_MAX_SCORE = 7;
const F_SECONDS = 8;
const FIELD_NAMES = [
  '',
  'event_id',
  'user_id',
  'course_id',
  'occurred_at',
  'event_type',
  'score',
  'max_score',
  'seconds_watched',
].map((name) => Buffer.from(name, 'latin1'));
const TYPE_NAMES = FAST_EVENT_TYPES.map((name) => Buffer.from(name, 'latin1'));

// Kinds of value.
const V_STRING = 1;
const V_NUMBER = 2;
const V_OTHER = 3; // true, false, null

// Per-field scratch, reused across rows (no allocation per row).
const kind = new Uint8Array(9);
const start = new Int32Array(9);
const end = new Int32Array(9);

const isWs = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0d;
const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

/**
 * Reads one NDJSON line of the common shape into `out` and returns `true`, or returns `false`
 * (and `out` is garbage) when the line must go through the full path. Accepts only:
 * an object whose keys and string values are printable ASCII without escapes, whose values are
 * strings, numbers, `true`, `false` or `null`, no schema field twice; ids of 1–252 characters with
 * nothing to trim; `event_type` exactly one of the four; `occurred_at` as
 * `YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z` on the partition day and not after "now"; the type's numbers
 * present, finite, in range (`0 ≤ score ≤ max_score`, `max_score > 0`, `seconds_watched ≥ 0`).
 */
export function readFastRow(bytes: Uint8Array, context: FastContext, out: FastRow): boolean {
  const length = bytes.length;
  kind.fill(0);
  let i = 0;
  while (i < length && isWs(bytes[i])) i++;
  if (bytes[i] !== OPEN) return false;
  i++;
  while (i < length && isWs(bytes[i])) i++;
  if (bytes[i] === CLOSE) return false; // `{}`: the schema rejects it
  for (;;) {
    // Key.
    if (bytes[i] !== QUOTE) return false;
    const keyStart = ++i;
    for (; i < length; i++) {
      const byte = bytes[i];
      if (byte === QUOTE) break;
      if (byte < 0x20 || byte > 0x7e || byte === BACKSLASH) return false;
    }
    if (i >= length) return false;
    const field = fieldOf(bytes, keyStart, i);
    i++;
    while (i < length && isWs(bytes[i])) i++;
    if (bytes[i] !== COLON) return false;
    i++;
    while (i < length && isWs(bytes[i])) i++;
    // Value.
    const valueStart = i;
    let valueKind: number;
    const first = bytes[i];
    if (first === QUOTE) {
      i++;
      for (; i < length; i++) {
        const byte = bytes[i];
        if (byte === QUOTE) break;
        if (byte < 0x20 || byte > 0x7e || byte === BACKSLASH) return false;
      }
      if (i >= length) return false;
      i++;
      valueKind = V_STRING;
    } else if (first === 0x2d || isDigit(first)) {
      i = scanNumber(bytes, i);
      if (i < 0) return false;
      valueKind = V_NUMBER;
    } else if (matches(bytes, i, 'true') || matches(bytes, i, 'null')) {
      i += 4;
      valueKind = V_OTHER;
    } else if (matches(bytes, i, 'false')) {
      i += 5;
      valueKind = V_OTHER;
    } else {
      return false; // a nested object or array, or not JSON
    }
    if (field !== 0) {
      // JSON.parse keeps the last of repeated keys; leave such rows to it.
      if (kind[field] !== 0) return false;
      kind[field] = valueKind;
      start[field] = valueStart;
      end[field] = i;
    }
    while (i < length && isWs(bytes[i])) i++;
    if (bytes[i] === COMMA) {
      i++;
      while (i < length && isWs(bytes[i])) i++;
      continue;
    }
    if (bytes[i] !== CLOSE) return false;
    i++;
    while (i < length && isWs(bytes[i])) i++;
    if (i !== length) return false;
    break;
  }
  return checkFields(bytes, context, out);
}

function checkFields(bytes: Uint8Array, context: FastContext, out: FastRow): boolean {
  // event_type: exactly one of the four (zod would lower-case and trim; those rows go the full path).
  if (kind[F_EVENT_TYPE] !== V_STRING) return false;
  const typeCode = typeOf(bytes, start[F_EVENT_TYPE] + 1, end[F_EVENT_TYPE] - 1);
  if (typeCode < 0) return false;
  out.typeCode = typeCode;
  // Ids: strings of 1–252 printable ASCII characters with no space at either end (nothing to trim).
  if (!idField(bytes, F_EVENT_ID) || !idField(bytes, F_USER_ID) || !idField(bytes, F_COURSE_ID)) {
    return false;
  }
  out.eventIdStart = start[F_EVENT_ID] + 1;
  out.eventIdEnd = end[F_EVENT_ID] - 1;
  out.userIdStart = start[F_USER_ID] + 1;
  out.userIdEnd = end[F_USER_ID] - 1;
  out.courseIdStart = start[F_COURSE_ID] + 1;
  out.courseIdEnd = end[F_COURSE_ID] - 1;
  // occurred_at.
  if (kind[F_OCCURRED_AT] !== V_STRING) return false;
  const occurredAt = canonicalTime(
    bytes,
    start[F_OCCURRED_AT] + 1,
    end[F_OCCURRED_AT] - 1,
    context,
  );
  if (occurredAt < 0) return false;
  out.occurredAt = occurredAt;
  // The type's numbers.
  out.score = NaN;
  out.maxScore = NaN;
  out.secondsWatched = NaN;
  if (typeCode === QUIZ) {
    const score = numberField(bytes, F_SCORE);
    const maxScore = numberField(bytes, F_MAX_SCORE);
    // `!(a >= b)` is also true for NaN (a missing field).
    if (!(score >= 0) || !(maxScore > 0) || !(score <= maxScore)) return false;
    if (!Number.isFinite(maxScore)) return false;
    out.score = score;
    out.maxScore = maxScore;
  } else if (typeCode === VIDEO) {
    const seconds = numberField(bytes, F_SECONDS);
    if (!(seconds >= 0) || !Number.isFinite(seconds)) return false;
    out.secondsWatched = seconds;
  }
  return true;
}

function fieldOf(bytes: Uint8Array, from: number, to: number): number {
  const length = to - from;
  for (let field = 1; field < FIELD_NAMES.length; field++) {
    const name = FIELD_NAMES[field];
    if (name.length === length && sameBytes(bytes, from, name)) return field;
  }
  return 0;
}

function typeOf(bytes: Uint8Array, from: number, to: number): number {
  const length = to - from;
  for (let code = 0; code < TYPE_NAMES.length; code++) {
    const name = TYPE_NAMES[code];
    if (name.length === length && sameBytes(bytes, from, name)) return code;
  }
  return -1;
}

function sameBytes(bytes: Uint8Array, at: number, name: Uint8Array): boolean {
  for (let k = 0; k < name.length; k++) if (bytes[at + k] !== name[k]) return false;
  return true;
}

function matches(bytes: Uint8Array, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (bytes[at + k] !== word.charCodeAt(k)) return false;
  return true;
}

function idField(bytes: Uint8Array, field: number): boolean {
  if (kind[field] !== V_STRING) return false;
  const from = start[field] + 1;
  const to = end[field] - 1;
  const length = to - from;
  // Printable ASCII only (checked while scanning), so the only character trim() removes is a space.
  return (
    length >= 1 && length <= MAX_FAST_ID_BYTES && bytes[from] !== 0x20 && bytes[to - 1] !== 0x20
  );
}

/** The value of a number field, or `NaN` when it is absent or not a number. */
function numberField(bytes: Uint8Array, field: number): number {
  if (kind[field] !== V_NUMBER) return NaN;
  const from = start[field];
  const to = end[field];
  // Up to 15 digits without sign, fraction or exponent: exact in a double, summed here.
  if (to - from <= 15) {
    let value = 0;
    let k = from;
    for (; k < to; k++) {
      const byte = bytes[k];
      if (!isDigit(byte)) break;
      value = value * 10 + (byte - 0x30);
    }
    if (k === to) return value;
  }
  // Otherwise the same conversion JSON.parse makes (ECMAScript StringToNumber, correctly rounded).
  return Number(Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1'));
}

/**
 * Scans a JSON number (RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`)
 * starting at `at`; returns the index after it, or -1 when it is not one.
 */
function scanNumber(bytes: Uint8Array, at: number): number {
  let i = at;
  if (bytes[i] === 0x2d) i++;
  if (bytes[i] === 0x30) i++;
  else if (bytes[i] >= 0x31 && bytes[i] <= 0x39) {
    while (isDigit(bytes[i])) i++;
  } else return -1;
  if (bytes[i] === 0x2e) {
    i++;
    if (!isDigit(bytes[i])) return -1;
    while (isDigit(bytes[i])) i++;
  }
  if (bytes[i] === 0x65 || bytes[i] === 0x45) {
    i++;
    if (bytes[i] === 0x2b || bytes[i] === 0x2d) i++;
    if (!isDigit(bytes[i])) return -1;
    while (isDigit(bytes[i])) i++;
  }
  return i;
}

const two = (bytes: Uint8Array, at: number) => {
  const a = bytes[at] - 0x30;
  const b = bytes[at + 1] - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/**
 * Epoch ms of `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.fZ` (1–3 digits of fraction) on the
 * partition day and not after "now", else -1. These are forms `OccurredAtSchema` accepts, and the
 * staging row keeps only the instant (`Date.parse` of zod's `toISOString()`), which is this sum;
 * the day is the partition's, which is a real calendar day.
 */
function canonicalTime(bytes: Uint8Array, from: number, to: number, context: FastContext): number {
  const length = to - from;
  if (length !== 20 && (length < 22 || length > 24)) return -1;
  const { date } = context;
  for (let k = 0; k < 10; k++) if (bytes[from + k] !== date[k]) return -1;
  if (
    bytes[from + 10] !== 0x54 || // T
    bytes[from + 13] !== COLON ||
    bytes[from + 16] !== COLON ||
    bytes[to - 1] !== 0x5a // Z
  ) {
    return -1;
  }
  const hours = two(bytes, from + 11);
  const minutes = two(bytes, from + 14);
  const seconds = two(bytes, from + 17);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
    return -1;
  }
  let millis = 0;
  if (length > 20) {
    if (bytes[from + 19] !== 0x2e) return -1; // .
    // `.5` is 500 ms, `.25` 250 ms, `.125` 125 ms.
    let scale = 100;
    for (let k = from + 20; k < to - 1; k++) {
      const digit = bytes[k] - 0x30;
      if (digit < 0 || digit > 9) return -1;
      millis += digit * scale;
      scale /= 10;
    }
  }
  const ms = context.dayStartMs + hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis;
  return ms > context.nowMs ? -1 : ms;
}
