import type { ObjectErrorCode } from '@slipway/events';

/**
 * Base class of every error raised by `@slipway/etl`. Catch this one to handle any of them;
 * the subclasses say what was wrong.
 *
 * A rejected row is not an error: Transform counts it and writes it to the quarantine sink.
 */
export class EtlError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EtlError';
  }
}

/**
 * A whole raw object cannot be read (truncated or corrupt gzip, a failing stream, a CSV header
 * without the required columns). The caller quarantines the object whole and reports it in
 * `TransformOutput.objectError`; the rest of the day goes on.
 *
 * `name` stays `EtlObjectError` so a Step Functions Catch can match it.
 */
export class EtlObjectError extends EtlError {
  /** Machine-readable reason, e.g. `TRUNCATED_GZIP`. */
  readonly code: ObjectErrorCode;
  /** The raw object's key. */
  readonly key: string;

  constructor(code: ObjectErrorCode, key: string, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${key}: ${message}`, options);
    // Step Functions matches Catch rules on this exact name.
    this.name = 'EtlObjectError';
    this.code = code;
    this.key = key;
  }
}

/** The counts of one object that did not add up, as listed by {@link ReconciliationError}. */
export interface CountMismatch {
  key: string;
  input: number;
  valid: number;
  rejected: number;
  duplicates: number;
}

/**
 * Rows went missing or were counted twice: for at least one object `input` is not
 * `valid + rejected + duplicates`, or the day's staging rows do not match what Aggregate read.
 * The message lists every object with its numbers.
 */
export class ReconciliationError extends EtlError {
  /** Every object whose counts do not add up. */
  readonly mismatches: CountMismatch[];

  constructor(message: string, mismatches: CountMismatch[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReconciliationError';
    this.mismatches = mismatches;
  }
}

/**
 * A function of this library was called with an argument no real run can have (an invalid
 * partition date, a key outside `raw/`, a row-group size of 0...). A bug in the caller.
 */
export class EtlInputError extends EtlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EtlInputError';
  }
}

/**
 * The temporary files of de-duplication (see `FirstOccurrenceSpill`) could not be written or
 * read: usually the temp folder is full or missing. The object itself is fine; rerun once the
 * function has enough ephemeral storage (the message says how much is needed).
 */
export class EtlSpillError extends EtlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EtlSpillError';
  }
}

/**
 * The Transform Map's results on S3 do not account for every object: a result file of failed
 * or pending child executions, an output missing or repeated, a file that is not what Step
 * Functions writes. The run must not publish; the message says what was found and what to do.
 */
export class EtlMapResultsError extends EtlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EtlMapResultsError';
  }
}
