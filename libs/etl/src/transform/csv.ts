import { parse } from 'csv-parse/sync';
import { EtlObjectError } from '../errors';
import type { RawLine } from './lines';
import {
  checkRecord,
  decodeUtf8,
  notUtf8,
  rejection,
  stripBom,
  tooLong,
  type RowContext,
  type RowOutcome,
} from './rows';

/** Columns a CSV export must have in its header (in any order). */
export const REQUIRED_CSV_COLUMNS = [
  'event_id',
  'event_type',
  'user_id',
  'course_id',
  'occurred_at',
] as const;

/** Columns whose CSV text is read as a number (empty means absent). */
export const NUMERIC_CSV_COLUMNS = ['score', 'max_score', 'seconds_watched'] as const;

const KNOWN = new Set<string>([...REQUIRED_CSV_COLUMNS, ...NUMERIC_CSV_COLUMNS]);
const NUMERIC = new Set<string>(NUMERIC_CSV_COLUMNS);
const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Splits one CSV line into fields (RFC 4180 quoting within the line: `"a,b"`, `""` for a quote).
 * Lines without a quote take a fast path; quoted ones go through csv-parse, strictly.
 *
 * @throws the csv-parse error when the quoting is broken (unclosed quote, text after a closing quote).
 */
export function splitCsvLine(text: string): string[] {
  if (!text.includes('"')) return text.split(',');
  const records = parse(text, { relax_column_count: true, record_delimiter: ['\n'] }) as string[][];
  if (records.length !== 1) throw new Error(`expected one record, found ${records.length}`);
  return records[0];
}

/** The header of a CSV export: column names, trimmed and lower-cased. */
export interface CsvHeader {
  columns: string[];
}

/**
 * Reads the header line. A header that is not UTF-8, cannot be split, repeats a column or lacks
 * a required column makes the whole object unusable.
 *
 * @throws {EtlObjectError} with code `CSV_HEADER`.
 */
export function parseCsvHeader(line: RawLine, key: string): CsvHeader {
  const fail = (problem: string) =>
    new EtlObjectError(
      'CSV_HEADER',
      key,
      `${problem} Export the file with a header row naming at least ${REQUIRED_CSV_COLUMNS.join(', ')}.`,
    );
  if (line.tooLongBytes !== undefined)
    throw fail(`the header line has ${line.tooLongBytes} bytes.`);
  const text = decodeUtf8(line.bytes);
  if (text === undefined) throw fail('the header line is not valid UTF-8.');
  let columns: string[];
  try {
    columns = splitCsvLine(stripBom(text)).map((name) => name.trim().toLowerCase());
  } catch (error) {
    throw fail(`the header line is not valid CSV (${(error as Error).message}).`);
  }
  const repeated = columns.filter((name, i) => columns.indexOf(name) !== i);
  if (repeated.length)
    throw fail(`the header repeats the column(s) ${[...new Set(repeated)].join(', ')}.`);
  const missing = REQUIRED_CSV_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length) {
    throw fail(
      `the header (${columns.join(', ')}) lacks the required column(s) ${missing.join(', ')}.`,
    );
  }
  return { columns };
}

/**
 * Checks one CSV data line against the header: same number of fields, then the learning event
 * schema. Numeric columns are converted from text (an empty cell is an absent value, text that
 * is not a number stays text and fails the schema); columns the schema does not know are ignored.
 */
export function checkCsvLine(line: RawLine, header: CsvHeader, context: RowContext): RowOutcome {
  if (line.tooLongBytes !== undefined) return tooLong(line);
  const text = decodeUtf8(line.bytes);
  if (text === undefined) return notUtf8(line);
  if (text.trim() === '') return { kind: 'blank' };
  let fields: string[];
  try {
    fields = splitCsvLine(text);
  } catch (error) {
    return rejection(
      line,
      'CSV_MALFORMED',
      `Line ${line.number} is not valid CSV (${(error as Error).message}). Quote fields that contain commas or quotes; a field may not span lines.`,
    );
  }
  if (fields.length !== header.columns.length) {
    const what = fields.length > header.columns.length ? 'more' : 'fewer';
    return rejection(
      line,
      'CSV_COLUMN_COUNT',
      `Line ${line.number} has ${fields.length} fields, ${what} than the ${header.columns.length} columns of the header (${header.columns.join(', ')}). Quote fields that contain commas and write one field per header column.`,
    );
  }
  const record: Record<string, unknown> = {};
  header.columns.forEach((name, i) => {
    if (!KNOWN.has(name)) return;
    const value = fields[i];
    if (NUMERIC.has(name)) {
      const trimmed = value.trim();
      if (trimmed === '') return;
      record[name] = NUMBER_TEXT.test(trimmed) ? Number(trimmed) : value;
    } else {
      record[name] = value;
    }
  });
  return checkRecord(line, record, context);
}
