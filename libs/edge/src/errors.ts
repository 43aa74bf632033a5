/**
 * Base class of every error raised by `@slipway/edge`. Catch this one to handle any of them.
 * A refused request (bad token, bad signature, disallowed upload) is an error only where the
 * caller must answer 401/403/400; the route functions in `routes/` turn them into responses.
 */
export class EdgeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EdgeError';
  }
}

/** Why a bearer token was refused, in machine-readable form (logged, never returned). */
export type TokenRejection =
  | 'expired'
  | 'not_yet_valid'
  | 'bad_issuer'
  | 'bad_audience'
  | 'bad_signature'
  | 'alg_not_allowed'
  | 'unknown_kid'
  | 'malformed';

/**
 * A bearer token failed verification. The message says which check failed and what the caller
 * can do; it never contains the token or its claims' values, which are the caller's secrets.
 */
export class TokenRejectedError extends EdgeError {
  readonly reason: TokenRejection;

  constructor(reason: TokenRejection, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenRejectedError';
    this.reason = reason;
  }
}

/**
 * The identity provider's JWKS could not be fetched or read (timeout, HTTP error, bad JSON).
 * Not the caller's fault: the authorizer should fail (API Gateway answers 500) rather than
 * answer 401 to every user while the provider is down.
 */
export class IdentityProviderError extends EdgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityProviderError';
  }
}

/** Why a `Stripe-Signature` was refused (logged; the webhook answers 400 with no detail). */
export type SignatureRejection =
  'missing_header' | 'malformed_header' | 'outside_tolerance' | 'no_matching_signature';

/** A Stripe webhook's signature did not verify. */
export class StripeSignatureError extends EdgeError {
  readonly reason: SignatureRejection;

  constructor(reason: SignatureRejection, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StripeSignatureError';
    this.reason = reason;
  }
}

/**
 * The edge was configured or wired wrongly (an empty secret list, a route table entry with a
 * bad path, a route reached without the authorizer's context): a person has to fix it.
 */
export class EdgeConfigurationError extends EdgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EdgeConfigurationError';
  }
}

/** EventBridge refused an entry of `PutEvents`; the caller should fail so the sender retries. */
export class EventPublishError extends EdgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventPublishError';
  }
}
