import type { MediaKind } from '@slipway/events';
// The buffer-only entry point: it leaves out file-type's Node stream and file helpers, which a
// ranged GET does not need, and its package export has a `default` condition that Jest's
// CommonJS resolver can follow (the root entry offers only `import`).
import { fileTypeFromBuffer } from 'file-type/core';

/**
 * How many leading bytes of a file {@link detectMediaType} needs. This is file-type's own
 * sample size (`reasonableDetectionSizeInBytes` in its source, not exported with types), so a
 * Lambda can fetch exactly this much with a ranged GET instead of the whole object.
 *
 * @example
 * const head = await s3.send(new GetObjectCommand({ Bucket, Key, Range: `bytes=0-${SNIFF_BYTES - 1}` }));
 */
export const SNIFF_BYTES = 4100;

/** What a file's leading bytes say it is. */
export interface DetectedType {
  /** MIME type, for example `image/heic` or `application/pdf`. */
  readonly mime: string;
  /** Usual file extension without the dot, for example `heic`. */
  readonly ext: string;
  /** `image` or `video` for `image/*` and `video/*` types; absent for anything else (PDF, ZIP…). */
  readonly kind?: MediaKind;
}

/**
 * Identifies a file from its first bytes (magic numbers) with the `file-type` library, then
 * refines its answer for ISO-BMFF images (HEIC, HEIF, AVIF) from the `ftyp` box's compatible
 * brands, which file-type does not read (`refineIsoBmff` below says when and why).
 *
 * The name of the object and any Content-Type are deliberately not inputs: both are chosen
 * by the uploader and say nothing about the bytes.
 *
 * @param head - the file's first bytes; {@link SNIFF_BYTES} of them are enough, the whole file
 * works too. Fewer (a file shorter than that) is fine.
 * @returns the detected type, or `undefined` when the bytes match no format file-type knows.
 *
 * @example
 * await detectMediaType(jpegBytes); // { mime: 'image/jpeg', ext: 'jpg', kind: 'image' }
 * await detectMediaType(pdfBytes); // { mime: 'application/pdf', ext: 'pdf' } (no kind)
 */
export async function detectMediaType(head: Uint8Array): Promise<DetectedType | undefined> {
  const found = await fileTypeFromBuffer(head);
  if (found === undefined) return undefined;
  const { mime, ext } = refineIsoBmff(head, found);
  const kind = kindOf(mime);
  return kind === undefined ? { mime, ext } : { mime, ext, kind };
}

function kindOf(mime: string): MediaKind | undefined {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  return undefined;
}

/**
 * file-type names an ISO-BMFF file (the box format behind MP4, QuickTime, HEIF and AVIF) from
 * its `ftyp` box's major brand alone. Two of its answers are catch-alls that can be wrong for
 * still images:
 * - major brand `mif1` always gives `image/heif`, although the compatible brands may say the
 *   image is AVIF (`avif`) or HEVC-coded HEIC (`heic`, `heix`);
 * - any major brand it does not list (for example `miaf`) gives `video/mp4`, even when the
 *   compatible brands say the file is a HEIF image.
 *
 * The compatible brands are the file's own statement of which specifications it conforms to
 * (ISO/IEC 14496-12, "File Type Box"; the brands are defined by HEIF, ISO/IEC 23008-12, and by
 * the AV1 Image File Format), so for those two answers they decide.
 * Every other answer, and a file without an image brand, is returned unchanged.
 */
function refineIsoBmff(
  head: Uint8Array,
  found: { mime: string; ext: string },
): { mime: string; ext: string } {
  if (found.mime !== 'image/heif' && found.mime !== 'video/mp4') return found;
  const brands = ftypBrands(head);
  if (brands.has('avif')) return { mime: 'image/avif', ext: 'avif' };
  if (brands.has('heic') || brands.has('heix')) return { mime: 'image/heic', ext: 'heic' };
  if (brands.has('mif1')) return { mime: 'image/heif', ext: 'heif' };
  return found;
}

/** Major and compatible brands of a leading `ftyp` box; empty when there is none. */
function ftypBrands(head: Uint8Array): Set<string> {
  const brands = new Set<string>();
  if (head.length < 12 || ascii(head, 4, 8) !== 'ftyp') return brands;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  // Box layout: size (u32) 'ftyp' major_brand minor_version compatible_brands[]. A size past
  // the bytes we have (a cut head) or below the header is read only as far as it is valid.
  const end = Math.min(view.getUint32(0), head.length);
  brands.add(ascii(head, 8, 12));
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.add(ascii(head, offset, offset + 4));
  return brands;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}
