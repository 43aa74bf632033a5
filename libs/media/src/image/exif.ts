import type { ImageMetadata } from '@slipway/events';
import { parse as parseExif } from 'exifr';

/** When a photo was taken, as in {@link ImageMetadata}. */
export type CaptureTime = NonNullable<ImageMetadata['captureTime']>;
/** Where a photo was taken, as in {@link ImageMetadata}. */
export type GpsPosition = NonNullable<ImageMetadata['gps']>;

/**
 * EXIF tags by block, as exifr returns them with `mergeOutput: false`, tag names translated and
 * values neither translated nor revived: dates stay the strings the camera wrote.
 */
export interface ExifBlocks {
  readonly ifd0?: Readonly<Record<string, unknown>>;
  readonly exif?: Readonly<Record<string, unknown>>;
  readonly gps?: Readonly<Record<string, unknown>>;
}

/**
 * exifr options. `reviveValues: false` is the point: revived, a date becomes a JS `Date` built
 * in the time zone of the machine that reads it, so the same file would give different
 * instants on different machines. Raw, it stays the camera's wall-clock string.
 * https://github.com/MikeKovarik/exifr#reviveValues
 */
const EXIFR_OPTIONS = {
  tiff: true, // IFD0 is always read ("cannot be disabled" in exifr's typings)
  exif: true,
  gps: true,
  ifd1: false, // the embedded preview's IFD
  interop: false,
  makerNote: false,
  userComment: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  sanitize: true,
  mergeOutput: false,
  // silentErrors stays at its default, true: a damaged tag is skipped rather than thrown.
} satisfies Parameters<typeof parseExif>[1];

/**
 * Parses an EXIF block as libvips hands it over (`Exif\0\0` then a TIFF structure, or the TIFF
 * structure alone). Reading the block libvips already extracted, instead of the whole file,
 * gives the same result for every container libvips reads (JPEG APP1, PNG eXIf, WebP EXIF,
 * HEIF Exif item). Returns `undefined` when there is no block or it is unreadable: EXIF is
 * optional information, and a damaged block must not make a displayable image unusable.
 */
export async function readExifBlocks(
  exif: Uint8Array | undefined,
): Promise<ExifBlocks | undefined> {
  const tiff = exif === undefined ? undefined : tiffStructure(exif);
  if (tiff === undefined) return undefined;
  try {
    const blocks: unknown = await parseExif(tiff, EXIFR_OPTIONS);
    return isRecord(blocks) ? (blocks as ExifBlocks) : undefined;
  } catch {
    return undefined;
  }
}

function tiffStructure(exif: Uint8Array): Uint8Array | undefined {
  const header = Buffer.from(exif.buffer, exif.byteOffset, exif.byteLength);
  const start = header.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0;
  const order = header.subarray(start, start + 4).toString('latin1');
  return order === 'II*\0' || order === 'MM\0*' ? exif.subarray(start) : undefined;
}

/**
 * Which date tag to read, first found wins, each with its sub-second and offset tags (EXIF 2.32,
 * section 4.6.5). A missing offset tag falls back to `OffsetTime` (the offset of `DateTime`),
 * which cameras that write only one offset use for all three.
 */
const DATE_TAGS = [
  {
    block: 'exif',
    date: 'DateTimeOriginal',
    subSec: 'SubSecTimeOriginal',
    offset: 'OffsetTimeOriginal',
  },
  {
    block: 'exif',
    date: 'CreateDate',
    subSec: 'SubSecTimeDigitized',
    offset: 'OffsetTimeDigitized',
  },
  // exifr's name for IFD0 DateTime (0x0132).
  { block: 'ifd0', date: 'ModifyDate', subSec: 'SubSecTime', offset: 'OffsetTime' },
] as const;

/**
 * The capture time as recorded: `YYYY:MM:DD HH:MM:SS` becomes ISO-8601 `YYYY-MM-DDTHH:MM:SS`
 * (plus `.fff` from the sub-second tag), never through a `Date`, so the machine's time zone
 * plays no part. With an offset tag the offset is appended and `local` is `false`; without,
 * the value is the camera's wall-clock time in an unknown zone and `local` is `true`.
 * Blank or placeholder dates (`0000:00:00 00:00:00`, spaces) count as absent.
 *
 * @example
 * captureTimeOf({ exif: { DateTimeOriginal: '2024:05:01 14:03:22', OffsetTimeOriginal: '+02:00' } });
 * // { value: '2024-05-01T14:03:22+02:00', offset: '+02:00', local: false }
 */
export function captureTimeOf(blocks: ExifBlocks): CaptureTime | undefined {
  for (const tags of DATE_TAGS) {
    const block = blocks[tags.block];
    const date = wallClock(block?.[tags.date]);
    if (date === undefined) continue;
    const subSec = textOf(blocks.exif?.[tags.subSec]);
    const fraction = subSec !== undefined && /^\d{1,9}$/.test(subSec) ? `.${subSec}` : '';
    const offset = utcOffset(blocks.exif?.[tags.offset]) ?? utcOffset(blocks.exif?.OffsetTime);
    return offset === undefined
      ? { value: `${date}${fraction}`, local: true }
      : { value: `${date}${fraction}${offset}`, offset, local: false };
  }
  return undefined;
}

