import type { ObjectRef, ValidationDecision } from '@slipway/events';
import { detectMediaType } from './detect';
import { UploadInputError } from './errors';
import { formatBytes } from './format-bytes';
import type { UploadPolicy } from './upload-policy';

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
