import sharp from 'sharp';
import { DEFAULT_MAX_PIXELS, FAIL_ON, readImageHeader, toMediaInputError } from './input';

/** Long edges of the thumbnails, in pixels: a grid tile, a screen-wide view, a retina view. */
export const THUMBNAIL_LONG_EDGES: readonly number[] = [256, 1024, 2048];

/** Encodings of every thumbnail. */
export type ThumbnailFormat = 'webp' | 'jpeg';

/**
 * WebP settings: lossy quality 80 (the primary format: at the same nominal quality it is well
 * under half the JPEG's size on the 12 MP fixture), libwebp's default effort 4, alpha kept at
 * full quality.
 */
export const WEBP_OPTIONS = {
  quality: 80,
  alphaQuality: 100,
  effort: 4,
  smartSubsample: false,
} as const satisfies sharp.WebpOptions;

/**
 * JPEG settings, the fallback for clients without WebP: quality 80, 4:2:0 chroma, progressive,
 * optimised Huffman tables, plain libjpeg-turbo coding. `mozjpeg: true` made the 2048 px JPEG
 * of the 12 MP fixture about a third smaller but took three times as long to encode (45 → 150
 * ms); for the fallback format, speed wins.
 */
export const JPEG_OPTIONS = {
  quality: 80,
  chromaSubsampling: '4:2:0',
  progressive: true,
  optimiseCoding: true,
  mozjpeg: false,
} as const satisfies sharp.JpegOptions;

/** JPEG has no alpha: transparent pixels are flattened onto white, as browsers show them. */
const JPEG_BACKGROUND = '#ffffff';

/** Largest long edge accepted in `longEdges`: WebP's limit is 16383 pixels a side. */
const MAX_LONG_EDGE = 16_383;

/** One encoded thumbnail. */
export interface Thumbnail {
  /**
   * The size slot it fills, one of the requested long edges. Equal to `max(width, height)`,
   * except for an original smaller than every slot, which fills the smallest slot at its own
   * size (see {@link generateThumbnails}).
   */
  readonly longEdge: number;
  readonly format: ThumbnailFormat;
  /** `image/webp` or `image/jpeg`. */
  readonly contentType: string;
  /** Actual dimensions of the encoded image, as displayed (orientation applied). */
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
}

/** Options of {@link generateThumbnails}. */
export interface ThumbnailOptions {
  /** Refuse images with more pixels than this (default {@link DEFAULT_MAX_PIXELS}). */
  readonly maxPixels?: number;
  /** Long edges to produce (default {@link THUMBNAIL_LONG_EDGES}); order and duplicates do not matter. */
  readonly longEdges?: readonly number[];
}

/**
 * Makes the thumbnails of an image: for each long edge, a WebP and a JPEG
 * ({@link WEBP_OPTIONS}, {@link JPEG_OPTIONS}), sorted by long edge then WebP before JPEG.
 *
 * - **Orientation** from EXIF is applied: a portrait photo stored sideways comes out portrait.
 * - **No metadata** is carried over: no EXIF (so no GPS, camera or capture time), no XMP, no
 *   IPTC, no ICC profile. Colours are converted to sRGB first, so images with a wide-gamut
 *   profile (Display P3 from phones) still look right without it. The encoders only ever see
 *   raw pixels, so nothing else can leak either.
 * - **Never upscaled**: a long edge larger than the original's is not produced. An original
 *   smaller than every long edge gives one size only: the smallest slot (256 by default) at the
 *   original's own dimensions, in both formats, so every image has at least one thumbnail.
 *   An original of exactly a slot's size fills that slot without resampling.
 * - **Decoded once**: the original is decoded a single time, straight to the largest size
 *   needed (libvips' shrink-on-load makes that cheap for big JPEGs), and smaller sizes are
 *   resampled from those pixels (sharp's `clone()` would not do that: each clone's pipeline
 *   decodes the input again). Memory is the decoder's plus one raw buffer of the largest size
 *   (at most 2048 × 2048 RGBA, 16 MiB, with the default sizes), whatever the original's size.
 * - **Deterministic**: the same input and library versions give byte-identical outputs.
 * - Multi-page inputs (animated WebP) give thumbnails of their first page.
 *
 * @throws MediaInputError `DECOMPRESSION_BOMB` when the header declares more than `maxPixels`
 * pixels, before anything is decoded; `CORRUPT_IMAGE` for truncated or damaged data;
 * `UNSUPPORTED_IMAGE` for other formats and for codecs this build cannot decode (HEIC's HEVC:
 * sharp's prebuilt libvips has no HEVC decoder).
 * @throws RangeError when `maxPixels` or `longEdges` is not usable (a bug in the caller).
 *
 * @example
 * const thumbnails = await generateThumbnails(original);
 * // 4000x3000 JPEG → 256x192, 1024x768 and 2048x1536, each as WebP and JPEG
 * for (const t of thumbnails) await put(thumbnailKey(mediaId, t), t.data, t.contentType);
 */
