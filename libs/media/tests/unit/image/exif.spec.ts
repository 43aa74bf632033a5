import {
  captureTimeOf,
  type ExifBlocks,
  gpsOf,
  textOf,
  type XmpBlocks,
} from '../../../src/image/exif';

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
      { value: '2024-05-01T14:03:22+02:00', offset: '+02:00', local: false, source: 'exif' },
    ],
    [
      'a date without offset as local',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22' } },
      { value: '2024-05-01T14:03:22', local: true, source: 'exif' },
    ],
    [
      'a date padded with NULs and spaces',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22\u0000\u0000 ' } },
      { value: '2024-05-01T14:03:22', local: true, source: 'exif' },
    ],
    [
      'a date written with dashes',
      { exif: { DateTimeOriginal: '2024-05-01 14:03:22' } },
      { value: '2024-05-01T14:03:22', local: true, source: 'exif' },
    ],
    [
      'a leap second',
      { exif: { DateTimeOriginal: '2016:12:31 23:59:60', OffsetTimeOriginal: '+00:00' } },
      { value: '2016-12-31T23:59:60+00:00', offset: '+00:00', local: false, source: 'exif' },
    ],
    [
      'the next tag when DateTimeOriginal is a placeholder',
      { exif: { DateTimeOriginal: '0000:00:00 00:00:00', CreateDate: '2020:02:29 12:00:00' } },
      { value: '2020-02-29T12:00:00', local: true, source: 'exif' },
    ],
    [
      'the next tag when DateTimeOriginal is blank',
      {
        exif: { DateTimeOriginal: '    :  :     :  :  ' },
        ifd0: { ModifyDate: '2020:03:01 08:00:00' },
      },
      { value: '2020-03-01T08:00:00', local: true, source: 'file-modified' },
    ],
    [
      'no offset when the offset tag is malformed',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22', OffsetTimeOriginal: '+2:00' } },
      { value: '2024-05-01T14:03:22', local: true, source: 'exif' },
    ],
    [
      'no offset when the offset is out of range (+15:00)',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22', OffsetTimeOriginal: '+15:00' } },
      { value: '2024-05-01T14:03:22', local: true, source: 'exif' },
    ],
    [
      'no fraction when SubSecTimeOriginal is not digits',
      { exif: { DateTimeOriginal: '2024:05:01 14:03:22', SubSecTimeOriginal: 'ab' } },
      { value: '2024-05-01T14:03:22', local: true, source: 'exif' },
    ],
    ['nothing for a revived Date', { exif: { DateTimeOriginal: new Date(0) } }, undefined],
    ['nothing without a date tag', { exif: { OffsetTimeOriginal: '+02:00' } }, undefined],
    ['nothing without EXIF', {}, undefined],
  ])('reads %s', (_case, blocks, expected) => {
    // Act + Assess
    expect(captureTimeOf(blocks)).toStrictEqual(expected);
  });

  it.each<[string, string, string]>([
    ['February 30th', '2008:02:30 09:52:01', 'February 2008 has 29 days'],
    [
      'February 29th of a year that is not a leap year',
      '2023:02:29 12:00:00',
      'February 2023 has 28 days',
    ],
    [
      'February 29th of 1900 (divisible by 100, not by 400)',
      '1900:02:29 12:00:00',
      'February 1900 has 28 days',
    ],
    ['April 31st', '2024:04:31 12:00:00', 'April 2024 has 30 days'],
    ['a month 13', '2024:13:01 14:03:22', 'month 13'],
    ['hour 24', '2024:05:01 24:00:00', 'hour 24'],
    ['minute 60', '2024:05:01 12:60:00', 'minute 60'],
    ['year 0000 with a real day', '0000:05:01 12:00:00', 'year 0000'],
  ])('refuses %s and says why', (_case, date, problem) => {
    // Prepare
    const reasons: string[] = [];

    // Act
    const time = captureTimeOf({ exif: { DateTimeOriginal: date } }, {}, (r) => reasons.push(r));

    // Assess
    expect(time).toBeUndefined();
    expect(reasons).toEqual([
      `EXIF DateTimeOriginal "${date}" is not a real date (${problem}): ignored.`,
    ]);
  });

  it('accepts February 29th of 2000 (divisible by 400)', () => {
    expect(captureTimeOf({ exif: { DateTimeOriginal: '2000:02:29 23:59:59' } })).toStrictEqual({
      value: '2000-02-29T23:59:59',
      local: true,
      source: 'exif',
    });
  });

  it('says why a date that is not in the EXIF format is ignored, and is silent on placeholders', () => {
    // Prepare
    const reasons: string[] = [];

    // Act
    const time = captureTimeOf(
      { exif: { DateTimeOriginal: 'yesterday', CreateDate: '0000:00:00 00:00:00' } },
      {},
      (r) => reasons.push(r),
    );

    // Assess
    expect(time).toBeUndefined();
    expect(reasons).toEqual([
      'EXIF DateTimeOriginal "yesterday" is not an EXIF date (YYYY:MM:DD HH:MM:SS): ignored.',
    ]);
  });

  it('falls back to the next EXIF date after an impossible one', () => {
    expect(
      captureTimeOf({
        exif: { DateTimeOriginal: '2008:02:30 09:52:01', CreateDate: '2008:03:01 09:52:01' },
      }),
    ).toStrictEqual({ value: '2008-03-01T09:52:01', local: true, source: 'exif' });
  });
});

