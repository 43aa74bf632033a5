import type { ImageMetadata } from '@slipway/events';
import { parse as parseExif, sidecar as parseSidecar } from 'exifr';

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
 * XMP properties by namespace prefix, as exifr's XMP parser returns them: `xmp` (XMP Basic),
 * `exif` (the EXIF schema in XMP), `photoshop`. Values stay the strings the file holds.
 */
export interface XmpBlocks {
  readonly xmp?: Readonly<Record<string, unknown>>;
  readonly exif?: Readonly<Record<string, unknown>>;
  readonly photoshop?: Readonly<Record<string, unknown>>;
}

/**
 * Parses an XMP packet as libvips hands it over (the XML of JPEG's XMP APP1, PNG's iTXt
 * `XML:com.adobe.xmp`, WebP's XMP chunk, HEIF's XMP item) with exifr's XMP parser. Returns
 * `undefined` when there is none or it is unreadable, like {@link readExifBlocks}.
 */
export async function readXmpBlocks(xmp: Uint8Array | undefined): Promise<XmpBlocks | undefined> {
  if (xmp === undefined || xmp.byteLength === 0) return undefined;
  try {
    const blocks: unknown = await parseSidecar(
      Buffer.from(xmp.buffer, xmp.byteOffset, xmp.byteLength),
      { xmp: true, reviveValues: false, translateValues: false, mergeOutput: false },
      'xmp',
    );
    return isRecord(blocks) ? (blocks as XmpBlocks) : undefined;
  } catch {
    return undefined;
  }
}

/** Where {@link CaptureTime.value} came from: a capture date (EXIF, then XMP) or, failing both, the file's change date. */
export type CaptureSource = CaptureTime['source'];

/**
 * The EXIF date tags, in order, each with its sub-second and offset tags (EXIF 2.32, section
 * 4.6.5). A missing offset tag falls back to `OffsetTime` (the offset of `DateTime`), which
 * cameras that write only one offset use for all three. IFD0 `DateTime` (exifr's `ModifyDate`)
 * is when the file was last changed, so it comes after XMP's capture dates.
 */
const EXIF_CAPTURE_TAGS = [
  {
    label: 'EXIF DateTimeOriginal',
    date: 'DateTimeOriginal',
    subSec: 'SubSecTimeOriginal',
    offset: 'OffsetTimeOriginal',
  },
  {
    label: 'EXIF CreateDate (DateTimeDigitized)',
    date: 'CreateDate',
    subSec: 'SubSecTimeDigitized',
    offset: 'OffsetTimeDigitized',
  },
] as const;

/** XMP capture dates, in order: the EXIF schema's original date, XMP Basic's, Photoshop's. */
const XMP_CAPTURE_TAGS = [
  { block: 'exif', name: 'DateTimeOriginal' },
  { block: 'xmp', name: 'CreateDate' },
  { block: 'photoshop', name: 'DateCreated' },
] as const;

/** A date as read from one tag: wall clock (`YYYY-MM-DDTHH:MM:SS`), optional fraction and offset. */
interface TagDate {
  wallClock: string;
  fraction: string;
  offset?: string;
}

/**
 * The capture time, first usable one wins: EXIF `DateTimeOriginal`, EXIF `CreateDate`
 * (DateTimeDigitized), then XMP's `exif:DateTimeOriginal`, `xmp:CreateDate` and
 * `photoshop:DateCreated`, and only then IFD0 `DateTime`, the file's change date. `source` says
 * which: `exif`, `xmp` or `file-modified`. Each becomes ISO-8601 `YYYY-MM-DDTHH:MM:SS` (plus
 * `.fff` from the sub-second tag or the XMP value) without going through a `Date`, so the
 * machine's time zone plays no part. With an offset the offset is appended and `local` is
 * `false`; an EXIF date without an offset tag takes the offset of an XMP capture date with the
 * same wall-clock time, when there is one; otherwise it is the camera's wall-clock time in an
 * unknown zone and `local` is `true`.
 *
 * A date must be a real calendar date (month lengths, leap years; hours 00-23, seconds up to 60
 * for a leap second): anything else is skipped, and `onIgnored` hears why. Blank or placeholder
 * dates (`0000:00:00 00:00:00`, spaces) count as absent and are skipped silently.
 *
 * @example
 * captureTimeOf({ exif: { DateTimeOriginal: '2024:05:01 14:03:22', OffsetTimeOriginal: '+02:00' } });
 * // { value: '2024-05-01T14:03:22+02:00', offset: '+02:00', local: false, source: 'exif' }
 */
