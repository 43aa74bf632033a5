import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ObjectNotFoundError } from './errors';

/** Where an object lives; `versionId` pins one version when the bucket is versioned. */
export interface ObjectLocation {
  bucket: string;
  key: string;
  versionId?: string;
}

/** The first bytes of an object plus what S3 says about the whole object. */
export interface ObjectHead {
  bytes: Uint8Array;
  /** Size of the whole object in bytes. */
  size: number;
  etag?: string;
  versionId?: string;
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion']);

/**
 * Reads at most `byteCount` leading bytes of an object with one ranged GET, never the whole
 * object, and returns them with the object's full size (from `Content-Range`). An empty
 * object answers a ranged GET with 416; it is then confirmed with a HEAD and returned with
 * no bytes.
 *
 * @throws {ObjectNotFoundError} when the object (or version) does not exist.
 */
export async function readObjectHead(
  s3: S3Client,
  location: ObjectLocation,
  byteCount: number,
): Promise<ObjectHead> {
  const { bucket, key, versionId } = location;
  try {
    const response = await s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        VersionId: versionId,
        Range: `bytes=0-${byteCount - 1}`,
      }),
    );
    const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
    const total = /\/(\d+)$/.exec(response.ContentRange ?? '')?.[1];
    return {
      bytes: bytes.subarray(0, byteCount),
      size: total !== undefined ? Number(total) : (response.ContentLength ?? bytes.length),
      etag: response.ETag,
      versionId: response.VersionId,
    };
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (NOT_FOUND.has(name)) throw new ObjectNotFoundError(bucket, key, { cause: error });
    if (
      name !== 'InvalidRange' &&
      (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 416
    ) {
      throw error;
    }
  }
  try {
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
    );
    return {
      bytes: new Uint8Array(),
      size: head.ContentLength ?? 0,
      etag: head.ETag,
      versionId: head.VersionId,
    };
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (NOT_FOUND.has(name)) throw new ObjectNotFoundError(bucket, key, { cause: error });
    throw error;
  }
}
