import type { Readable, Writable } from 'node:stream';
import { PartitionDateSchema, type TransformCounts } from '@slipway/events';
import { EtlInputError } from '../errors';
import { parseRawKey } from '../keys';
import { checkPartitions, FirstOccurrenceSpill } from '../spill';
import { DEFAULT_ROW_GROUP_ROWS, StagingWriter, stagedRow } from '../staging';
import { endSink, writeWithBackpressure } from '../streams';
import { checkCsvLine, parseCsvHeader, type CsvHeader } from './csv';
import { openDecoded } from './decode';
import { fastContext, newFastRow, readFastRow } from './fast-row';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type RawLine } from './lines';
import { checkJsonLine, decodeUtf8, stripBom, type RowContext, type RowOutcome } from './rows';

export { DEFAULT_MAX_LINE_BYTES } from './lines';
export { DEFAULT_DEDUPE_PARTITIONS } from '../spill';
export { REQUIRED_CSV_COLUMNS } from './csv';

/** One raw object to transform. */
export interface TransformObjectInput {
  /** The object's bytes as they are stored (gzip or not). */
  body: Readable | AsyncIterable<Uint8Array>;
  /** Its key, `raw/<source>/dt=YYYY-MM-DD/<name>`: names the rows' source and decides CSV by extension. */
  key: string;
  /** Partition day `YYYY-MM-DD`; rows on another UTC day are rejected. */
  date: string;
  /** The run's "now": rows after it are rejected as future. Defaults to the current time. */
  now?: Date;
}

/** Where Transform writes. Both are ended on success and destroyed (without error) on failure. */
export interface TransformSinks {
  /** Receives the staging Parquet file of the valid rows. */
  staging: Writable;
  /** Receives NDJSON `QuarantinedRow`s, one per rejected row (nothing when none). */
  quarantine: Writable;
}

/** Tuning knobs; the defaults suit Lambda. */
export interface TransformOptions {
  /** Rows per Parquet row group (default 10 000): Transform holds at most about one group. */
  rowGroupRows?: number;
  /** Longest accepted line in bytes (default 1 MiB). */
  maxLineBytes?: number;
  /** Forces the format instead of deciding from the key and the first line. */
  format?: RawFormat;
  /**
   * Folder for the temporary de-duplication files (default `os.tmpdir()`, Lambda's `/tmp`).
   * Transform makes a private folder inside and deletes it before returning or throwing; it
   * needs about 100 bytes per valid row there (see the README, "Memory and backpressure").
   */
  tempDir?: string;
  /**
   * Hash partitions of the temporary id file (default 256). De-duplication holds one partition's
   * ids in memory at a time (≈ valid rows / partitions), plus one 32 KiB buffer per partition.
   */
  dedupePartitions?: number;
}

/** How a raw object's rows are written. */
export type RawFormat = 'ndjson' | 'csv';

/** What {@link transformObject} did. `counts.input = valid + rejected + duplicates`. */
export interface TransformResult {
  counts: TransformCounts;
  format: RawFormat;
  /** Whether the object was gzip-compressed (by its magic bytes). */
  gzip: boolean;
}

/**
 * Turns one raw object (NDJSON or CSV, plain or gzip) into a staging Parquet file of its valid
 * rows and an NDJSON list of its rejected rows, streaming: memory stays at about one row group
 * plus fixed-size buffers whatever the object's size, and the sinks' backpressure is respected.
 *
 * Two passes: the object is read once, rejected rows go to `quarantine` as they come and valid
 * rows to a compact temporary file (in `options.tempDir`); duplicates are then found partition
 * by partition of a hash of `event_id` (see `FirstOccurrenceSpill`), and the temporary rows are
 * read back, duplicates left out, into the staging Parquet. The temporary files are deleted
 * before this returns or throws.
 *
 * Each non-blank row is exactly one of: valid (first occurrence of its `event_id` in the object),
 * a duplicate (a later valid row with an `event_id` already seen; counted, not written) or
 * rejected (written to `quarantine` with its line, a code and a reason). Duplicates across
 * objects of the day are left to {@link aggregateDay}.
 *
 * @throws {EtlObjectError} when the object as a whole cannot be read (`TRUNCATED_GZIP`,
 *   `CORRUPT_GZIP`, `UNREADABLE`, `CSV_HEADER`); both sinks are then destroyed so no partial
 *   staging file is completed, and the caller quarantines the object whole.
 * @throws {EtlSpillError} when the temporary files cannot be written (temp folder full or
 *   missing); the sinks are destroyed too, and the object itself is fine (rerun it).
 * @example
 * const result = await transformObject(
 *   { body: s3Body, key: 'raw/lms/dt=2026-03-01/events.ndjson.gz', date: '2026-03-01' },
 *   { staging: stagingUpload, quarantine: quarantineUpload },
 * );
 * // result.counts → { input: 1000, valid: 990, rejected: 7, duplicates: 3 }
 */
