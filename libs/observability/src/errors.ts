/** Base class of every error `@slipway/observability` throws on purpose. */
export class ObservabilityError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObservabilityError';
  }
}

/**
 * `captureClient` was given something that is not an AWS SDK v3 client (no `middlewareStack`
 * to add the tracing middleware to).
 */
export class CaptureClientError extends ObservabilityError {
  constructor(got: unknown) {
    super(
      `captureClient expects an AWS SDK v3 client (an object with a middlewareStack, e.g. new S3Client({})), got ${describe(got)}: pass the client itself, not a command or a DocumentClient's options.`,
    );
    this.name = 'CaptureClientError';
  }
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return `an object with keys ${JSON.stringify(Object.keys(value).slice(0, 5))}`;
}
