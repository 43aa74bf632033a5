/** Base class of every error raised by `@slipway/events`. */
export class EventsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventsError';
  }
}

/**
 * An event or payload did not match its schema. The message names the source and every
 * failing field; the zod error is kept as `cause` for structured logging.
 */
export class EventParseError extends EventsError {
  /** Human-readable list of `path: problem` entries. */
  readonly issues: string[];

  constructor(source: string, issues: string[], options?: { cause?: unknown }) {
    super(`Invalid ${source}: ${issues.join('; ')}`, options);
    this.name = 'EventParseError';
    this.issues = issues;
  }
}
