import Stripe from 'stripe';
import {
  EdgeConfigurationError,
  rawBodyOf,
  type SignatureRejection,
  StripeSignatureError,
  verifyStripeSignature,
} from '../../src';

// Every signed header comes from Stripe's own SDK (generateTestHeaderString), so this verifier
// is held to Stripe's signing code, not to a copy of ours.

const stripe = new Stripe('sk_test_unused');
const SECRET = 'whsec_test_current_0123456789abcdef';
const OLD_SECRET = 'whsec_test_previous_0123456789abcdef';
const T = 1_780_000_000;
const PAYLOAD = JSON.stringify({
  id: 'evt_1',
  object: 'event',
  type: 'payment_intent.succeeded',
  note: 'café ✓',
});

const header = (secret = SECRET, timestamp = T, payload = PAYLOAD) =>
  stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
const v1Of = (signed: string) => signed.split(',').find((p) => p.startsWith('v1='));

describe('verifyStripeSignature', () => {
  it.each([
    ['a header signed now', header(), T],
    ['a timestamp 299 s old', header(), T + 299],
    ['a timestamp 299 s ahead', header(), T - 299],
    [
      'two v1 during rotation, new secret configured',
      `t=${T},${v1Of(header(OLD_SECRET))},${v1Of(header())}`,
      T,
    ],
    ['a v0 scheme beside v1', `${header()},v0=${'0'.repeat(64)}`, T],
  ])('accepts %s', (_what, signed, now) => {
    // Act
    const timestamp = verifyStripeSignature({
      payload: Buffer.from(PAYLOAD),
      header: signed,
      secrets: [SECRET],
      nowSeconds: now,
    });

    // Assess
    expect(timestamp).toBe(T);
  });

  it('accepts a header signed with the old secret when both secrets are configured', () => {
    expect(
      verifyStripeSignature({
        payload: Buffer.from(PAYLOAD),
        header: header(OLD_SECRET),
        secrets: [SECRET, OLD_SECRET],
        nowSeconds: T,
      }),
    ).toBe(T);
  });

  it('verifies the raw bytes of a base64 API Gateway body', () => {
    // Prepare
    const event = { body: Buffer.from(PAYLOAD).toString('base64'), isBase64Encoded: true };

    // Act + Assess
    expect(
      verifyStripeSignature({
        payload: rawBodyOf(event),
        header: header(),
        secrets: [SECRET],
        nowSeconds: T,
      }),
    ).toBe(T);
  });

  const changedByte = (() => {
    const bytes = Buffer.from(PAYLOAD);
    bytes[bytes.length - 3] ^= 0x01;
    return bytes;
  })();

  const refusals: [
    what: string,
    payload: Buffer,
    signed: string | undefined,
    now: number,
    reason: SignatureRejection,
  ][] = [
    ['a timestamp 301 s old', Buffer.from(PAYLOAD), header(), T + 301, 'outside_tolerance'],
    ['a timestamp 301 s ahead', Buffer.from(PAYLOAD), header(), T - 301, 'outside_tolerance'],
    ['one changed byte', changedByte, header(), T, 'no_matching_signature'],
    [
      'another secret',
      Buffer.from(PAYLOAD),
      header('whsec_someone_else'),
      T,
      'no_matching_signature',
    ],
    [
      'the timestamp changed after signing',
      Buffer.from(PAYLOAD),
      header().replace(`t=${T}`, `t=${T + 1}`),
      T,
      'no_matching_signature',
    ],
    ['no header', Buffer.from(PAYLOAD), undefined, T, 'missing_header'],
    ['an empty header', Buffer.from(PAYLOAD), '', T, 'missing_header'],
    ['no t', Buffer.from(PAYLOAD), v1Of(header()), T, 'malformed_header'],
    ['no v1', Buffer.from(PAYLOAD), `t=${T},v0=${'a'.repeat(64)}`, T, 'malformed_header'],
    ['a truncated v1', Buffer.from(PAYLOAD), header().slice(0, -2), T, 'malformed_header'],
  ];

  it.each(refusals)('refuses %s', (_what, payload, signed, now, reason) => {
    // Act
    const error = (() => {
      try {
        verifyStripeSignature({ payload, header: signed, secrets: [SECRET], nowSeconds: now });
      } catch (e) {
        return e;
      }
      return undefined;
    })();

    // Assess
    expect(error).toBeInstanceOf(StripeSignatureError);
    expect((error as StripeSignatureError).reason).toBe(reason);
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('refuses to run with no secret configured', () => {
    expect(() =>
      verifyStripeSignature({ payload: Buffer.from(PAYLOAD), header: header(), secrets: [' '] }),
    ).toThrow(
      new EdgeConfigurationError(
        "No Stripe signing secret is configured: store the endpoint's whsec_… secret in the webhook's Secrets Manager secret.",
      ),
    );
  });
});
