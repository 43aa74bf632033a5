import * as z from 'zod';

// `POST /webhooks/stripe`: the subset of a Stripe event the edge reads. Stripe adds fields
// without notice (https://docs.stripe.com/upgrades#what-changes-does-stripe-consider-to-be-backward-compatible),
// so every object is loose; the body is only parsed after its signature has been verified.

/** Any Stripe event: its id, type, creation time and the object it is about. */
export const StripeEventSchema = z
  .looseObject({
    id: z
      .string()
      .regex(/^evt_\w+$/, 'must start with evt_')
      .describe('Stripe event id; redeliveries carry the same id.'),
    object: z.literal('event'),
    type: z.string().min(1).describe('Event type, for example payment_intent.succeeded.'),
    created: z.number().int().describe('Unix seconds when Stripe created the event.'),
    livemode: z.boolean(),
    data: z.looseObject({ object: z.looseObject({ id: z.string() }) }),
  })
  .describe('A Stripe webhook event.');
/** Any Stripe event. */
export type StripeEvent = z.infer<typeof StripeEventSchema>;

/** The PaymentIntent fields the edge reads. */
export const StripePaymentIntentSchema = z.looseObject({
  id: z.string().regex(/^pi_\w+$/, 'must start with pi_'),
  object: z.literal('payment_intent'),
  amount: z.number().int().nonnegative(),
  amount_received: z.number().int().nonnegative().optional(),
  currency: z.string().regex(/^[a-z]{3}$/, 'must be a lowercase ISO 4217 code'),
  customer: z.string().nullable().optional(),
});
/** The PaymentIntent fields the edge reads. */
export type StripePaymentIntent = z.infer<typeof StripePaymentIntentSchema>;

/** `payment_intent.succeeded`: the one event type that becomes a domain event. */
export const StripePaymentIntentSucceededEventSchema = StripeEventSchema.extend({
  type: z.literal('payment_intent.succeeded'),
  data: z.looseObject({ object: StripePaymentIntentSchema }),
});
/** `payment_intent.succeeded`. */
export type StripePaymentIntentSucceededEvent = z.infer<
  typeof StripePaymentIntentSucceededEventSchema
>;

/** Response body of `POST /webhooks/stripe` once the event is verified and handled. */
export const StripeWebhookResponseSchema = z
  .object({ received: z.literal(true) })
  .describe('The event was verified and handled (or acknowledged).');
/** Response body of `POST /webhooks/stripe`. */
export type StripeWebhookResponse = z.infer<typeof StripeWebhookResponseSchema>;
