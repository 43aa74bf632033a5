/**
 * Base class of every error raised by `@slipway/media`. Catch this one to handle any of them;
 * the subclasses say which input was wrong.
 *
 * A rejected upload is not an error: {@link decideUpload} returns it as a `rejected` decision.
 * These errors mean the code was configured or called wrongly and a person has to fix it.
 */
export class MediaError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MediaError';
  }
}

/**
 * An environment variable read by {@link parseUploadPolicy} has a value that cannot be used.
 * The message names the variable, the value found and the values accepted.
 */
export class UploadPolicyError extends MediaError {
  /** The environment variable that was wrong, for example `MAX_IMAGE_BYTES`. */
  readonly variable: string;
  /** The value it held. */
  readonly value: string;

  constructor(variable: string, value: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UploadPolicyError';
    this.variable = variable;
    this.value = value;
  }
}

/**
 * {@link decideUpload} was called with an input no real S3 object can have (for example a
 * negative or fractional size). This is a bug in the caller, not a problem with the upload.
 */
export class UploadInputError extends MediaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UploadInputError';
  }
}

/** Why a media file could not be processed, in machine-readable form. */
export type MediaInputProblem =
  | 'DECOMPRESSION_BOMB'
  | 'CORRUPT_IMAGE'
  | 'UNSUPPORTED_IMAGE'
  | 'CORRUPT_VIDEO'
  | 'UNSUPPORTED_VIDEO'
  | 'TOO_LARGE';

/**
 * The uploaded file itself is unusable (corrupt, truncated, a decompression bomb...). Unlike the
 * other errors this is the user's input, not a fault: the media flow's Catch on the error name
 * `MediaInputError` quarantines the upload and ends the execution as a handled rejection.
 * Every subclass keeps `name = 'MediaInputError'` for that reason and says what in `problem`.
 */
export class MediaInputError extends MediaError {
  readonly problem: MediaInputProblem;

  constructor(problem: MediaInputProblem, message: string, options?: { cause?: unknown }) {
    super(`${problem}: ${message}`, options);
    // Step Functions matches Catch rules on this exact name: do not change it in subclasses.
    this.name = 'MediaInputError';
    this.problem = problem;
  }
}
