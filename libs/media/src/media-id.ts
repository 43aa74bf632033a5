import { createHash } from 'node:crypto';
import type { ObjectRef } from '@slipway/events';

/**
 * Identifies one upload: 16 hex digits of the SHA-256 of `bucket/key/version` (the version id,
 * or the ETag on an unversioned bucket). The same upload always gets the same id, so a re-run
 * overwrites the same `derived/<mediaId>/` objects instead of making new ones.
 *
 * @example
 * mediaIdOf({ bucket: 'b', key: 'uploads/a.jpg', versionId: 'v1' }); // 'c1f0…' (16 hex digits)
 */
export function mediaIdOf(
  object: Pick<ObjectRef, 'bucket' | 'key' | 'versionId' | 'etag'>,
): string {
  const version = object.versionId ?? object.etag ?? '';
  return createHash('sha256')
    .update(`${object.bucket}/${object.key}/${version}`)
    .digest('hex')
    .slice(0, 16);
}
