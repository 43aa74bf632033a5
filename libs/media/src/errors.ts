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
