import type { MediaKind } from '@slipway/events';
import { UploadPolicyError } from './errors';
import { formatBytes } from './format-bytes';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Every media type the platform knows how to process, with its family. An upload policy can
 * only allow types from this list: anything else would pass validation and then fail in a
 * later state that cannot decode it.
 */
export const KNOWN_MEDIA_TYPES = [
  { mime: 'image/jpeg', kind: 'image' },
  { mime: 'image/png', kind: 'image' },
  { mime: 'image/webp', kind: 'image' },
  { mime: 'image/heic', kind: 'image' },
  { mime: 'image/heif', kind: 'image' },
  { mime: 'image/avif', kind: 'image' },
  { mime: 'video/mp4', kind: 'video' },
  { mime: 'video/quicktime', kind: 'video' },
  // Phone containers of the same ISO-BMFF family: Probe refuses codecs the renditions cannot
  // read in 3GPP files (anything but H.264/HEVC video and AAC audio), saying how to convert.
  { mime: 'video/3gpp', kind: 'video' },
  { mime: 'video/3gpp2', kind: 'video' },
  { mime: 'video/x-m4v', kind: 'video' },
] as const satisfies readonly { mime: string; kind: MediaKind }[];

/** One of the MIME types in {@link KNOWN_MEDIA_TYPES}, for example `image/jpeg`. */
export type KnownMimeType = (typeof KNOWN_MEDIA_TYPES)[number]['mime'];

/** A type an upload policy accepts, and the family whose size limit applies to it. */
export interface AllowedType {
  /** The MIME type as {@link detectMediaType} reports it. */
  readonly mime: KnownMimeType;
  /** Which entry of {@link UploadPolicy.maxBytes} limits files of this type. */
  readonly kind: MediaKind;
}

/** What {@link decideUpload} accepts: which types, and how large per family. */
export interface UploadPolicy {
  /** Largest accepted size in bytes, per family. A file of exactly this size is accepted. */
  readonly maxBytes: { readonly image: number; readonly video: number };
  /** The accepted types; a detected type not in this list is rejected as `TYPE_NOT_ALLOWED`. */
  readonly allowed: readonly AllowedType[];
}

/**
 * Known types the default policy leaves out because the packaged decoder cannot read them.
 * `image/heic` is HEVC-coded, and the prebuilt libvips inside `sharp` ships libheif without an
 * HEVC decoder (patent licensing), so every HEIC photo would pass `Validate` only to be
 * quarantined by `Thumbnails`. Refusing it at the edge tells the uploader at once and costs one
 * Lambda call instead of four. A deployment with its own HEVC-enabled libvips can allow it
 * again with `ALLOWED_MIME_TYPES`.
 */
export const NOT_DECODABLE_BY_DEFAULT: readonly KnownMimeType[] = Object.freeze(['image/heic']);

/**
 * The policy used when no environment variable overrides it: every known type except
 * {@link NOT_DECODABLE_BY_DEFAULT}, images up to 50 MiB, videos up to 5 GiB.
 *
 * 5 GiB is also the largest object a single S3 `PutObject` can create
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html), so a larger
 * video can only arrive through a multipart upload that the platform does not expect.
 */
export const DEFAULT_UPLOAD_POLICY: UploadPolicy = Object.freeze({
  maxBytes: Object.freeze({ image: 50 * MiB, video: 5 * GiB }),
  allowed: Object.freeze(
    KNOWN_MEDIA_TYPES.filter((type) => !NOT_DECODABLE_BY_DEFAULT.includes(type.mime)).map((type) =>
      Object.freeze({ ...type }),
    ),
  ),
});

/**
 * Builds the upload policy from environment variables, starting from
 * {@link DEFAULT_UPLOAD_POLICY}. Every variable is optional; an unset or blank one keeps the
 * default (Terraform often passes `""` for "not set").
 *
 * - `MAX_IMAGE_BYTES`, `MAX_VIDEO_BYTES`: positive whole numbers of bytes, digits only.
 * - `ALLOWED_MIME_TYPES`: comma-separated MIME types, each one of {@link KNOWN_MEDIA_TYPES}
 *   (case and spaces around commas do not matter).
 *
 * Call it once at cold start so a bad value fails the deployment's first invocation loudly
 * instead of rejecting every upload.
 *
 * @throws {UploadPolicyError} when a variable holds a value that cannot be used; the message
 * names the variable, the value and what is accepted.
 *
 * @example
 * const policy = parseUploadPolicy({ MAX_IMAGE_BYTES: '10485760', ALLOWED_MIME_TYPES: 'image/jpeg,image/png' });
 * // policy.maxBytes.image === 10485760; policy.allowed lists image/jpeg and image/png only
 */
export function parseUploadPolicy(env: Readonly<Record<string, string | undefined>>): UploadPolicy {
  const defaults = DEFAULT_UPLOAD_POLICY;
  return Object.freeze({
    maxBytes: Object.freeze({
      image: parseByteLimit('MAX_IMAGE_BYTES', env['MAX_IMAGE_BYTES'], defaults.maxBytes.image),
      video: parseByteLimit('MAX_VIDEO_BYTES', env['MAX_VIDEO_BYTES'], defaults.maxBytes.video),
    }),
    allowed: parseAllowedTypes(env['ALLOWED_MIME_TYPES'], defaults.allowed),
  });
}

function parseByteLimit(variable: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const text = raw.trim();
  // Digits only: Number() would also take "1e6", "0x10" and "1.0", which nobody means as a size.
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new UploadPolicyError(
      variable,
      raw,
      `${variable} must be a positive whole number of bytes written with digits only ` +
        `(for example ${fallback} for ${formatBytes(fallback)}), but it is "${raw}". ` +
        `Set it to such a number, or remove it to use the default of ${fallback} (${formatBytes(fallback)}).`,
    );
  }
  return value;
}

function parseAllowedTypes(
  raw: string | undefined,
  fallback: readonly AllowedType[],
): readonly AllowedType[] {
  if (raw === undefined || raw.trim() === '') return fallback;
  const known = KNOWN_MEDIA_TYPES.map((type) => type.mime).join(', ');
  const requested = raw
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
  if (requested.length === 0) {
    throw new UploadPolicyError(
      'ALLOWED_MIME_TYPES',
      raw,
      `ALLOWED_MIME_TYPES is "${raw}", which names no MIME type. ` +
        `Set it to a comma-separated list of some of: ${known}; or remove it to use the default list.`,
    );
  }
  const allowed: AllowedType[] = [];
  for (const mime of requested) {
    const type = KNOWN_MEDIA_TYPES.find((candidate) => candidate.mime === mime);
    if (type === undefined) {
      throw new UploadPolicyError(
        'ALLOWED_MIME_TYPES',
        raw,
        `ALLOWED_MIME_TYPES contains "${mime}", which is not a type the platform can process. ` +
          `Use a comma-separated list of some of: ${known}; or remove it to use the default list.`,
      );
    }
    if (!allowed.some((entry) => entry.mime === type.mime))
      allowed.push(Object.freeze({ ...type }));
  }
  return Object.freeze(allowed);
}
