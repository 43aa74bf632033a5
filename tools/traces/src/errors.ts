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

/** No captured trace matches the id given to `--trace`; the message lists known ones. */
export class TraceNotFoundError extends TracesError {
  constructor(message: string) {
    super(message);
    this.name = 'TraceNotFoundError';
  }
}

/** Graphviz or resvg could not draw a picture. */
export class RenderError extends TracesError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RenderError';
  }
}

/** An X-Ray API call of `--from-aws` failed or answered something this tool cannot read. */
export class AwsTracesError extends TracesError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AwsTracesError';
  }
}
