import sharp from 'sharp';
import { MediaInputError } from '../errors';

/**
 * The largest image, in pixels (width × height as stored), that is decoded: 100 megapixels.
 * Cameras and phones stay well below it (a 61 MP full-frame sensor, a 50 MP phone mode); a file
 * that declares more is refused as a decompression bomb before any pixel is decoded. Decoded as
 * 8-bit RGBA, 100 MP is 400 MB: size the Lambda's memory for that, or lower the limit.
 */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/**
 * When libvips gives up on damaged pixel data: `'error'` fails on truncated data and on real
 * decoding errors, but lets through the warnings (sharp's default level `'warning'`) that some
 * camera firmwares trigger on otherwise fine files, such as extraneous bytes before a marker.
 * https://sharp.pixelplumbing.com/api-constructor (`failOn`)
 */
export const FAIL_ON = 'error' as const;

/**
 * The formats that are decoded: those the upload policy accepts (`KNOWN_MEDIA_TYPES`), by
 * libvips' loader name. HEIC, HEIF and AVIF are all `heif`. Anything else libvips can read (GIF,
 * TIFF, SVG, PDF…) is refused: it never passed Validate, so reaching here means a polyglot.
 */
const DECODED_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'heif']);

/** What the header of an image says, before any pixel is decoded. */
export interface ImageHeader {
  /** libvips' loader name: `jpeg`, `png`, `webp` or `heif`. */
  readonly format: string;
  /** For `heif`: `av1` (AVIF) or `hevc` (HEIC). */
  readonly compression?: string;
  /** Stored width and height, before EXIF orientation. */
  readonly width: number;
  readonly height: number;
  /** Width and height as displayed, after EXIF orientation (swapped for 5-8). */
  readonly displayWidth: number;
  readonly displayHeight: number;
  /** EXIF orientation 1-8 when the file has one. */
  readonly orientation?: number;
  /** The raw EXIF block (`Exif\0\0` + TIFF structure) when the file has one. */
  readonly exif?: Buffer;
  /** The XMP packet (XML) when the file has one. */
  readonly xmp?: Buffer;
}

/**
 * Reads an image's header (libvips reads headers without decoding pixels) and refuses, with a
 * {@link MediaInputError}, what must not be decoded:
 * - `UNSUPPORTED_IMAGE`: no known format, or a format outside the accepted ones;
 * - `CORRUPT_IMAGE`: a known format whose header cannot be read;
 * - `DECOMPRESSION_BOMB`: more than `maxPixels` pixels declared.
 */
export async function readImageHeader(input: Uint8Array, maxPixels: number): Promise<ImageHeader> {
  assertMaxPixels(maxPixels);
  let metadata: sharp.Metadata;
  try {
    // No pixel limit here: sharp would refuse the bomb without saying its size. The check
    // below does it with the dimensions; the decoding pipelines set limitInputPixels as well.
    metadata = await sharp(input, { limitInputPixels: false, failOn: FAIL_ON }).metadata();
  } catch (error) {
    throw toMediaInputError(error);
  }
  const { format, width, height } = metadata;
  if (!DECODED_FORMATS.has(format)) {
    throw new MediaInputError(
      'UNSUPPORTED_IMAGE',
      `The file is a ${format} image, which is not one of the accepted formats (JPEG, PNG, WebP, HEIC, HEIF, AVIF). Upload the photo in one of those formats.`,
    );
  }
  if (width * height > maxPixels) {
    throw new MediaInputError(
      'DECOMPRESSION_BOMB',
      `The image declares ${width} x ${height} pixels (${megapixels(width * height)}), more than the limit of ${maxPixels} pixels (${megapixels(maxPixels)}); it was refused before decoding. Upload a smaller image.`,
    );
  }
  return {
    format,
    ...(metadata.compression === undefined ? {} : { compression: metadata.compression }),
    width,
    height,
    displayWidth: metadata.autoOrient.width,
    displayHeight: metadata.autoOrient.height,
    ...(metadata.orientation === undefined ? {} : { orientation: metadata.orientation }),
    ...(metadata.exif === undefined ? {} : { exif: metadata.exif }),
    ...(metadata.xmp === undefined ? {} : { xmp: metadata.xmp }),
  };
}

/**
 * Turns an error sharp raised while reading or decoding an input into the
 * {@link MediaInputError} the media flow quarantines on, keeping the original as `cause`.
 * sharp has no error codes, so its (stable, tested) messages decide the problem.
 */
export function toMediaInputError(error: unknown): MediaInputError {
  const message = error instanceof Error ? error.message : String(error);
  // libvips stacks its messages, most specific last (HEIC: "source: bad seek to 1024" lines,
  // then "heif: … Support for this compression format has not been built in"): match on all
  // of them, quote the last.
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const detail = lines[lines.length - 1] ?? 'no message';
  if (/exceeds pixel limit/i.test(message)) {
    return new MediaInputError(
      'DECOMPRESSION_BOMB',
      `The image has more pixels than the decoder is allowed to handle (libvips: ${detail}). Upload a smaller image.`,
      { cause: error },
    );
  }
  if (/unsupported image format|has not been built in|unsupported (codec|feature)/i.test(message)) {
    return new MediaInputError(
      'UNSUPPORTED_IMAGE',
      `The image is in a format or codec this service cannot decode (libvips: ${detail}). Upload it as JPEG, PNG or WebP.`,
      { cause: error },
    );
  }
  return new MediaInputError(
    'CORRUPT_IMAGE',
    `The image data is corrupt or truncated (libvips: ${detail}). Upload the complete original file again.`,
    { cause: error },
  );
}

function assertMaxPixels(maxPixels: number): void {
  if (!Number.isSafeInteger(maxPixels) || maxPixels <= 0) {
    throw new RangeError(`maxPixels must be a positive whole number of pixels, got ${maxPixels}.`);
  }
}

function megapixels(pixels: number): string {
  return `${Number((pixels / 1_000_000).toFixed(1))} megapixels`;
}