export async function transformObject(
  input: TransformObjectInput,
  sinks: TransformSinks,
  options: TransformOptions = {},
): Promise<TransformResult> {
  const { key, date } = input;
  if (!PartitionDateSchema.safeParse(date).success) {
    throw new EtlInputError(`date must be a calendar day as YYYY-MM-DD, got "${date}".`);
  }
  parseRawKey(key);
  const now = input.now ?? new Date();
  const context: RowContext = { date, nowMs: now.getTime(), nowIso: now.toISOString() };
  const staging = new StagingWriter(
    sinks.staging,
    key,
    options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS,
  );
  const partitions = checkPartitions(options.dedupePartitions);
  const counts: TransformCounts = { input: 0, valid: 0, rejected: 0, duplicates: 0 };
  let format: RawFormat | undefined = options.format;
  let header: CsvHeader | undefined;
  let quarantined: string[] = [];

  // Valid rows go to the spill; whether they are duplicates is known once the object is read.
  let spill: FirstOccurrenceSpill | undefined;
  const fast = fastContext(context);
  const fastRow = newFastRow();
  const record = (outcome: RowOutcome, line: RawLine) => {
    if (outcome.kind === 'blank') return;
    counts.input++;
    if (outcome.kind === 'rejected') {
      counts.rejected++;
      quarantined.push(`${JSON.stringify(outcome.row)}\n`);
    } else {
      (spill as FirstOccurrenceSpill).add(stagedRow(outcome.event, line.number));
    }
  };
  const handle = (line: RawLine) => {
    if (format === undefined) {
      if (isBlank(line)) return;
      format = detectFormat(key, line);
    }
    if (format === 'ndjson') {
      // The common shape straight from the bytes; every other line through JSON.parse and zod.
      if (line.tooLongBytes === undefined && readFastRow(line.bytes, fast, fastRow)) {
        counts.input++;
        (spill as FirstOccurrenceSpill).addAscii(line.bytes, fastRow, line.number);
        return;
      }
      record(checkJsonLine(line, context), line);
      return;
    }
    if (!header) {
      if (isBlank(line)) return;
      header = parseCsvHeader(line, key);
      return;
    }
    record(checkCsvLine(line, header, context), line);
  };
  const flushQuarantine = async () => {
    if (!quarantined.length) return;
    const chunk = quarantined.join('');
    quarantined = [];
    await writeWithBackpressure(sinks.quarantine, chunk);
  };

  // Reading starts first: a body that fails early must already have a listener.
  const decoded = await openDecoded(input.body, key).catch((error: unknown) => {
    abort(sinks);
    throw error;
  });
  const splitter = new LineSplitter(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  try {
    spill = await FirstOccurrenceSpill.create({
      tempDir: options.tempDir,
      partitions,
      label: `the valid rows of ${key}`,
    });
    // Pass 1: read the object once; rejected rows out now, valid rows to the spill.
    for await (const chunk of decoded.chunks) {
      splitter.push(chunk, handle);
      await spill.flush();
      await flushQuarantine();
    }
    splitter.end(handle);
    await flushQuarantine();
    // Pass 2: the spilled rows, first occurrences only, in order, into the staging Parquet.
    const duplicates = await spill.duplicates();
    counts.duplicates = duplicates.length;
    counts.valid = spill.rows - duplicates.length;
    // Each row group is written as soon as it is full: its rows then die young (a row group held
    // for a whole 1 MiB block of the row file was promoted to V8's old space, and peak RSS grew
    // with the object's size; measured in libs/etl/README.md, "Memory and backpressure").
    await spill.replayEncoded(duplicates, (buffer, start, end) => {
      staging.addEncoded(buffer, start, end);
      return staging.hasFullGroups ? staging.flushFull() : undefined;
    });
    await staging.finish();
    await Promise.all([endSink(sinks.staging), endSink(sinks.quarantine)]);
  } catch (error) {
    decoded.destroy();
    abort(sinks);
    throw error;
  } finally {
    await spill?.dispose();
  }
  return { counts, format: format ?? detectFormat(key), gzip: decoded.gzip };
}

/**
 * Destroys both sinks without an error: an error would be emitted on streams the caller may not
 * listen to, while a plain destroy already makes a consumer (e.g. an S3 multipart upload reading
 * a PassThrough) fail with a premature close and abort, so no partial file is completed.
 */
function abort(sinks: TransformSinks) {
  sinks.staging.destroy();
  sinks.quarantine.destroy();
}

function isBlank(line: RawLine): boolean {
  if (line.tooLongBytes !== undefined) return false;
  for (const byte of line.bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}

/**
 * Decides how an object is written: by extension first (`.csv`, `.ndjson`, `.jsonl`, `.json`,
 * each optionally followed by `.gz`), otherwise by its first non-blank line: a line starting
 * with `{` is NDJSON, a line with a comma naming `event_id` is a CSV header, anything else is
 * read as NDJSON (and its bad lines rejected one by one).
 */
export function detectFormat(key: string, firstLine?: RawLine): RawFormat {
  const name = key.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (/\.(ndjson|jsonl|json)$/.test(name)) return 'ndjson';
  if (!firstLine || firstLine.tooLongBytes !== undefined) return 'ndjson';
  const text = stripBom(decodeUtf8(firstLine.bytes) ?? '').trim();
  if (text.startsWith('{')) return 'ndjson';
  return text.includes(',') && text.toLowerCase().includes('event_id') ? 'csv' : 'ndjson';
}
