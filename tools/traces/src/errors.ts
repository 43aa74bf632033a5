/** Base class of every error raised by the traces tool. The CLI prints its message and exits 1. */
export class TracesError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TracesError';
  }
}

/** Command-line flags are missing or malformed. The CLI prints the usage and exits with code 2. */
export class UsageError extends TracesError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
