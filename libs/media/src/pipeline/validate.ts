import type { S3Client } from '@aws-sdk/client-s3';
import { ObjectNotFoundError, readObjectHead } from '@slipway/aws';
import type { ObjectRef, ValidateOutput, ValidationDecision } from '@slipway/events';
import { SNIFF_BYTES } from '../detect';
import { derivedPrefixOf } from '../keys';
import { mediaIdOf } from '../media-id';
import type { UploadPolicy } from '../upload-policy';
import { decideUpload, pinObject, rejectMissing, rejectOutsideUploads } from '../validate-upload';

/**
 * `Validate`: decides on one upload and says where its derived objects go.
 *
 * 1. A key outside `uploads/` is rejected (`OUTSIDE_UPLOADS`) without any S3 call.
 * 2. Otherwise one ranged GET reads the first {@link SNIFF_BYTES} bytes; the decision is pinned
 *    to the ETag, version id and size S3 answered with ({@link pinObject}).
 * 3. An object that no longer exists is rejected (`NOT_FOUND`); any other S3 error is thrown, so
 *    Step Functions retries it.
 *
 * The `mediaId` is computed from the pinned object, so the same upload version always gets the
 * same `derived/<mediaId>/`.
 *
 * @example
 * const policy = parseUploadPolicy(process.env); // once, at cold start
 * const output = await validateUpload(s3, input.object, policy);
 */
export async function validateUpload(
  s3: S3Client,
  object: ObjectRef,
  policy: UploadPolicy,
): Promise<ValidateOutput> {
  const decision = await decide(s3, object, policy);
  const mediaId = mediaIdOf(decision.object);
  return { ...decision, mediaId, derivedPrefix: derivedPrefixOf(mediaId) };
}

async function decide(
  s3: S3Client,
  object: ObjectRef,
  policy: UploadPolicy,
): Promise<ValidationDecision> {
  const outside = rejectOutsideUploads(object);
  if (outside) return outside;
  try {
    const head = await readObjectHead(s3, object, SNIFF_BYTES);
    const pinned = pinObject(object, head);
    return await decideUpload({ object: pinned, size: head.size, head: head.bytes }, policy);
  } catch (error) {
    if (!(error instanceof ObjectNotFoundError)) throw error;
    return rejectMissing(object, error.message);
  }
}
