import type { CreateUploadRequest, ErrorResponse } from '@slipway/events';
import { formatBytes, type KnownMimeType, type UploadPolicy } from '@slipway/media';

// The presign's decisions (issue 13): an upload is refused before any URL is made when the
// media upload policy (libs/media, the same one Validate applies to the bytes later) would
// refuse its declared type or size, and the S3 POST policy then holds the browser to exactly
// what was declared. The declared type is the uploader's claim: Validate still sniffs the bytes.

/** How uploads are encrypted at rest; must match what the bucket's policy requires. */
export type UploadEncryption =
  { readonly kind: 'AES256' } | { readonly kind: 'aws:kms'; readonly keyId?: string };

/** An upload the policy admits. */
export interface AcceptedUpload {
  readonly status: 'accepted';
  /** The canonical MIME type (lowercase), as the POST must send it. */
  readonly contentType: KnownMimeType;
  readonly kind: 'image' | 'video';
  readonly size: number;
  /** The file name's extension, lowercased (`.jpg`), or `''` when it has none usable. */
  readonly extension: string;
}

/** An upload the policy refuses, as the 400 body. */
export interface RefusedUpload extends ErrorResponse {
  readonly status: 'refused';
  readonly code: 'TYPE_NOT_ALLOWED' | 'TOO_LARGE';
  readonly allowed: string[];
}

/**
 * Checks a presign request against the upload policy.
 *
 * @example
 * decideCreateUpload({ filename: 'cat.JPG', contentType: 'image/jpeg', size: 1234 }, DEFAULT_UPLOAD_POLICY);
 * // { status: 'accepted', contentType: 'image/jpeg', kind: 'image', size: 1234, extension: '.jpg' }
 */
export function decideCreateUpload(
  request: CreateUploadRequest,
  policy: UploadPolicy,
): AcceptedUpload | RefusedUpload {
  const allowed = policy.allowed.map(
    (type) => `${type.mime} (up to ${formatBytes(policy.maxBytes[type.kind])})`,
  );
  // Parameters (`; charset=…`) mean nothing for media and would not match the exact condition.
  const requested = request.contentType.split(';')[0]?.trim().toLowerCase();
  const type = policy.allowed.find((candidate) => candidate.mime === requested);
  if (type === undefined) {
    return {
      status: 'refused',
      code: 'TYPE_NOT_ALLOWED',
      message: `${request.contentType} is not a type this platform accepts. Upload one of: ${allowed.join(', ')}.`,
      allowed,
    };
  }
  const limit = policy.maxBytes[type.kind];
  if (request.size > limit) {
    return {
      status: 'refused',
      code: 'TOO_LARGE',
      message: `The ${type.kind} is ${request.size} bytes, over the limit of ${limit} bytes (${formatBytes(limit)}) for ${type.kind}s. Upload a smaller file; accepted: ${allowed.join(', ')}.`,
      allowed,
    };
  }
  return {
    status: 'accepted',
    contentType: type.mime,
    kind: type.kind,
    size: request.size,
    extension: extensionOf(request.filename),
  };
}

/** `.jpg` from `Holiday.JPG`; `''` when the name has no extension of 1-10 letters or digits. */
export function extensionOf(filename: string): string {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(filename);
  return match === null || match.index === 0 ? '' : `.${(match[1] as string).toLowerCase()}`;
}

/** One condition of an S3 POST policy (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html). */
export type PostCondition =
  | Record<string, string>
  | ['eq' | 'starts-with', string, string]
  | ['content-length-range', number, number];

/**
 * The POST policy's conditions and the form fields for an accepted upload: a body of 1 to the
 * declared size bytes (the declared size is within the policy's limit), the exact Content-Type
 * and the server-side encryption headers. `createPresignedPost` makes each field an exact
 * condition and adds the bucket and key ones.
 */
export function uploadPostPolicy(
  upload: AcceptedUpload,
  encryption: UploadEncryption,
): { conditions: PostCondition[]; fields: Record<string, string> } {
  const fields: Record<string, string> = {
    'Content-Type': upload.contentType,
    'x-amz-server-side-encryption': encryption.kind,
  };
  if (encryption.kind === 'aws:kms' && encryption.keyId !== undefined) {
    fields['x-amz-server-side-encryption-aws-kms-key-id'] = encryption.keyId;
  }
  // createPresignedPost turns every field into an exact-match condition ({ "Content-Type": … },
  // { "x-amz-server-side-encryption": … }, bucket and key too): only the range is added here.
  const conditions: PostCondition[] = [['content-length-range', 1, upload.size]];
  return { conditions, fields };
}
