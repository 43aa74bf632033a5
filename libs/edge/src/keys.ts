import { UPLOADS_PREFIX } from '@slipway/media';
import { EdgeError } from './errors';

// The S3 keys the edge builds. The `uploads/` prefix is the media flow's (libs/media keys.ts
// owns it: only keys under it are processed); the edge adds the per-user folder below it so a
// user's uploads are listable and attributable without a table.

/** A user id that is safe as one S3 key segment (Cognito and Supabase `sub`s are UUIDs). */
const USER_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/**
 * `uploads/<userId>/<uploadId><extension>`: where a presigned upload lands, which starts the
 * media flow.
 *
 * @throws {EdgeError} when `userId` could not be one key segment (a `/`, `..`, a control
 * character): the token's `sub` is not what the identity provider issues.
 * @example
 * userUploadKey('5f1c…', '0b7e…', '.jpg'); // 'uploads/5f1c…/0b7e….jpg'
 */
export function userUploadKey(userId: string, uploadId: string, extension: string): string {
  if (!USER_SEGMENT.test(userId) || userId.includes('..')) {
    throw new EdgeError(
      `The user id ${JSON.stringify(userId)} cannot be an S3 key segment (letters, digits and . _ : @ - only, at most 128): check the identity provider's sub claim.`,
    );
  }
  if (!/^[0-9a-f-]{36}$/.test(uploadId)) {
    throw new EdgeError(
      `uploadId must be a lowercase UUID, got ${JSON.stringify(uploadId)}: use crypto.randomUUID().`,
    );
  }
  if (!/^(\.[a-z0-9]{1,10})?$/.test(extension)) {
    throw new EdgeError(
      `extension must be empty or a dot and 1-10 lowercase letters or digits, got ${JSON.stringify(extension)}: use extensionOf(filename).`,
    );
  }
  return `${UPLOADS_PREFIX}${userId}/${uploadId}${extension}`;
}
