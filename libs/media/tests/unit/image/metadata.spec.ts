import type { ImageMetadata } from '@slipway/events';
import sharp from 'sharp';
import { MediaInputError } from '../../../src/errors';
import { extractImageMetadata } from '../../../src/image';
import { readImage, readUploadFixture, tinyImage } from './support/images';
import { KNOWN_METADATA } from './support/known-metadata';

describe('extractImageMetadata', () => {
  describe('fixtures', () => {
    it.each(Object.entries(KNOWN_METADATA))(
      'reads exactly the known values of %s',
      async (name, expected) => {
        // Act
        const metadata = await extractImageMetadata(readImage(name));

        // Assess: toStrictEqual, so no absent field sneaks in as `undefined`
        expect(metadata).toStrictEqual(expected);
      },
    );

    it('reports width and height as displayed: rotated-6.jpg is stored 600x400', async () => {
      // Prepare
      const stored = await sharp(readImage('rotated-6.jpg')).metadata();

      // Act
      const metadata = await extractImageMetadata(readImage('rotated-6.jpg'));

      // Assess
      expect([stored.width, stored.height]).toEqual([600, 400]);
      expect([metadata.width, metadata.height]).toEqual([400, 600]);
    });

    it('reads the header only: truncated.jpg is described (its thumbnails are refused)', async () => {
      // Act + Assess
      await expect(extractImageMetadata(readImage('truncated.jpg'))).resolves.toStrictEqual({
        format: 'jpeg',
        width: 800,
        height: 600,
      });
    });

    it.each([
      ['photo.avif', 'avif'],
      ['photo.heic', 'heic'],
      ['photo.webp', 'webp'],
    ])('names the format of %s %s', async (name, format) => {
      // Act + Assess
      await expect(extractImageMetadata(readUploadFixture(name))).resolves.toStrictEqual({
        format,
        width: 16,
        height: 16,
      });
    });
  });

  describe('EXIF in every container libvips reads', () => {
    const exif = {
      IFD0: { Make: 'Slipway', Model: 'Test Camera' },
      IFD2: { DateTimeOriginal: '2024:05:01 14:03:22', OffsetTimeOriginal: '+02:00' },
    };

    // exifr itself cannot read WebP ("Unknown file format") nor libvips' AVIF EXIF ("Malformed
    // EXIF data"): the block libvips extracts is what gets parsed.
    it.each(['jpeg', 'png', 'webp', 'avif'] as const)('reads EXIF from %s', async (format) => {
      // Prepare
      const image = await tinyImage(format, exif);

      // Act
      const metadata = await extractImageMetadata(image);

      // Assess
      expect(metadata).toMatchObject({
        make: 'Slipway',
        model: 'Test Camera',
        captureTime: {
          value: '2024-05-01T14:03:22+02:00',
          offset: '+02:00',
          local: false,
          source: 'exif',
        },
      });
    });
  });

  describe('capture time fallbacks, end to end through a real EXIF block', () => {
    it.each<[string, sharp.Exif, ImageMetadata['captureTime']]>([
      [
        'CreateDate with OffsetTimeDigitized when DateTimeOriginal is absent',
        { IFD2: { DateTimeDigitized: '2022:01:02 03:04:05', OffsetTimeDigitized: '+05:30' } },
        { value: '2022-01-02T03:04:05+05:30', offset: '+05:30', local: false, source: 'exif' },
      ],
      [
        'DateTime (IFD0) with OffsetTime when both EXIF dates are absent',
        { IFD0: { DateTime: '2021:12:31 23:59:59' }, IFD2: { OffsetTime: '-08:00' } },
        {
          value: '2021-12-31T23:59:59-08:00',
          offset: '-08:00',
          local: false,
          source: 'file-modified',
        },
      ],
      [
        'OffsetTime when OffsetTimeOriginal is absent',
        { IFD2: { DateTimeOriginal: '2024:05:01 14:03:22', OffsetTime: '+09:00' } },
        { value: '2024-05-01T14:03:22+09:00', offset: '+09:00', local: false, source: 'exif' },
      ],
      [
        'sub-seconds from SubSecTimeOriginal',
        { IFD2: { DateTimeOriginal: '2024:05:01 14:03:22', SubSecTimeOriginal: '045' } },
        { value: '2024-05-01T14:03:22.045', local: true, source: 'exif' },
      ],
      [
        'DateTimeOriginal before CreateDate and DateTime',
        {
          IFD0: { DateTime: '2024:06:01 00:00:00' },
          IFD2: {
            DateTimeOriginal: '2024:05:01 14:03:22',
            DateTimeDigitized: '2024:05:02 00:00:00',
          },
        },
        { value: '2024-05-01T14:03:22', local: true, source: 'exif' },
      ],
    ])('uses %s', async (_case, exif, expected) => {
      // Prepare
      const image = await tinyImage('jpeg', exif);

      // Act
      const metadata = await extractImageMetadata(image);

      // Assess
      expect(metadata.captureTime).toStrictEqual(expected);
    });

    it('refuses DateTimeOriginal 2008:02:30 (no capture time from EXIF) and says why', async () => {
      // Prepare
      const image = await tinyImage('jpeg', { IFD2: { DateTimeOriginal: '2008:02:30 09:52:01' } });
      const reasons: string[] = [];

      // Act
      const metadata = await extractImageMetadata(image, { onIgnored: (r) => reasons.push(r) });

      // Assess
      expect(metadata.captureTime).toBeUndefined();
      expect(reasons).toEqual([
        'EXIF DateTimeOriginal "2008:02:30 09:52:01" is not a real date (February 2008 has 29 days): ignored.',
      ]);
    });

    it('leaves captureTime, gps, make, model and lens out of an image without EXIF', async () => {
      // Act
      const metadata = await extractImageMetadata(await tinyImage('jpeg'));

      // Assess
      expect(metadata).toStrictEqual({ format: 'jpeg', width: 64, height: 48 });
    });
  });

  describe('XMP capture dates, end to end through a real XMP packet', () => {
    /** An XMP packet as Lightroom and phones write it, with the given rdf:Description attributes. */
    const packet = (attributes: string) =>
      `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" ${attributes}/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

    /** A tiny image in `format` with `exif` and an XMP packet holding `attributes`. */
    async function withXmp(
      format: 'jpeg' | 'png' | 'webp',
      exif: sharp.Exif,
      attributes: string,
    ): Promise<Buffer> {
      return sharp(await tinyImage(format, exif))
        .withXmp(packet(attributes))
        .keepExif()
        .toFormat(format)
        .toBuffer();
    }

    it.each(['jpeg', 'png', 'webp'] as const)(
      'takes an XMP-only capture date with its offset from %s, before the file change date',
      async (format) => {
        // Prepare: EXIF has only IFD0 DateTime (when the file was last saved).
        const image = await withXmp(
          format,
          { IFD0: { DateTime: '2023:01:01 10:00:00' } },
          'xmp:CreateDate="2019-07-14T18:30:05+09:00"',
        );

        // Act
        const metadata = await extractImageMetadata(image);

        // Assess
        expect(metadata.captureTime).toStrictEqual({
          value: '2019-07-14T18:30:05+09:00',
          offset: '+09:00',
          local: false,
          source: 'xmp',
        });
      },
    );

    it("gives an EXIF DateTimeOriginal without offset the offset of XMP's same date", async () => {
      // Prepare
      const image = await withXmp(
        'jpeg',
        { IFD2: { DateTimeOriginal: '2019:07:14 18:30:05' } },
        'exif:DateTimeOriginal="2019-07-14T18:30:05+09:00"',
      );

      // Act
      const metadata = await extractImageMetadata(image);

      // Assess
      expect(metadata.captureTime).toStrictEqual({
        value: '2019-07-14T18:30:05+09:00',
        offset: '+09:00',
        local: false,
        source: 'exif',
      });
    });

    it('marks the file change date as such when neither EXIF nor XMP has a capture date', async () => {
      // Act
      const metadata = await extractImageMetadata(
        await tinyImage('jpeg', { IFD0: { DateTime: '2023:01:01 10:00:00' } }),
      );

      // Assess
      expect(metadata.captureTime).toStrictEqual({
        value: '2023-01-01T10:00:00',
        local: true,
        source: 'file-modified',
      });
    });
  });

  describe('unusable input', () => {
    it.each([
      ['bomb.png', 'DECOMPRESSION_BOMB'],
      ['polyglot.jpg', 'CORRUPT_IMAGE'],
    ])('refuses %s as %s, like generateThumbnails', async (name, problem) => {
      // Act + Assess
      await expect(extractImageMetadata(readImage(name))).rejects.toMatchObject({
        name: 'MediaInputError',
        problem,
      });
    });

    it('refuses a PDF as UNSUPPORTED_IMAGE', async () => {
      // Act
      const error: unknown = await extractImageMetadata(readUploadFixture('document.pdf')).catch(
        (e: unknown) => e,
      );

      // Assess
      expect(error).toBeInstanceOf(MediaInputError);
      expect(error).toMatchObject({ problem: 'UNSUPPORTED_IMAGE' });
    });

    it('honours maxPixels', async () => {
      // Act + Assess
      await expect(
        extractImageMetadata(readImage('exif-no-offset.jpg'), { maxPixels: 1_000_000 }),
      ).rejects.toMatchObject({ problem: 'DECOMPRESSION_BOMB' });
    });

    it('describes an image whose EXIF block is damaged, without the EXIF fields', async () => {
      // Prepare: keep the APP1 segment's length and "Exif\0\0", overwrite the TIFF header
      const image = Buffer.from(await tinyImage('jpeg', { IFD0: { Make: 'Slipway' } }));
      const tiff = image.indexOf(Buffer.from('Exif\0\0', 'latin1')) + 6;
      image.write('XX\0\0', tiff, 'latin1');

      // Act
      const metadata = await extractImageMetadata(image);

      // Assess
      expect(metadata).toStrictEqual({ format: 'jpeg', width: 64, height: 48 });
    });
  });
});
