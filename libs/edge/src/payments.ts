import type { PaymentSucceededDetail, StripePaymentIntentSucceededEvent } from '@slipway/events';

/** `source` of the events the edge puts on the platform bus. */
export const EDGE_EVENT_SOURCE = 'slipway.edge';
/** `detail-type` of the payment event. */
export const PAYMENT_SUCCEEDED = 'PaymentSucceeded';

/**
 * The platform's `PaymentSucceeded` detail from Stripe's `payment_intent.succeeded`: only the
 * fields consumers need, in the platform's names, with the Stripe event id as idempotency key.
 */
export function paymentSucceededDetail(
  event: StripePaymentIntentSucceededEvent,
): PaymentSucceededDetail {
  const intent = event.data.object;
  return {
    paymentIntentId: intent.id,
    amount: intent.amount_received ?? intent.amount,
    currency: intent.currency,
    ...(typeof intent.customer === 'string' && intent.customer !== ''
      ? { customer: intent.customer }
      : {}),
    stripeEventId: event.id,
    occurredAt: new Date(event.created * 1000).toISOString(),
  };
}
