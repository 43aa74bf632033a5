import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DerivedObject, DerivedRole, ObjectRef } from '@slipway/events';
import { MediaInputError } from '../errors';

/**
 * Writes one derived object and describes it for the manifest. Width and height also go into
 * the object's user metadata, where Finalize reads them back.
 */
export async function putDerived(
  s3: S3Client,
  bucket: string,
  object: {
    key: string;
    role: DerivedRole;
    body: Buffer;
    contentType: string;
    width?: number;
    height?: number;
  },
): Promise<DerivedObject> {
  const { key, role, body, contentType, width, height } = object;
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ...(width && height ? { Metadata: { width: String(width), height: String(height) } } : {}),
    }),
  );
  return {
    key,
    role,
    contentType,
    bytes: body.length,
    sha256: createHash('sha256').update(body).digest('base64'),
    ...(width && height ? { width, height } : {}),
  };
}

/**
 * Reads a whole original into memory, refusing anything over `maxBytes` before reading it (the
 * function's memory is sized for that limit). Used for images, whose decoder needs the bytes.
 */
export async function readOriginal(
  s3: S3Client,
  object: ObjectRef,
  maxBytes: number,
): Promise<Buffer> {
  const response = await s3.send(
    new GetObjectCommand({ Bucket: object.bucket, Key: object.key, VersionId: object.versionId }),
  );
  const size = response.ContentLength ?? 0;
  if (size > maxBytes) {
    response.Body?.transformToWebStream().cancel();
    throw new MediaInputError(
      'TOO_LARGE',
      `${size} bytes is over the ${maxBytes}-byte limit of this function.`,
    );
  }
  return Buffer.from(await response.Body!.transformToByteArray());
}
