/**
 * The bench's SDK floor: the reference (Powertools Logger, Tracer and Metrics) plus one AWS SDK
 * client, created at module scope and traced the way `@slipway/aws` creates every client. A
 * Lambda that calls AWS cannot load less than this; its ratio to the reference is how much of a
 * Lambda's cold start the SDK alone accounts for (issue 17).
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { logger, metrics, tracer } from './handler';

/** The floor's S3 client, traced like the Lambdas' clients. */
export const s3 = tracer.captureAWSv3Client(new S3Client({}));

export { logger, metrics, tracer };

/** A handler that reads one object: the bench only loads it, never invokes it. */
export const handler = async (event: { key: string }): Promise<{ bytes: number }> => {
  const object = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: event.key }));
  return { bytes: object.ContentLength ?? 0 };
};
