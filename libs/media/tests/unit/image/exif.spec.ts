import { captureTimeOf, type ExifBlocks, gpsOf, textOf } from '../../../src/image/exif';

// The raw shapes exifr gives with reviveValues: false (see readExifBlocks): dates as strings,
// DMS as number arrays, GPSAltitudeRef as a one-byte array.
const PARIS: ExifBlocks = {
  gps: {
    GPSLatitudeRef: 'N',
    GPSLatitude: [48, 51, 29.88],
    GPSLongitudeRef: 'E',
    GPSLongitude: [2, 17, 40.2],
    GPSAltitudeRef: Uint8Array.of(0),
    GPSAltitude: 35,
  },
};

/** PARIS with some GPS tags replaced (`undefined` removes the tag). */
function paris(gps: Record<string, unknown>): ExifBlocks {
  const merged: Record<string, unknown> = { ...PARIS.gps, ...gps };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return { gps: merged };
}

describe('captureTimeOf', () => {
  it.each<[string, ExifBlocks, ReturnType<typeof captureTimeOf>]>([
    [
      'a date and its offset',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22', OffsetTimeOriginal: '+02:00' } },
      { value: '2024-05-01T14:03:22+02:00', offset: '+02:00', local: false },
    ],
    [
      'a date without offset as local',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22' } },
      { value: '2024-05-01T14:03:22', local: true },
    ],
    [
      'a date padded with NULs and spaces',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22\u0000\u0000 ' } },
      { value: '2024-05-01T14:03:22', local: true },
    ],
    [
      'a date written with dashes',
      { exif: { DateTimeOriginal: '2024-05-01 14:03:22' } },
      { value: '2024-05-01T14:03:22', local: true },
    ],
    [
      'a leap second',
      { exif: { DateTimeOriginal: '2016:12:31 23:59:60', OffsetTimeOriginal: '+00:00' } },
      { value: '2016-12-31T23:59:60+00:00', offset: '+00:00', local: false },
    ],
    [
      'the next tag when DateTimeOriginal is a placeholder',
      { exif: { DateTimeOriginal: '0000:00:00 00:00:00', CreateDate: '2020:02:29 12:00:00' } },
      { value: '2020-02-29T12:00:00', local: true },
    ],
    [
      'the next tag when DateTimeOriginal is blank',
      {
        exif: { DateTimeOriginal: '    :  :     :  :  ' },
        ifd0: { ModifyDate: '2020:03:01 08:00:00' },
      },
      { value: '2020-03-01T08:00:00', local: true },
    ],
    [
      'no offset when the offset tag is malformed',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22', OffsetTimeOriginal: '+2:00' } },
      { value: '2024-05-01T14:03:22', local: true },
    ],
    [
      'no offset when the offset is out of range (+15:00)',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22', OffsetTimeOriginal: '+15:00' } },
      { value: '2024-05-01T14:03:22', local: true },
    ],
    [
      'no fraction when SubSecTimeOriginal is not digits',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22', SubSecTimeOriginal: 'ab' } },
      { value: '2024-05-01T14:03:22', local: true },
    ],
    ['nothing for a month 13', { exif: { DateTimeOriginal: '2024:13:01 14:03:22' } }, undefined],
    ['nothing for a revived Date', { exif: { DateTimeOriginal: new Date(0) } }, undefined],
    ['nothing without a date tag', { exif: { OffsetTimeOriginal: '+02:00' } }, undefined],
    ['nothing without EXIF', {}, undefined],
  ])('reads %s', (_case, blocks, expected) => {
    // Act + Assess
    expect(captureTimeOf(blocks)).toStrictEqual(expected);
  });
});

describe('gpsOf', () => {
  it.each<[string, ExifBlocks, ReturnType<typeof gpsOf>]>([
    ['N/E above sea level', PARIS, { latitude: 48.8583, longitude: 2.2945, altitude: 35 }],
    [
      'S/W below sea level, rounded to 6 places',
      paris({
        GPSLatitudeRef: 'S',
        GPSLatitude: [49, 34, 0],
        GPSLongitudeRef: 'W',
        GPSLongitude: [68, 21, 0],
        GPSAltitudeRef: Uint8Array.of(1),
        GPSAltitude: 105,
      }),
      { latitude: -49.566667, longitude: -68.35, altitude: -105 },
    ],
    [
      'a numeric altitude ref (revived values) and a rounded altitude',
      paris({ GPSAltitudeRef: 1, GPSAltitude: 12.345 }),
      { latitude: 48.8583, longitude: 2.2945, altitude: -12.3 },
    ],
    [
      'lowercase refs',
      paris({ GPSLatitudeRef: 's', GPSLongitudeRef: 'w' }),
      { latitude: -48.8583, longitude: -2.2945, altitude: 35 },
    ],
    [
      'decimal degrees in one component',
      paris({ GPSLatitude: [48.8583], GPSLongitude: 2.2945 }),
      { latitude: 48.8583, longitude: 2.2945, altitude: 35 },
    ],
    [
      'the sign of the degrees when there is no ref',
      paris({ GPSLatitudeRef: undefined, GPSLatitude: [-33, 51, 24.48] }),
      { latitude: -33.8568, longitude: 2.2945, altitude: 35 },
    ],
    [
      'no altitude when GPSAltitude is absent',
      paris({ GPSAltitude: undefined }),
      { latitude: 48.8583, longitude: 2.2945 },
    ],
    ['nothing without a longitude', paris({ GPSLongitude: undefined }), undefined],
    ['nothing for a latitude over 90°', paris({ GPSLatitude: [91, 0, 0] }), undefined],
    [
      'nothing for a NaN component (0/0 rational)',
      paris({ GPSLatitude: [48, Number.NaN, 0] }),
      undefined,
    ],
    ['nothing without a GPS block', {}, undefined],
  ])('reads %s', (_case, blocks, expected) => {
    // Act + Assess
    expect(gpsOf(blocks)).toStrictEqual(expected);
  });
});

describe('textOf', () => {
  it.each([
    ['Canon\u0000\u0000', 'Canon'],
    ['  NIKON CORPORATION  ', 'NIKON CORPORATION'],
    ['   ', undefined],
    [42, undefined],
    [undefined, undefined],
  ])('reads %p as %p', (value, expected) => {
    // Act + Assess
    expect(textOf(value)).toBe(expected);
  });
});
