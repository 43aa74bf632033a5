import { createHash } from 'node:crypto';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
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
    const total = /\/(\d+)$/.exec(response.ContentRange ?? '')?.[1];
    if (total === '0') {
      // Some S3-compatible servers answer a range on an empty object with 206 and no body
      // instead of S3's 416: the size says there is nothing to read.
      await response.Body?.transformToWebStream().cancel();
      return {
        bytes: new Uint8Array(),
        size: 0,
        etag: response.ETag,
        versionId: response.VersionId,
      };
    }
    const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
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

/** One listed object. */
export interface ListedObject {
  key: string;
  bytes: number;
}

/** Every object under `prefix`, sorted by key (follows continuation tokens). */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<ListedObject[]> {
  const found: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key) found.push({ key: o.Key, bytes: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** What {@link digestObject} learns about an object while streaming it once. */
export interface ObjectDigest {
  /** Base64 SHA-256 of the bytes. */
  sha256: string;
  bytes: number;
  contentType?: string;
  metadata: Record<string, string>;
}

/** Streams an object once (constant memory) and returns its SHA-256, size, type and user metadata. */
export async function digestObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<ObjectDigest> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of response.Body as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return {
    sha256: hash.digest('base64'),
    bytes,
    contentType: response.ContentType,
    metadata: response.Metadata ?? {},
  };
}

/** Deletes every listed key (batches of 1000, S3's limit per request). */
export async function deleteKeys(
  s3: S3Client,
  bucket: string,
  keys: readonly string[],
): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
    );
  }
}

/**
 * A short-lived presigned GET URL for an object, so tools that read over HTTP (ffprobe, ffmpeg)
 * fetch only the byte ranges they need instead of the whole file.
 */
export async function presignedGetUrl(
  s3: S3Client,
  location: ObjectLocation,
  expiresInSeconds = 900,
): Promise<string> {
  const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
  return getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: location.bucket,
      Key: location.key,
      VersionId: location.versionId,
    }),
    { expiresIn: expiresInSeconds },
  );
}

/**
 * The `CopySource` of a CopyObject: `bucket/key[?versionId=…]`, URL-encoded as the S3 API
 * documents it: each `/`-separated segment of the key is percent-encoded (`encodeURIComponent`),
 * so `+`, `#`, `?`, `=`, `%`, spaces and non-ASCII characters reach S3 as `%XX` and S3 decodes
 * them back (a literal `?` would start the `versionId` query).
 * See https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html (`x-amz-copy-source`).
 *
 * The sandbox's local S3 (s3rver) decodes this header with `decodeURI`, which leaves `%3F %23 %2B
 * %3D …` encoded; the sandbox rewrites the header before s3rver reads it
 * (`tools/sandbox/src/local-s3.ts`), so no local workaround belongs here.
 *
 * @example
 * copySource('b', 'raw/lms/dt=2026-03-01/a b.csv'); // 'b/raw/lms/dt%3D2026-03-01/a%20b.csv'
 * copySource('b', 'uploads/x?y.jpg', 'v1'); // 'b/uploads/x%3Fy.jpg?versionId=v1'
 */
export function copySource(bucket: string, key: string, versionId?: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${bucket}/${path}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;
}
