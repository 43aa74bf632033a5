/** Base class of every error raised by `@slipway/aws`. */
export class AwsLibError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AwsLibError';
  }
}

/** A required environment variable is missing or malformed. */
export class MissingEnvironmentError extends AwsLibError {
  readonly variable: string;

  constructor(variable: string, hint: string, options?: { cause?: unknown }) {
    super(`Environment variable ${variable} ${hint}`, options);
    this.name = 'MissingEnvironmentError';
    this.variable = variable;
  }
}

/** The S3 object a flow points at does not exist (any more). */
export class ObjectNotFoundError extends AwsLibError {
  constructor(bucket: string, key: string, options?: { cause?: unknown }) {
    super(`s3://${bucket}/${key} does not exist: it was deleted or the event is stale`, options);
    this.name = 'ObjectNotFoundError';
  }
}
