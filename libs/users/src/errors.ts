/**
 * Errors of `@slipway/users`. The glue resolver throws them out of the handler, and AppSync's
 * direct Lambda resolver turns the Lambda's error into the GraphQL error: `errorType` is the
 * Lambda's error type, which the Node.js runtime takes from `name`, and `message` its message.
 * So `name` here is the `errorType` clients match on (`NotFound`, `Unauthorized`,
 * `UpstreamUnavailable`, `BadRequest`), not the class name.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-mapping-template-reference-lambda.html#direct-lambda-resolvers
 *
 * No message carries the caller's token: the handler logs every error it re-throws.
 */

/** Base class of every error raised by `@slipway/users`. */
export class UsersError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsersError';
  }
}

/** The user service knows no such user (404), for a field that cannot answer `null`. */
export class NotFoundError extends UsersError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotFound';
  }
}

/** No caller token to forward, or the user service refused it (401/403). */
export class UnauthorizedError extends UsersError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Unauthorized';
  }
}

/** The arguments, or the service's verdict on them (400/409/422), say the request is wrong. */
export class BadRequestError extends UsersError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BadRequest';
  }
}

/**
 * The user service could not give an answer: down (connection refused), slower than the
 * timeout, answering 5xx or 429, or answering a body that is not a user. Worth retrying later.
 */
export class UpstreamUnavailableError extends UsersError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpstreamUnavailable';
  }
}

/** The function's configuration is wrong (a variable, the parameter, the field it is attached to). */
export class UsersConfigurationError extends UsersError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsersConfigurationError';
  }
}
