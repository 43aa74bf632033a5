import { parse as parseExif } from 'exifr';
import sharp from 'sharp';
import { detectMediaType } from '../../../src/detect';
import { MediaInputError } from '../../../src/errors';
import {
  DEFAULT_MAX_PIXELS,
  generateThumbnails,
  THUMBNAIL_LONG_EDGES,
  type Thumbnail,
} from '../../../src/image';
import { planSlots } from '../../../src/image/thumbnails';
import {
  jpegSegments,
  pixelAt,
  readImage,
  readUploadFixture,
  riffChunks,
  tinyImage,
} from './support/images';

/** What a test compares: everything but the bytes. */
function shapeOf(thumbnails: Thumbnail[]) {
  return thumbnails.map(({ longEdge, format, contentType, width, height }) => ({
    longEdge,
    format,
    contentType,
    width,
    height,
  }));
}

/** Both formats of one slot, in output order. */
function slot(longEdge: number, width: number, height: number) {
  return [
    { longEdge, format: 'webp', contentType: 'image/webp', width, height },
    { longEdge, format: 'jpeg', contentType: 'image/jpeg', width, height },
  ];
}

/** Asserts that `promise` rejects with a MediaInputError of `problem` and returns it. */
async function mediaInputError(
  promise: Promise<unknown>,
  problem: string,
): Promise<MediaInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaInputError);
  expect(error).toMatchObject({ name: 'MediaInputError', problem });
  return error as MediaInputError;
}

