import * as z from 'zod';

/**
 * `detail` of the `PaymentSucceeded` event the Stripe webhook puts on the platform bus. It is
 * the platform's own event, not Stripe's: consumers never parse Stripe payloads.
 * `stripeEventId` is the idempotency key: a redelivered Stripe event carries the same id, so a
 * consumer (or the webhook's idempotency store) can tell a repeat from a new payment.
 */
export const PaymentSucceededDetailSchema = z.object({
  paymentIntentId: z.string().regex(/^pi_\w+$/, 'must start with pi_'),
  /** In the currency's smallest unit (cents), as Stripe reports it. */
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[a-z]{3}$/, 'must be a lowercase ISO 4217 code'),
  customer: z.string().min(1).optional(),
  stripeEventId: z.string().regex(/^evt_\w+$/, 'must start with evt_'),
  /** When Stripe created the event, as ISO 8601 UTC. */
  occurredAt: z.iso.datetime(),
});
/** `detail` of `PaymentSucceeded`. */
export type PaymentSucceededDetail = z.infer<typeof PaymentSucceededDetailSchema>;