export function captureTimeOf(
  blocks: ExifBlocks,
  xmp: XmpBlocks = {},
  onIgnored: (reason: string) => void = () => undefined,
): CaptureTime | undefined {
  const xmpDates: TagDate[] = [];
  for (const tag of XMP_CAPTURE_TAGS) {
    const date = xmpDate(xmp[tag.block]?.[tag.name], `XMP ${tag.block}:${tag.name}`, onIgnored);
    if (date !== undefined) xmpDates.push(date);
  }
  for (const tags of EXIF_CAPTURE_TAGS) {
    const date = exifDate(tags.label, blocks.exif?.[tags.date], tags, blocks, onIgnored);
    if (date === undefined) continue;
    const offset =
      date.offset ?? xmpDates.find((x) => x.offset && x.wallClock === date.wallClock)?.offset;
    return captureTime({ ...date, ...(offset ? { offset } : {}) }, 'exif');
  }
  if (xmpDates.length > 0) return captureTime(xmpDates[0], 'xmp');
  const modified = exifDate(
    'EXIF DateTime (IFD0)',
    blocks.ifd0?.ModifyDate,
    { subSec: 'SubSecTime', offset: 'OffsetTime' },
    blocks,
    onIgnored,
  );
  return modified === undefined ? undefined : captureTime(modified, 'file-modified');
}

function captureTime(date: TagDate, source: CaptureSource): CaptureTime {
  const value = `${date.wallClock}${date.fraction}`;
  return date.offset === undefined
    ? { value, local: true, source }
    : { value: `${value}${date.offset}`, offset: date.offset, local: false, source };
}

const EXIF_DATE = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;
/** XMP dates (ISO 8601 as the XMP spec profiles it): a time of day is needed, seconds are not. */
const XMP_DATE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/** The EXIF date of one tag, with its sub-second and offset tags; `undefined` when absent or not a real date. */
function exifDate(
  name: string,
  value: unknown,
  tags: { readonly subSec: string; readonly offset: string },
  blocks: ExifBlocks,
  onIgnored: (reason: string) => void,
): TagDate | undefined {
  const text = textOf(value);
  // Absent, blank, or the all-zero placeholder some cameras write when the clock was never set.
  if (text === undefined || /^[0: -]*$/.test(text)) return undefined;
  const match = EXIF_DATE.exec(text);
  if (match === null) {
    onIgnored(`${name} "${text}" is not an EXIF date (YYYY:MM:DD HH:MM:SS): ignored.`);
    return undefined;
  }
  const [, year, month, day, hour, minute, second] = match;
  const problem = calendarProblem(year, month, day, hour, minute, second);
  if (problem !== undefined) {
    onIgnored(`${name} "${text}" is not a real date (${problem}): ignored.`);
    return undefined;
  }
  const subSec = textOf(blocks.exif?.[tags.subSec]);
  const offset = utcOffset(blocks.exif?.[tags.offset]) ?? utcOffset(blocks.exif?.OffsetTime);
  return {
    wallClock: `${year}-${month}-${day}T${hour}:${minute}:${second}`,
    fraction: subSec !== undefined && /^\d{1,9}$/.test(subSec) ? `.${subSec}` : '',
    ...(offset === undefined ? {} : { offset }),
  };
}

function xmpDate(
  value: unknown,
  name: string,
  onIgnored: (reason: string) => void,
): TagDate | undefined {
  const text = textOf(value);
  if (text === undefined) return undefined;
  const match = XMP_DATE.exec(text);
  if (match === null) {
    onIgnored(
      `${name} "${text}" is not an XMP date with a time of day (YYYY-MM-DDThh:mm[:ss][±hh:mm]): ignored.`,
    );
    return undefined;
  }
  const [, year, month, day, hour, minute, second = '00', fraction, zone] = match;
  const problem = calendarProblem(year, month, day, hour, minute, second);
  const offset = zone === 'Z' ? 'Z' : utcOffset(zone);
  if (problem !== undefined || (zone !== undefined && offset === undefined)) {
    onIgnored(`${name} "${text}" is not a real date (${problem ?? `offset ${zone}`}): ignored.`);
    return undefined;
  }
  return {
    wallClock: `${year}-${month}-${day}T${hour}:${minute}:${second}`,
    fraction: fraction === undefined ? '' : `.${fraction}`,
    ...(offset === undefined ? {} : { offset }),
  };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** What makes the fields not a calendar date and time, or `undefined` when they are one. */
function calendarProblem(
  year: string,
  month: string,
  day: string,
  hour: string,
  minute: string,
  second: string,
): string | undefined {
  const y = Number(year);
  const m = Number(month);
  if (y < 1) return 'year 0000';
  if (m < 1 || m > 12) return `month ${month}`;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  if (Number(day) < 1 || Number(day) > days) return `${MONTHS[m - 1]} ${year} has ${days} days`;
  if (!between(hour, 0, 23)) return `hour ${hour}`;
  if (!between(minute, 0, 59)) return `minute ${minute}`;
  // 60: a leap second is a legal EXIF value.
  if (!between(second, 0, 60)) return `second ${second}`;
  return undefined;
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
