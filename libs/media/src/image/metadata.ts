import { type ImageMetadata, ImageMetadataSchema } from '@slipway/events';
import { captureTimeOf, gpsOf, readExifBlocks, readXmpBlocks, textOf } from './exif';
import { DEFAULT_MAX_PIXELS, type ImageHeader, readImageHeader } from './input';

/** Options of {@link extractImageMetadata}. */
export interface ImageMetadataOptions {
  /**
   * Refuse images with more pixels than this (default {@link DEFAULT_MAX_PIXELS}), as
   * {@link generateThumbnails} does, so both branches of the flow agree on what is a bomb.
   */
  readonly maxPixels?: number;
  /**
   * Hears why a metadata value present in the file was not used (e.g. a `DateTimeOriginal` of
   * February 30th). The Metadata Lambda logs it as a warning.
   */
  readonly onIgnored?: (reason: string) => void;
}

/**
 * Describes an image from its header and EXIF, without decoding its pixels.
 *
 * - `format`: `jpeg`, `png`, `webp`, `avif` or `heic` (HEIF with AV1 or HEVC), else `heif`.
 * - `width`, `height`: **as displayed**, EXIF orientation applied (a portrait photo stored
 *   sideways with orientation 6 is reported portrait), the same as the thumbnails' proportions.
 * - `orientation`: the EXIF orientation tag (1-8) when present.
 * - `captureTime`: EXIF DateTimeOriginal, else EXIF CreateDate (DateTimeDigitized), else XMP's
 *   capture dates, else IFD0 DateTime (the file's change date), exactly as recorded and with
 *   `source` saying which (`exif`, `xmp`, `file-modified`); only real calendar dates count. With
 *   an offset (the matching EXIF offset tag, OffsetTime, or an XMP date of the same wall-clock
 *   time) it is appended and `local` is `false`, otherwise `local` is `true`. Never converted
 *   through a `Date`: the result does not depend on the machine's time zone (see
 *   {@link captureTimeOf} and libs/media/README.md, "Image metadata").
 * - `gps`: signed decimal degrees (S and W negative), latitude/longitude rounded to 6 decimal
 *   places (about 11 cm), altitude in metres, negative below sea level, rounded to 0.1 m.
 * - `make`, `model`, `lens`: EXIF Make, Model and LensModel, trimmed.
 *
 * Fields the file does not have (or has blank or invalid) are left out. An unreadable EXIF block
 * leaves out every EXIF field rather than failing: the image itself is still fine. Pixel data
 * is not checked here; {@link generateThumbnails} decodes it.
 *
 * @throws MediaInputError `DECOMPRESSION_BOMB`, `CORRUPT_IMAGE` (unreadable header) or
 * `UNSUPPORTED_IMAGE`, exactly as {@link generateThumbnails} does for the same header.
 *
 * @example
 * await extractImageMetadata(photo);
 * // { format: 'jpeg', width: 4000, height: 3000, orientation: 1,
 * //   captureTime: { value: '2024-05-01T14:03:22+02:00', offset: '+02:00', local: false, source: 'exif' },
 * //   gps: { latitude: 48.8583, longitude: 2.2945, altitude: 35 },
 * //   make: 'Slipway', model: 'Test Camera', lens: 'Slipway 35mm f/1.8' }
 */
export async function extractImageMetadata(
  input: Uint8Array,
  options: ImageMetadataOptions = {},
): Promise<ImageMetadata> {
  const header = await readImageHeader(input, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  const exif = (await readExifBlocks(header.exif)) ?? {};
  const xmp = (await readXmpBlocks(header.xmp)) ?? {};
  const orientation = header.orientation;
  return ImageMetadataSchema.parse(
    withoutUndefined({
      format: formatName(header),
      width: header.displayWidth,
      height: header.displayHeight,
      orientation:
        orientation !== undefined &&
        Number.isInteger(orientation) &&
        orientation >= 1 &&
        orientation <= 8
          ? orientation
          : undefined,
      captureTime: captureTimeOf(exif, xmp, options.onIgnored),
      gps: gpsOf(exif),
      make: textOf(exif.ifd0?.Make),
      model: textOf(exif.ifd0?.Model),
      lens: textOf(exif.exif?.LensModel),
    }),
  );
}

/** Leaves absent fields out of the object instead of present with `undefined`. */
function withoutUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** libvips calls HEIC and AVIF both `heif`; the compression tells them apart. */
function formatName({ format, compression }: ImageHeader): string {
  if (format !== 'heif') return format;
  if (compression === 'av1') return 'avif';
  if (compression === 'hevc') return 'heic';
  return 'heif';
}
