import * as z from 'zod';

/**
 * The `Object Created` event that S3 sends to EventBridge when the bucket has EventBridge
 * notifications on. Only the fields Slipway relies on are required; the rest pass through.
 *
 * Unlike the classic S3 event notifications (SNS/SQS/Lambda), the key here is taken as-is:
 * see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
export const S3ObjectCreatedEventSchema = z.looseObject({
  version: z.string(),
  id: z.string().min(1),
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  account: z.string(),
  time: z.iso.datetime({ offset: true }),
  region: z.string().min(1),
  resources: z.array(z.string()),
  detail: z.looseObject({
    version: z.string(),
    bucket: z.object({ name: z.string().min(3).max(63) }),
    object: z.looseObject({
      key: z.string().min(1).max(1024),
      size: z.number().int().nonnegative().optional(),
      etag: z.string().optional(),
      'version-id': z.string().optional(),
      sequencer: z.string().optional(),
    }),
    'request-id': z.string().optional(),
    requester: z.string().optional(),
    reason: z.string().optional(),
  }),
});

/** An S3 `Object Created` event as delivered by EventBridge. */
export type S3ObjectCreatedEvent = z.infer<typeof S3ObjectCreatedEventSchema>;