export async function generateThumbnails(
  input: Uint8Array,
  options: ThumbnailOptions = {},
): Promise<Thumbnail[]> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const longEdges = normaliseLongEdges(options.longEdges ?? THUMBNAIL_LONG_EDGES);
  const header = await readImageHeader(input, maxPixels);
  const slots = planSlots(longEdges, Math.max(header.displayWidth, header.displayHeight));

  const largest = await decode(input, maxPixels, slots[slots.length - 1].target);
  const thumbnails: Thumbnail[] = [];
  for (const slot of slots) {
    const pixels =
      slot.target === longEdgeOf(largest) ? largest : await shrink(largest, slot.target);
    thumbnails.push(
      await encodeWebp(pixels, slot.longEdge),
      await encodeJpeg(pixels, slot.longEdge),
    );
  }
  return thumbnails;
}

/** A slot to fill (`longEdge`) and the long edge its images get (`target`). */
interface Slot {
  readonly longEdge: number;
  readonly target: number;
}

/** Slots for an original whose displayed long edge is `original`, smallest first. */
export function planSlots(longEdges: readonly number[], original: number): Slot[] {
  const fitting = longEdges.filter((edge) => edge <= original);
  if (fitting.length === 0) return [{ longEdge: longEdges[0], target: original }];
  return fitting.map((edge) => ({ longEdge: edge, target: edge }));
}

function normaliseLongEdges(longEdges: readonly number[]): number[] {
  const bad = longEdges.find((e) => !Number.isInteger(e) || e < 1 || e > MAX_LONG_EDGE);
  if (longEdges.length === 0 || bad !== undefined) {
    throw new RangeError(
      `longEdges must be a non-empty list of whole numbers of pixels from 1 to ${MAX_LONG_EDGE}, got [${longEdges.join(', ')}].`,
    );
  }
  return [...new Set(longEdges)].sort((a, b) => a - b);
}

/** Raw 8-bit sRGB pixels (3 channels, or 4 with alpha). */
interface Pixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

function longEdgeOf(pixels: Pixels): number {
  return Math.max(pixels.width, pixels.height);
}

/** The only pass over the original: orient, shrink to `longEdge`, convert to sRGB, unpack. */
async function decode(input: Uint8Array, maxPixels: number, longEdge: number): Promise<Pixels> {
  try {
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: FAIL_ON })
      .autoOrient() // what `.rotate()` without an angle did before sharp 0.34
      .resize({ width: longEdge, height: longEdge, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: rgbChannels(info.channels) };
  } catch (error) {
    throw toMediaInputError(error);
  }
}

/** Resamples already decoded pixels to a smaller long edge. */
async function shrink(pixels: Pixels, longEdge: number): Promise<Pixels> {
  const { data, info } = await fromPixels(pixels)
    .resize({ width: longEdge, height: longEdge, fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: rgbChannels(info.channels) };
}

async function encodeWebp(pixels: Pixels, longEdge: number): Promise<Thumbnail> {
  const data = await fromPixels(pixels).webp(WEBP_OPTIONS).toBuffer();
  return thumbnail(pixels, longEdge, 'webp', data);
}

async function encodeJpeg(pixels: Pixels, longEdge: number): Promise<Thumbnail> {
  const image = fromPixels(pixels);
  if (pixels.channels === 4) image.flatten({ background: JPEG_BACKGROUND });
  const data = await image.jpeg(JPEG_OPTIONS).toBuffer();
  return thumbnail(pixels, longEdge, 'jpeg', data);
}

function fromPixels({ data, width, height, channels }: Pixels): sharp.Sharp {
  return sharp(data, { raw: { width, height, channels } });
}

function thumbnail(
  pixels: Pixels,
  longEdge: number,
  format: ThumbnailFormat,
  data: Buffer,
): Thumbnail {
  return {
    longEdge,
    format,
    contentType: `image/${format}`,
    width: pixels.width,
    height: pixels.height,
    data,
  };
}

function rgbChannels(channels: number): 3 | 4 {
  // toColourspace('srgb') gives 3 bands, or 4 when the input has alpha (grey + alpha included).
  if (channels !== 3 && channels !== 4)
    throw new Error(`expected 3 or 4 sRGB bands, got ${channels}`);
  return channels;
}
