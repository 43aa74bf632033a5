import { createHmac, timingSafeEqual } from 'node:crypto';
import { EdgeConfigurationError, StripeSignatureError } from './errors';

// Verifies Stripe's `Stripe-Signature` header the way Stripe documents it
// (https://docs.stripe.com/webhooks#verify-manually): `t=<unix seconds>` and one or more
// `v1=<hex HMAC-SHA256>` over `${t}.${raw body}`, keyed with the endpoint's signing secret.
// Our own code rather than the `stripe` SDK at run time: the SDK is a large dependency for one
// HMAC, and the tests hold this verifier to the SDK's own test headers.

/** Stripe's default tolerance between `t` and now, in seconds (5 minutes). */
export const STRIPE_TOLERANCE_SECONDS = 300;

/** What {@link verifyStripeSignature} needs. */
export interface StripeSignatureInput {
  /** The exact bytes Stripe sent (decode an API Gateway base64 body first: {@link rawBodyOf}). */
  readonly payload: Buffer;
  /** The `Stripe-Signature` header, or `undefined` when the request has none. */
  readonly header: string | undefined;
  /**
   * The endpoint's signing secrets (`whsec_…`). During a rotation Stripe signs with the old and
   * the new secret (two `v1`), and either may be configured here: one match is enough.
   */
  readonly secrets: readonly string[];
  /** Seconds `t` may differ from now, either way (default {@link STRIPE_TOLERANCE_SECONDS}). */
  readonly toleranceSeconds?: number;
  /** Now, in Unix seconds (tests). */
  readonly nowSeconds?: number;
}

/**
 * Verifies a Stripe webhook's signature; returns the header's timestamp when it verifies.
 * Compares in constant time and never says which part of the header failed to the sender:
 * the reason is for the log.
 *
 * @throws {StripeSignatureError} with `reason` `missing_header`, `malformed_header`,
 * `outside_tolerance` (a replay of an old delivery, or a wrong clock) or `no_matching_signature`.
 * @throws {EdgeConfigurationError} when no secret is configured.
 * @example
 * verifyStripeSignature({ payload: rawBodyOf(event), header: headerOf(event.headers, 'stripe-signature'), secrets });
 */
export function verifyStripeSignature(input: StripeSignatureInput): number {
  const secrets = input.secrets.filter((secret) => secret.trim() !== '');
  if (secrets.length === 0) {
    throw new EdgeConfigurationError(
      "No Stripe signing secret is configured: store the endpoint's whsec_… secret in the webhook's Secrets Manager secret.",
    );
  }
  if (input.header === undefined || input.header.trim() === '') {
    throw new StripeSignatureError('missing_header', 'The request has no Stripe-Signature header.');
  }
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const item of input.header.split(',')) {
    const at = item.indexOf('=');
    const key = item.slice(0, at).trim();
    const value = item.slice(at + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    // Other schemes (v0 is Stripe's test-mode scheme) are ignored, as Stripe's libraries do.
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new StripeSignatureError(
      'malformed_header',
      'The Stripe-Signature header has no t=<timestamp> or no v1=<signature>.',
    );
  }
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? STRIPE_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) {
    throw new StripeSignatureError(
      'outside_tolerance',
      `The Stripe-Signature timestamp is ${now - timestamp} s from now, beyond the ${tolerance} s tolerance.`,
    );
  }
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), input.payload]);
  const expected = secrets.map((secret) => createHmac('sha256', secret).update(signed).digest());
  // Every pair is compared (no early exit) so timing says nothing about which one matched.
  let matched = false;
  for (const candidate of signatures) {
    for (const digest of expected) matched = timingSafeEqual(candidate, digest) || matched;
  }
  if (!matched) {
    throw new StripeSignatureError(
      'no_matching_signature',
      `None of the ${signatures.length} v1 signature(s) matches the body under the ${secrets.length} configured secret(s).`,
    );
  }
  return timestamp;
}
