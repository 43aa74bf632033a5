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

/** One reminder EventBridge did not take, with its last per-entry error. */
export interface FailedReminder {
  readonly reminderId: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/**
 * The reminder run could not publish every reminder: `failed` lists the entries still refused
 * after their bounded retries (or every entry of a call EventBridge refused as a whole). The
 * reminders published before are marked, so the next run (Lambda's retry, a re-run of the
 * schedule) sends only the rest.
 */
export class ReminderPublishError extends JobsError {
  readonly failed: readonly FailedReminder[];

  constructor(message: string, failed: readonly FailedReminder[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReminderPublishError';
    this.failed = failed;
  }
}
