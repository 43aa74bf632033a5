import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SFNClient, type SFNClientConfig } from '@aws-sdk/client-sfn';
import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { SESv2Client, type SESv2ClientConfig } from '@aws-sdk/client-sesv2';

/**
 * The AWS SDK's standard variable that points every client at one endpoint (the sandbox's
 * embedded S3 server or another emulator); `AWS_ENDPOINT_URL_<SERVICE>` (`_S3`, `_SFN`,
 * `_EVENTBRIDGE`, `_DYNAMODB`, `_SESV2`) overrides it for one service. Unset in AWS, where the SDK's own resolution
 * applies. See https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export const LOCAL_ENDPOINT_ENV = 'AWS_ENDPOINT_URL';

/**
 * Slipway's former private name for {@link LOCAL_ENDPOINT_ENV}, still honoured (with a
 * deprecation warning) for one release: set `AWS_ENDPOINT_URL` instead.
 * @deprecated since 0.2.0, to be removed in 0.3.0.
 */
export const DEPRECATED_ENDPOINT_ENV = 'SLIPWAY_AWS_ENDPOINT';

/** Something that can wrap a client for tracing (the observability lib's `captureClient`). */
export interface ClientCapture {
  captureClient<T>(client: T): T;
}

let deprecationWarned = false;

/**
 * The endpoint override for one service, in the SDK's order: `AWS_ENDPOINT_URL_<SERVICE>`, then
 * `AWS_ENDPOINT_URL`, then the deprecated `SLIPWAY_AWS_ENDPOINT`. We read the variables
 * ourselves (the SDK would too) because an override also means "an S3-compatible server":
 * path-style addressing and checksums only when required.
 */
export function endpointOverride(
  service: 'S3' | 'SFN' | 'EVENTBRIDGE' | 'DYNAMODB' | 'SESV2',
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const set = (name: string) => env[name]?.trim() || undefined;
  const standard = set(`${LOCAL_ENDPOINT_ENV}_${service}`) ?? set(LOCAL_ENDPOINT_ENV);
  if (standard) return standard;
  const deprecated = set(DEPRECATED_ENDPOINT_ENV);
  if (deprecated && !deprecationWarned) {
    deprecationWarned = true;
    process.emitWarning(
      `${DEPRECATED_ENDPOINT_ENV} is deprecated and will be ignored from Slipway 0.3.0: set ${LOCAL_ENDPOINT_ENV} (or ${LOCAL_ENDPOINT_ENV}_${service}) to the same URL instead.`,
      { type: 'DeprecationWarning', code: 'SLIPWAY_AWS_ENDPOINT' },
    );
  }
  return deprecated;
}

/**
 * S3 client. With an endpoint override ({@link endpointOverride}) it uses path-style addressing and only
 * computes checksums when an operation requires them: S3-compatible test servers otherwise
 * store streamed bodies in the aws-chunked encoding.
 */
export function createS3Client(capture?: ClientCapture, config: S3ClientConfig = {}): S3Client {
  const endpoint = endpointOverride('S3');
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

/** Step Functions client, honouring {@link endpointOverride}. */
export function createSfnClient(capture?: ClientCapture, config: SFNClientConfig = {}): SFNClient {
  const endpoint = endpointOverride('SFN');
  const client = new SFNClient({ ...(endpoint ? { endpoint } : {}), ...config });
  return capture ? capture.captureClient(client) : client;
}

/** EventBridge client, honouring {@link endpointOverride}. */
export function createEventBridgeClient(
  capture?: ClientCapture,
  config: EventBridgeClientConfig = {},
): EventBridgeClient {
  const endpoint = endpointOverride('EVENTBRIDGE');
  const client = new EventBridgeClient({ ...(endpoint ? { endpoint } : {}), ...config });
  return capture ? capture.captureClient(client) : client;
}

/** DynamoDB client, honouring {@link endpointOverride} (the sandbox's local DynamoDB). */
export function createDynamoDbClient(
  capture?: ClientCapture,
  config: DynamoDBClientConfig = {},
): DynamoDBClient {
  const endpoint = endpointOverride('DYNAMODB');
  const client = new DynamoDBClient({ ...(endpoint ? { endpoint } : {}), ...config });
  return capture ? capture.captureClient(client) : client;
}

/** SES v2 client, honouring {@link endpointOverride} (the sandbox's SES writes `.eml` files). */
export function createSesV2Client(
  capture?: ClientCapture,
  config: SESv2ClientConfig = {},
): SESv2Client {
  const endpoint = endpointOverride('SESV2');
  const client = new SESv2Client({ ...(endpoint ? { endpoint } : {}), ...config });
  return capture ? capture.captureClient(client) : client;
}
