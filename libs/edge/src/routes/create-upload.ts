import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import {
  type ApiGatewayProxyEvent,
  CreateUploadRequestSchema,
  type CreateUploadResponse,
} from '@slipway/events';
import type { UploadPolicy } from '@slipway/media';
import { EdgeConfigurationError } from '../errors';
import { errorResult, jsonResult } from '../http';
import { userUploadKey } from '../keys';
import { decideCreateUpload, type UploadEncryption, uploadPostPolicy } from '../uploads';
import type { RouteOutcome } from './outcome';

/** Default lifetime of a presigned POST. */
export const DEFAULT_UPLOAD_EXPIRY_MINUTES = 15;

/** What `POST /uploads` needs, read once at cold start. */
export interface CreateUploadDependencies {
  readonly s3: S3Client;
  /** The media bucket (its `uploads/` prefix starts the media flow). */
  readonly bucket: string;
  /** The media upload policy: `parseUploadPolicy(process.env)` from `@slipway/media`. */
  readonly policy: UploadPolicy;
  readonly encryption: UploadEncryption;
  /** 1 to 60 (default {@link DEFAULT_UPLOAD_EXPIRY_MINUTES}). */
  readonly expiresInMinutes?: number;
  /** Makes upload ids (tests); `crypto.randomUUID` otherwise. */
  readonly newId?: () => string;
}

/**
 * `POST /uploads`: checks `{filename, contentType, size}` against the upload policy and answers
 * 200 with a presigned S3 POST for `uploads/<userId>/<uuid><ext>`, or 400 with the allowed
 * types and sizes. The user id is the authorizer's (`requestContext.authorizer.userId`).
 * Signing happens locally (no S3 call); only credentials may be fetched.
 *
 * @throws {EdgeConfigurationError} when the request did not pass the authorizer, or the expiry
 * is out of range: wiring faults, answered 500 by API Gateway.
 */
export async function createUpload(
  event: ApiGatewayProxyEvent,
  deps: CreateUploadDependencies,
): Promise<RouteOutcome> {
  const userId = event.requestContext.authorizer?.userId;
  if (userId === undefined || userId === '') {
    throw new EdgeConfigurationError(
      'POST /uploads was reached without the authorizer\'s userId in requestContext.authorizer: declare the route with auth "jwt" in its manifest.',
    );
  }
  const minutes = deps.expiresInMinutes ?? DEFAULT_UPLOAD_EXPIRY_MINUTES;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
    throw new EdgeConfigurationError(
      `expiresInMinutes must be a whole number from 1 to 60, got ${minutes}.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    return refused(
      'INVALID_JSON',
      'The request body is not JSON. Send {"filename", "contentType", "size"} as application/json.',
    );
  }
  const parsed = CreateUploadRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'body';
    return refused(
      'INVALID_REQUEST',
      `${field}: ${issue?.message ?? 'is invalid'}. Send {"filename", "contentType", "size"} with a file name, its MIME type and its size in bytes.`,
    );
  }
  const decision = decideCreateUpload(parsed.data, deps.policy);
  if (decision.status === 'refused') {
    const { status: _status, ...error } = decision;
    return { response: errorResult(400, error), outcome: decision.code };
  }
  const key = userUploadKey(userId, (deps.newId ?? randomUUID)(), decision.extension);
  const { conditions, fields } = uploadPostPolicy(decision, deps.encryption);
  const post = await createPresignedPost(deps.s3, {
    Bucket: deps.bucket,
    Key: key,
    Conditions: conditions,
    Fields: fields,
    Expires: minutes * 60,
  });
  // The expiry S3 enforces is the one inside the signed policy: report that one, not a second clock.
  const policy = JSON.parse(
    Buffer.from(post.fields['Policy'] as string, 'base64').toString('utf8'),
  ) as { expiration: string };
  const response: CreateUploadResponse = {
    url: post.url,
    fields: post.fields,
    key,
    expiresAt: policy.expiration,
  };
  return { response: jsonResult(200, response), outcome: 'PRESIGNED' };
}

function refused(code: string, message: string): RouteOutcome {
  return { response: errorResult(400, { code, message }), outcome: code };
}
