/** Base class of every error raised by `@slipway/jobs`. */
export class JobsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobsError';
  }
}

/**
 * SES refused the email for good (rejected content, unverified sender, suppressed address):
 * retrying sends nothing. Transient refusals (throttling, 5xx) are retried by the SDK first and
 * surface as their own SDK errors.
 */
export class PermanentEmailError extends JobsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentEmailError';
  }
}

/** The function's environment lacks a variable it needs; the message says which and what to set. */
export class JobsConfigurationError extends JobsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobsConfigurationError';
  }
}