const EXIF_DATE = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

function wallClock(value: unknown): string | undefined {
  const match = EXIF_DATE.exec(textOf(value) ?? '');
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const valid =
    Number(year) > 0 &&
    between(month, 1, 12) &&
    between(day, 1, 31) &&
    between(hour, 0, 23) &&
    between(minute, 0, 59) &&
    between(second, 0, 60); // 60: a leap second is a legal EXIF value
  return valid ? `${year}-${month}-${day}T${hour}:${minute}:${second}` : undefined;
}

/** `+HH:MM` / `-HH:MM` within the real range of UTC offsets (-12:00 to +14:00). */
function utcOffset(value: unknown): string | undefined {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(textOf(value) ?? '');
  if (match === null) return undefined;
  const [, sign, hours, minutes] = match;
  const ok = between(minutes, 0, 59) && between(hours, 0, sign === '+' ? 14 : 12);
  return ok ? `${sign}${hours}:${minutes}` : undefined;
}

/** Decimal places kept in latitude and longitude: 6 ≈ 11 cm, finer than any phone's GPS fix. */
export const GPS_DECIMALS = 6;
/** Decimal places kept in altitude: 1 (10 cm); GPS altitude is rarely better than a few metres. */
export const ALTITUDE_DECIMALS = 1;

/**
 * The GPS position as signed decimal degrees: south and west are negative, altitude is negative
 * below sea level (GPSAltitudeRef 1). Rounded to {@link GPS_DECIMALS} and
 * {@link ALTITUDE_DECIMALS} places. `undefined` without a usable latitude and longitude.
 *
 * @example
 * gpsOf({ gps: { GPSLatitudeRef: 'S', GPSLatitude: [49, 34, 0], GPSLongitudeRef: 'W',
 *   GPSLongitude: [68, 21, 0], GPSAltitudeRef: Uint8Array.of(1), GPSAltitude: 105 } });
 * // { latitude: -49.566667, longitude: -68.35, altitude: -105 }
 */
export function gpsOf(blocks: ExifBlocks): GpsPosition | undefined {
  const gps = blocks.gps;
  if (gps === undefined) return undefined;
  const latitude = coordinate(gps.GPSLatitude, gps.GPSLatitudeRef, 'N', 'S', 90);
  const longitude = coordinate(gps.GPSLongitude, gps.GPSLongitudeRef, 'E', 'W', 180);
  if (latitude === undefined || longitude === undefined) return undefined;
  const altitude = altitudeOf(gps.GPSAltitude, gps.GPSAltitudeRef);
  return altitude === undefined ? { latitude, longitude } : { latitude, longitude, altitude };
}

function coordinate(
  value: unknown,
  ref: unknown,
  positive: string,
  negative: string,
  limit: number,
): number | undefined {
  const parts = typeof value === 'number' ? [value] : numbers(value);
  if (parts === undefined || parts.length < 1 || parts.length > 3) return undefined;
  const [degrees, minutes = 0, seconds = 0] = parts;
  let decimal = Math.abs(degrees) + minutes / 60 + seconds / 3600;
  const hemisphere = textOf(ref)?.toUpperCase();
  if (hemisphere === negative) decimal = -decimal;
  else if (hemisphere !== positive && degrees < 0) decimal = -decimal; // no ref: trust the sign
  const rounded = round(decimal, GPS_DECIMALS);
  return Number.isFinite(rounded) && Math.abs(rounded) <= limit ? rounded : undefined;
}

function altitudeOf(value: unknown, ref: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  // GPSAltitudeRef is a BYTE: exifr gives it as a one-byte array when values are not revived.
  const belowSeaLevel = (typeof ref === 'number' ? ref : numbers(ref)?.[0]) === 1;
  return round(belowSeaLevel ? -Math.abs(value) : value, ALTITUDE_DECIMALS);
}

/**
 * A trimmed ASCII tag value, or `undefined` when empty. EXIF ASCII ends at its first NUL
 * (whatever follows is padding), which exifr keeps when the padding does not end in NUL.
 */
export function textOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.split('\u0000')[0].trim();
  return text === '' ? undefined : text;
}

function numbers(value: unknown): number[] | undefined {
  if (!(Array.isArray(value) || value instanceof Uint8Array)) return undefined;
  const list = Array.from(value as ArrayLike<unknown>);
  return list.every((n): n is number => typeof n === 'number' && Number.isFinite(n))
    ? list
    : undefined;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor + 0; // + 0 turns -0 into 0
}

function between(digits: string, min: number, max: number): boolean {
  const n = Number(digits);
  return n >= min && n <= max;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