describe('captureTimeOf with XMP', () => {
  const XMP_TOKYO: XmpBlocks = { xmp: { CreateDate: '2019-07-14T18:30:05+09:00' } };

  it.each<[string, ExifBlocks, XmpBlocks, ReturnType<typeof captureTimeOf>]>([
    [
      "XMP's capture date before the file's change date",
      { ifd0: { ModifyDate: '2023:01:01 10:00:00' } },
      XMP_TOKYO,
      { value: '2019-07-14T18:30:05+09:00', offset: '+09:00', local: false, source: 'xmp' },
    ],
    [
      'exif:DateTimeOriginal before xmp:CreateDate and photoshop:DateCreated',
      {},
      {
        exif: { DateTimeOriginal: '2019-07-14T18:30:05.25-03:00' },
        xmp: { CreateDate: '2019-07-15T00:00:00Z' },
        photoshop: { DateCreated: '2019-07-16T00:00:00' },
      },
      { value: '2019-07-14T18:30:05.25-03:00', offset: '-03:00', local: false, source: 'xmp' },
    ],
    [
      'photoshop:DateCreated without seconds or offset as local, seconds 00',
      {},
      { photoshop: { DateCreated: '2019-07-14T18:30' } },
      { value: '2019-07-14T18:30:00', local: true, source: 'xmp' },
    ],
    [
      'Z as the offset',
      {},
      { xmp: { CreateDate: '2019-07-14T09:30:05Z' } },
      { value: '2019-07-14T09:30:05Z', offset: 'Z', local: false, source: 'xmp' },
    ],
    [
      'the offset of an XMP date with the same wall-clock time for an EXIF date without one',
      { exif: { DateTimeOriginal: '2019:07:14 18:30:05' } },
      XMP_TOKYO,
      { value: '2019-07-14T18:30:05+09:00', offset: '+09:00', local: false, source: 'exif' },
    ],
    [
      'no offset from an XMP date of another time',
      { exif: { DateTimeOriginal: '2019:07:14 18:30:06' } },
      XMP_TOKYO,
      { value: '2019-07-14T18:30:06', local: true, source: 'exif' },
    ],
    [
      "the EXIF offset over XMP's",
      { exif: { DateTimeOriginal: '2019:07:14 18:30:05', OffsetTimeOriginal: '+02:00' } },
      XMP_TOKYO,
      { value: '2019-07-14T18:30:05+02:00', offset: '+02:00', local: false, source: 'exif' },
    ],
    [
      'the file change date when XMP has a date only',
      { ifd0: { ModifyDate: '2023:01:01 10:00:00' } },
      { photoshop: { DateCreated: '2019-07-14' } },
      { value: '2023-01-01T10:00:00', local: true, source: 'file-modified' },
    ],
  ])('uses %s', (_case, blocks, xmp, expected) => {
    expect(captureTimeOf(blocks, xmp)).toStrictEqual(expected);
  });

  it.each<[string, string, string]>([
    [
      'a date only',
      '2019-07-14',
      'is not an XMP date with a time of day (YYYY-MM-DDThh:mm[:ss][±hh:mm]): ignored.',
    ],
    [
      'February 30th',
      '2019-02-30T10:00:00',
      'is not a real date (February 2019 has 28 days): ignored.',
    ],
    [
      'an offset out of range',
      '2019-07-14T10:00:00+15:00',
      'is not a real date (offset +15:00): ignored.',
    ],
  ])('ignores %s in XMP and says why', (_case, date, message) => {
    // Prepare
    const reasons: string[] = [];

    // Act
    const time = captureTimeOf({}, { xmp: { CreateDate: date } }, (r) => reasons.push(r));

    // Assess
    expect(time).toBeUndefined();
    expect(reasons).toEqual([`XMP xmp:CreateDate "${date}" ${message}`]);
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
