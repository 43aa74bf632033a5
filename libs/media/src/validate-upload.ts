import type { ObjectRef, ValidationDecision } from '@slipway/events';
import { detectMediaType } from './detect';
import { UploadInputError } from './errors';
import { formatBytes } from './format-bytes';
import { UPLOADS_PREFIX } from './keys';
import type { UploadPolicy } from './upload-policy';

/**
 * The rejection of a key outside `uploads/`, or `undefined` for a key under it. Such a key is
 * refused before anything reads it: the Validate function may only read `uploads/*`, and
 * derived or quarantined objects must never be processed as uploads.
 *
 * @example
 * rejectOutsideUploads({ bucket: 'media', key: 'derived/abc/thumb-256.jpg' })?.code; // 'OUTSIDE_UPLOADS'
 */
export function rejectOutsideUploads(object: ObjectRef): ValidationDecision | undefined {
  if (object.key.startsWith(UPLOADS_PREFIX)) return undefined;
  return {
    status: 'rejected',
    object,
    size: object.size ?? 0,
    code: 'OUTSIDE_UPLOADS',
    reason: `Only keys under ${UPLOADS_PREFIX} are processed; ${object.key} was left untouched.`,
  };
}

/** What S3 said about the object when its first bytes were read. */
export interface ObjectSeen {
  readonly size: number;
  readonly etag?: string;
  readonly versionId?: string;
}

/**
 * The object pinned to what was read: its real size, and the ETag and version id S3 answered
 * with (the event's own when S3 gave none). Every later state reads this exact version, so an
 * overwrite during the flow cannot mix two uploads' bytes.
 *
 * @example
 * pinObject({ bucket: 'media', key: 'uploads/a.jpg' }, { size: 10, etag: '"e1"', versionId: 'v1' });
 * // { bucket: 'media', key: 'uploads/a.jpg', size: 10, etag: '"e1"', versionId: 'v1' }
 */
export function pinObject(object: ObjectRef, seen: ObjectSeen): ObjectRef {
  const etag = seen.etag ?? object.etag;
  const versionId = seen.versionId ?? object.versionId;
  return {
    ...object,
    size: seen.size,
    ...(etag === undefined ? {} : { etag }),
    ...(versionId === undefined ? {} : { versionId }),
  };
}

/**
 * The rejection of an upload that no longer exists: a handled outcome (quarantine records it),
 * not an error, so Step Functions does not retry an object that will never come back.
 */
export function rejectMissing(object: ObjectRef, reason: string): ValidationDecision {
  return { status: 'rejected', object, size: 0, code: 'NOT_FOUND', reason };
}

/** What {@link decideUpload} looks at: the object's real size and its first bytes. */
export interface UploadCandidate {
  /** The uploaded object; copied into the decision unchanged. */
  readonly object: ObjectRef;
  /** Size in bytes as S3 reports it (`ContentLength` of a HeadObject, or the event's `size`). */
  readonly size: number;
  /** The object's first bytes: {@link SNIFF_BYTES} of them, or all of a shorter object. */
  readonly head: Uint8Array;
}

/**
 * Decides whether an upload is accepted, from its bytes and size only. The key's extension
 * and any Content-Type are not inputs: the uploader chooses both.
 *
 * Checks, in order (the first that fails gives the decision):
 * 1. `EMPTY`: the size is 0.
 * 2. `UNKNOWN_TYPE`: the first bytes match no known format.
 * 3. `TYPE_NOT_ALLOWED`: the detected type is not in `policy.allowed`.
 * 4. `TOO_LARGE`: the size is over `policy.maxBytes` for the type's kind.
 *
 * Every `reason` is a full sentence that the uploader can act on.
 *
 * @throws {UploadInputError} when `size` is not a whole number of bytes ≥ 0 (a caller bug).
 *
 * @example
 * const policy = parseUploadPolicy(process.env); // once, at cold start
 * const decision = await decideUpload({ object, size: head.ContentLength, head: bytes }, policy);
 * if (decision.status === 'rejected') logger.info('Upload rejected', { code: decision.code });
 */
export async function decideUpload(
  input: UploadCandidate,
  policy: UploadPolicy,
): Promise<ValidationDecision> {
  const { object, size, head } = input;
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new UploadInputError(
      `decideUpload was given size ${String(size)} for s3://${object.bucket}/${object.key}; ` +
        'pass the object size in bytes as S3 reports it (a whole number, 0 or more).',
    );
  }
  if (size === 0) {
    return {
      status: 'rejected',
      object,
      size,
      code: 'EMPTY',
      reason:
        'The file is empty (0 bytes). Check that the upload finished, then upload the file again.',
    };
  }

  const detected = await detectMediaType(head);
  if (detected === undefined) {
    return {
      status: 'rejected',
      object,
      size,
      code: 'UNKNOWN_TYPE',
      reason:
        'The file is not in any format we recognise, so it cannot be processed. ' +
        `Upload a file of one of these types: ${allowedList(policy)}.`,
    };
  }

  const allowed = policy.allowed.find((type) => type.mime === detected.mime);
  if (allowed === undefined && detected.mime === 'image/heic') {
    return {
      status: 'rejected',
      object,
      kind: 'image',
      mime: detected.mime,
      size,
      code: 'TYPE_NOT_ALLOWED',
      reason:
        'The file is a HEIC photo (HEVC-coded), which this service cannot decode. ' +
        'Export it as JPEG (on an iPhone: Settings > Camera > Formats > Most Compatible) and upload it again, ' +
        `or upload one of these types: ${allowedList(policy)}.`,
    };
  }
  if (allowed === undefined) {
    return {
      status: 'rejected',
      object,
      ...(detected.kind === undefined ? {} : { kind: detected.kind }),
      mime: detected.mime,
      size,
      code: 'TYPE_NOT_ALLOWED',
      reason:
        `The file's contents show it is ${detected.mime} (.${detected.ext}), a type that is not accepted here. ` +
        `Upload a file of one of these types: ${allowedList(policy)}.`,
    };
  }

  const limit = policy.maxBytes[allowed.kind];
  if (size > limit) {
    return {
      status: 'rejected',
      object,
      kind: allowed.kind,
      mime: allowed.mime,
      size,
      code: 'TOO_LARGE',
      reason:
        `The ${allowed.kind} is ${sizeText(size, limit)}, which is over the limit of ${sizeText(limit, size)} ` +
        `for ${allowed.kind}s. Upload a smaller or more compressed version of at most ${sizeText(limit, size)}.`,
    };
  }

  return { status: 'accepted', object, kind: allowed.kind, mime: allowed.mime, size };
}

function allowedList(policy: UploadPolicy): string {
  return policy.allowed.map((type) => type.mime).join(', ');
}

/** Human units, plus the exact count when rounding would make `bytes` read like `other`. */
function sizeText(bytes: number, other: number): string {
  const text = formatBytes(bytes);
  if (bytes < 1024 || text !== formatBytes(other)) return text;
  return `${text} (${bytes.toLocaleString('en-US')} bytes)`;
}
