/**
 * `@slipway/edge`: the HTTP edge's decisions (bearer-token verification, the authorizer's
 * policy, Stripe signatures, upload presign rules) and, in `routes/`, its routes' AWS I/O.
 * Contracts live in `@slipway/events` (`libs/events/src/edge/`). See this library's README.
 */
export * from './errors';
export * from './jwt';
export * from './authorize';
export * from './stripe';
export * from './http';
export * from './keys';
export * from './uploads';
export * from './idempotency';
export * from './payments';
export * from './config';
export * from './routes';