describe('generateThumbnails', () => {
  // The 12 MP fixture is the slowest input: generate its thumbnails once for the read-only tests.
  let large: Thumbnail[];
  beforeAll(async () => {
    large = await generateThumbnails(readImage('exif-gps.jpg'));
  });

  it('uses the documented defaults', () => {
    // Assess
    expect(THUMBNAIL_LONG_EDGES).toEqual([256, 1024, 2048]);
    expect(DEFAULT_MAX_PIXELS).toBe(100_000_000);
  });

  describe('sizes and formats', () => {
    it('makes every size of a 4000x3000 photo in WebP and JPEG, smallest first', () => {
      // Assess
      expect(shapeOf(large)).toEqual([
        ...slot(256, 256, 192),
        ...slot(1024, 1024, 768),
        ...slot(2048, 2048, 1536),
      ]);
    });

    it('encodes each output in its declared format and dimensions', async () => {
      // Act
      const decoded = await Promise.all(large.map((t) => sharp(t.data).metadata()));

      // Assess
      expect(decoded.map((m) => ({ format: m.format, width: m.width, height: m.height }))).toEqual(
        large.map((t) => ({ format: t.format, width: t.width, height: t.height })),
      );
      // Progressive JPEG, as JPEG_OPTIONS says.
      expect(decoded.filter((m) => m.format === 'jpeg').map((m) => m.isProgressive)).toEqual([
        true,
        true,
        true,
      ]);
    });

    it('makes the sizes asked for in longEdges, in ascending order whatever the input order', async () => {
      // Act
      const thumbnails = await generateThumbnails(readImage('exif-no-offset.jpg'), {
        longEdges: [600, 100, 600],
      });

      // Assess
      expect(shapeOf(thumbnails)).toEqual([...slot(100, 100, 75), ...slot(600, 600, 450)]);
    });

    it.each([[[]], [[0]], [[256.5]], [[16_384]]])(
      'refuses longEdges %j as a caller bug',
      async (longEdges) => {
        // Act + Assess
        await expect(generateThumbnails(readImage('small.png'), { longEdges })).rejects.toThrow(
          RangeError,
        );
      },
    );
  });

  describe('never upscales', () => {
    it('leaves out the sizes larger than a 1200x900 original', async () => {
      // Act
      const thumbnails = await generateThumbnails(readImage('exif-no-offset.jpg'));

      // Assess
      expect(shapeOf(thumbnails)).toEqual([...slot(256, 256, 192), ...slot(1024, 1024, 768)]);
    });

    it('puts an original smaller than every size (200x120) in the 256 slot at its own size', async () => {
      // Act
      const thumbnails = await generateThumbnails(readImage('small.png'));

      // Assess
      expect(shapeOf(thumbnails)).toEqual(slot(256, 200, 120));
    });

    it('fills a slot equal to the original long edge at the original size', async () => {
      // Act
      const thumbnails = await generateThumbnails(readImage('exif-no-offset.jpg'), {
        longEdges: [1200, 2048],
      });

      // Assess
      expect(shapeOf(thumbnails)).toEqual(slot(1200, 1200, 900));
    });

    it.each([
      [100, [{ longEdge: 256, target: 100 }]],
      [256, [{ longEdge: 256, target: 256 }]],
      [1023, [{ longEdge: 256, target: 256 }]],
      [
        5000,
        [
          { longEdge: 256, target: 256 },
          { longEdge: 1024, target: 1024 },
          { longEdge: 2048, target: 2048 },
        ],
      ],
    ])('plans the slots of an original with a long edge of %i', (original, expected) => {
      // Act + Assess
      expect(planSlots(THUMBNAIL_LONG_EDGES, original)).toEqual(expected);
    });
  });

  describe('orientation', () => {
    it('applies EXIF orientation 6: a 600x400 stored image comes out portrait', async () => {
      // Act
      const thumbnails = await generateThumbnails(readImage('rotated-6.jpg'));

      // Assess
      expect(shapeOf(thumbnails)).toEqual(slot(256, 171, 256));
      for (const t of thumbnails) {
        const meta = await sharp(t.data).metadata();
        expect([meta.width, meta.height, meta.orientation]).toEqual([171, 256, undefined]);
      }
    });

    it('turns it clockwise: the red band stored at the top ends up on the right', async () => {
      // Prepare
      const [webp, jpeg] = await generateThumbnails(readImage('rotated-6.jpg'));

      // Act
      const pixels = await Promise.all([
        pixelAt(webp.data, 165, 128),
        pixelAt(webp.data, 5, 128),
        pixelAt(jpeg.data, 165, 128),
        pixelAt(jpeg.data, 5, 128),
      ]);

      // Assess: red right, blue left (with lossy-coding tolerance)
      const isRed = ([r, g, b]: number[]) => r > 200 && g < 60 && b < 60;
      const isBlue = ([r, g, b]: number[]) => r < 60 && g < 60 && b > 200;
      expect([isRed(pixels[0]), isBlue(pixels[1]), isRed(pixels[2]), isBlue(pixels[3])]).toEqual([
        true,
        true,
        true,
        true,
      ]);
    });
  });

  describe('metadata', () => {
    // exif-gps.jpg carries EXIF (camera, capture time, GPS), XMP and a Display P3 ICC profile.
    it('the original carries EXIF, XMP and ICC (so the tests below can fail)', async () => {
      // Act
      const meta = await sharp(readImage('exif-gps.jpg')).metadata();

      // Assess
      expect([meta.exif, meta.xmp, meta.icc].map((b) => b !== undefined)).toEqual([
        true,
        true,
        true,
      ]);
      expect(jpegSegments(readImage('exif-gps.jpg'))).toEqual(
        expect.arrayContaining(['APP1', 'APP2']),
      );
    });

    it('strips EXIF, XMP, IPTC and ICC from every output', async () => {
      // Act
      const decoded = await Promise.all(large.map((t) => sharp(t.data).metadata()));

      // Assess
      for (const meta of decoded) {
        expect({ exif: meta.exif, xmp: meta.xmp, iptc: meta.iptc, icc: meta.icc }).toEqual({
          exif: undefined,
          xmp: undefined,
          iptc: undefined,
          icc: undefined,
        });
      }
    });

    it('leaves no APPn segment at all in the JPEGs (no EXIF, ICC, XMP, IPTC) and exifr finds nothing', async () => {
      // Prepare
      const jpegs = large.filter((t) => t.format === 'jpeg');

      // Act
      const segments = jpegs.map((t) => jpegSegments(t.data));
      const exif = await Promise.all(jpegs.map((t) => parseExif(t.data, true)));

      // Assess: the walk did read the header (tables, frame), and found no APPn among them
      for (const list of segments) {
        expect(list).toEqual(expect.arrayContaining(['DQT', 'DHT', 'SOF2']));
        expect(list.filter((m) => m.startsWith('APP'))).toEqual([]);
      }
      expect(exif).toEqual([undefined, undefined, undefined]);
    });

    it('leaves no EXIF, ICCP or XMP chunk in the WebPs', () => {
      // Act
      const chunks = large.filter((t) => t.format === 'webp').map((t) => riffChunks(t.data));

      // Assess
      for (const list of chunks) {
        expect(list.filter((c) => ['EXIF', 'ICCP', 'XMP '].includes(c))).toEqual([]);
        expect(list).toEqual(expect.arrayContaining([expect.stringMatching(/^VP8/)]));
      }
    });

    it('carries none of the original text values (camera, lens, author) in any output', () => {
      // Act
      const leaks = large.filter((t) =>
        ['Slipway', 'Test Camera', 'Fixture Author', 'Exif\0'].some((s) =>
          t.data.includes(Buffer.from(s, 'latin1')),
        ),
      );

      // Assess
      expect(leaks).toEqual([]);
    });

    it('flattens transparency onto white in JPEG and keeps it in WebP', async () => {
      // Prepare: small.png is opaque on its left half, transparent on its right half
      const [webp, jpeg] = await generateThumbnails(readImage('small.png'));

      // Act
      const jpegRight = await pixelAt(jpeg.data, 180, 60);
      const webpMeta = await sharp(webp.data).metadata();

      // Assess
      expect(jpegRight.every((v) => v > 245)).toBe(true);
      expect(webpMeta.hasAlpha).toBe(true);
    });
  });

  describe('determinism', () => {
    it.each(['exif-gps.jpg', 'rotated-6.jpg', 'small.png'])(
      'gives byte-identical outputs for the same input (%s)',
      async (name) => {
        // Prepare
        const input = readImage(name);
        const first = name === 'exif-gps.jpg' ? large : await generateThumbnails(input);

        // Act
        const second = await generateThumbnails(input);

        // Assess
        expect(second).toHaveLength(first.length);
        expect(second.every((t, i) => t.data.equals(first[i].data))).toBe(true);
      },
    );
  });

  describe('decompression bombs', () => {
    it('refuses bomb.png from its header, naming the dimensions and the limit, without decoding', async () => {
      // Prepare: every pixel pipeline ends in toBuffer; metadata() reads the header only
      const toBuffer = jest.spyOn(sharp.prototype, 'toBuffer');

      // Act
      const error = await mediaInputError(
        generateThumbnails(readImage('bomb.png')),
        'DECOMPRESSION_BOMB',
      );

      // Assess
      expect(error.message).toContain('50000 x 50000 pixels');
      expect(error.message).toContain('limit of 100000000 pixels');
      expect(toBuffer).not.toHaveBeenCalled();
    });

    it('applies a lower maxPixels: 12 MP refused at 10 MP', async () => {
      // Act
      const error = await mediaInputError(
        generateThumbnails(readImage('exif-gps.jpg'), { maxPixels: 10_000_000 }),
        'DECOMPRESSION_BOMB',
      );

      // Assess
      expect(error.message).toContain('4000 x 3000 pixels');
    });

    it.each([0, -1, 1.5, Number.NaN])('refuses maxPixels %p as a caller bug', async (maxPixels) => {
      // Act + Assess
      await expect(generateThumbnails(readImage('small.png'), { maxPixels })).rejects.toThrow(
        RangeError,
      );
    });
  });

  describe('unusable input', () => {
    it('refuses the truncated JPEG as CORRUPT_IMAGE, keeping sharp’s error as cause', async () => {
      // Act
      const error = await mediaInputError(
        generateThumbnails(readImage('truncated.jpg')),
        'CORRUPT_IMAGE',
      );

      // Assess
      expect(error.message).toMatch(/premature end of JPEG/i);
      expect(error.cause).toBeInstanceOf(Error);
    });

    it('refuses the JPEG/HTML polyglot as CORRUPT_IMAGE, although sniffing calls it a JPEG', async () => {
      // Prepare
      const polyglot = readImage('polyglot.jpg');
      expect(await detectMediaType(polyglot)).toEqual({
        mime: 'image/jpeg',
        ext: 'jpg',
        kind: 'image',
      });

      // Act + Assess
      await mediaInputError(generateThumbnails(polyglot), 'CORRUPT_IMAGE');
    });

    it('refuses bytes of no image format (a PDF) as UNSUPPORTED_IMAGE', async () => {
      // Act + Assess
      await mediaInputError(
        generateThumbnails(readUploadFixture('document.pdf')),
        'UNSUPPORTED_IMAGE',
      );
    });

    it('refuses a format outside the accepted ones (GIF) as UNSUPPORTED_IMAGE', async () => {
      // Act
      const error = await mediaInputError(
        generateThumbnails(await tinyImage('gif')),
        'UNSUPPORTED_IMAGE',
      );

      // Assess
      expect(error.message).toContain('gif');
    });

    it('refuses HEIC as UNSUPPORTED_IMAGE: the prebuilt sharp has no HEVC decoder', async () => {
      // Act
      const error = await mediaInputError(
        generateThumbnails(readUploadFixture('photo.heic')),
        'UNSUPPORTED_IMAGE',
      );

      // Assess
      expect(error.message).toMatch(/compression format has not been built in/);
    });

    it('decodes AVIF (AV1 in HEIF), which the prebuilt sharp supports', async () => {
      // Act
      const thumbnails = await generateThumbnails(readUploadFixture('photo.avif'));

      // Assess
      expect(shapeOf(thumbnails)).toEqual(slot(256, 16, 16));
    });
  });
});
