import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SFNClient, type SFNClientConfig } from '@aws-sdk/client-sfn';
import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';

/**
 * Environment variable that points every client at a local endpoint (the sandbox's embedded
 * S3 server or another emulator). Unset in AWS, where the SDK's own resolution applies.
 */
export const LOCAL_ENDPOINT_ENV = 'SLIPWAY_AWS_ENDPOINT';

/** Something that can wrap a client for tracing (the observability lib's `captureClient`). */
export interface ClientCapture {
  captureClient<T>(client: T): T;
}

function localEndpoint(): string | undefined {
  const value = process.env[LOCAL_ENDPOINT_ENV]?.trim();
  return value ? value : undefined;
}

/**
 * S3 client. With {@link LOCAL_ENDPOINT_ENV} set it uses path-style addressing and only
 * computes checksums when an operation requires them: S3-compatible test servers otherwise
 * store streamed bodies in the aws-chunked encoding.
 */
export function createS3Client(capture?: ClientCapture, config: S3ClientConfig = {}): S3Client {
  const endpoint = localEndpoint();
  const client = new S3Client({
    ...(endpoint
      ? {
          endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
    ...config,
  });
  return capture ? capture.captureClient(client) : client;
}

/** Step Functions client, honouring {@link LOCAL_ENDPOINT_ENV}. */
export function createSfnClient(capture?: ClientCapture, config: SFNClientConfig = {}): SFNClient {
  const endpoint = localEndpoint();
  const client = new SFNClient({ ...(endpoint ? { endpoint } : {}), ...config });
  return capture ? capture.captureClient(client) : client;
}

/** EventBridge client, honouring {@link LOCAL_ENDPOINT_ENV}. */
export function createEventBridgeClient(
  capture?: ClientCapture,
  config: EventBridgeClientConfig = {},
): EventBridgeClient {
  const endpoint = localEndpoint();
  const client = new EventBridgeClient({ ...(endpoint ? { endpoint } : {}), ...config });
  return capture ? capture.captureClient(client) : client;
}
