import * as z from 'zod';

/**
 * The envelope EventBridge hands a rule's target, with `detail` as the given schema: what an
 * event-triggered Lambda receives. `id` is EventBridge's event id, the same on every retry of
 * one delivery, so it is the workers' idempotency key.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 *
 * @example
 * const SessionConfirmedEventSchema = eventBridgeEventSchema('SessionConfirmed', SessionConfirmedDetailSchema);
 */
export function eventBridgeEventSchema<D extends z.ZodType>(detailType: string, detail: D) {
  return z.object({
    version: z.string(),
    id: z.string().min(1),
    'detail-type': z.literal(detailType),
    source: z.string().min(1),
    account: z.string(),
    time: z.iso.datetime(),
    region: z.string(),
    resources: z.array(z.string()),
    detail,
  });
}
