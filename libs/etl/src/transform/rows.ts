import {
  LearningEventSchema,
  type LearningEvent,
  type QuarantinedRow,
  type RowRejectionCode,
} from '@slipway/events';
import type { RawLine } from './lines';

/** Longest `raw` text kept in a quarantine record; the rest is cut with a note. */
export const MAX_RAW_CHARS = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

/** The result of checking one row. */
export type RowOutcome =
  | { kind: 'blank' }
  | { kind: 'valid'; event: LearningEvent }
  | { kind: 'rejected'; row: QuarantinedRow };

/** Builds a quarantine record for `line`. */
export function rejection(
  line: RawLine,
  code: RowRejectionCode,
  error: string,
  options: { base64?: boolean } = {},
): { kind: 'rejected'; row: QuarantinedRow } {
  let raw = lossy.decode(line.bytes);
  if (line.tooLongBytes !== undefined) {
    raw += `… [cut: the line has ${line.tooLongBytes} bytes]`;
  } else if (raw.length > MAX_RAW_CHARS) {
    raw = `${raw.slice(0, MAX_RAW_CHARS)}… [cut: the row has ${raw.length} characters]`;
  }
  const row: QuarantinedRow = { line: line.number, code, error, raw };
  if (options.base64) row.rawBase64 = line.bytes.toString('base64');
  return { kind: 'rejected', row };
}

/**
 * Decodes a line as strict UTF-8. Returns `undefined` when it holds invalid bytes, which
 * would otherwise turn silently into U+FFFD inside ids.
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The checks every row goes through once it is a JS object, whatever its format. */
export interface RowContext {
  /** Partition day `YYYY-MM-DD` from the key's `dt=`. */
  date: string;
  /** Epoch ms of "now": later timestamps are in the future. */
  nowMs: number;
  nowIso: string;
}

/**
 * Validates and normalizes one parsed row: the zod schema, then the time checks (not in the
 * future, on the partition's UTC day). Duplicates are the caller's business.
 */
export function checkRecord(line: RawLine, record: unknown, context: RowContext): RowOutcome {
  const parsed = LearningEventSchema.safeParse(record);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.length ? issue.path.join('.') : '(row)'}: ${issue.message}`)
      .join('; ');
    return rejection(
      line,
      'SCHEMA',
      `Line ${line.number} is not a valid learning event: ${issues}. Fix the producer so that every row matches the learning event schema.`,
    );
  }
  const event = parsed.data;
  if (Date.parse(event.occurred_at) > context.nowMs) {
    return rejection(
      line,
      'FUTURE_TIMESTAMP',
      `Line ${line.number} has occurred_at ${event.occurred_at}, after the ETL run time ${context.nowIso}. Check the producer's clock and time zone; resend the event once corrected.`,
    );
  }
  const day = event.occurred_at.slice(0, 10);
  if (day !== context.date) {
    return rejection(
      line,
      'OUTSIDE_PARTITION',
      `Line ${line.number} has occurred_at ${event.occurred_at}, on ${day} (UTC), not on the partition day ${context.date}. Put the event in the dt=${day} partition.`,
    );
  }
  return { kind: 'valid', event };
}

/** Parses one NDJSON line into an outcome. */
export function checkJsonLine(line: RawLine, context: RowContext): RowOutcome {
  if (line.tooLongBytes !== undefined) return tooLong(line);
  const text = decodeUtf8(line.bytes);
  if (text === undefined) return notUtf8(line);
  const trimmed = (line.number === 1 ? stripBom(text) : text).trim();
  if (trimmed === '') return { kind: 'blank' };
  let record: unknown;
  try {
    record = JSON.parse(trimmed);
  } catch (error) {
    return rejection(
      line,
      'MALFORMED_JSON',
      `Line ${line.number} is not valid JSON (${(error as Error).message}). Each line must hold exactly one JSON object.`,
    );
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return rejection(
      line,
      'MALFORMED_JSON',
      `Line ${line.number} is JSON but not an object. Each line must hold exactly one JSON object.`,
    );
  }
  return checkRecord(line, record, context);
}

/** Outcome of a line over the length limit. */
export function tooLong(line: RawLine): RowOutcome {
  return rejection(
    line,
    'LINE_TOO_LONG',
    `Line ${line.number} has ${line.tooLongBytes} bytes, more than the limit; only its start is kept here. Split the data into one event per line.`,
  );
}

/** Outcome of a line with invalid UTF-8. */
export function notUtf8(line: RawLine): RowOutcome {
  return rejection(
    line,
    'NOT_UTF8',
    `Line ${line.number} contains bytes that are not valid UTF-8 (rawBase64 keeps them exactly). Export the file as UTF-8.`,
    { base64: true },
  );
}

/** Drops a UTF-8 byte order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
