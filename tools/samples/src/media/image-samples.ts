/**
 * Writes Slipway's sample images: the committed fixtures of `libs/media/tests/fixtures/images/`
 * (see the README there for what each file is and the values the tests expect) and the sample
 * media the sandbox uploads on `npm start`.
 *
 * Every file is made by code from fixed inputs (a seeded pseudo-random generator, fixed EXIF
 * values), so with the same sharp (libvips) and Node (zlib) versions the same bytes come out.
 *
 * @example
 * // From the repository root, after `source .ci/env.sh`:
 * // npx tsx tools/samples/src/media/image-samples.ts [outDir]
 * // (outDir defaults to libs/media/tests/fixtures/images)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** `libs/media/tests/fixtures/images`: where the committed image fixtures live. */
export const IMAGE_FIXTURES_DIR = path.join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'libs/media/tests/fixtures/images',
);

/** What {@link generateImageSamples} writes, in this order. */
export const IMAGE_SAMPLE_NAMES = [
  'exif-gps.jpg',
  'exif-gps-sw.jpg',
  'exif-no-offset.jpg',
  'rotated-6.jpg',
  'small.png',
  'truncated.jpg',
  'polyglot.jpg',
  'bomb.png',
] as const;

/** One of {@link IMAGE_SAMPLE_NAMES}. */
export type ImageSampleName = (typeof IMAGE_SAMPLE_NAMES)[number];

/** Fixed JPEG settings for every sample, so the bytes depend only on the library versions. */
const JPEG = { quality: 85, chromaSubsampling: '4:2:0', mozjpeg: false } as const;

/**
 * Writes every sample image into `outDir` (created when missing) and returns the paths written,
 * in the order of {@link IMAGE_SAMPLE_NAMES}.
 *
 * @example
 * const files = await generateImageSamples('/tmp/samples'); // ['/tmp/samples/exif-gps.jpg', …]
 */
export async function generateImageSamples(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const samples: Record<ImageSampleName, () => Promise<Buffer>> = {
    'exif-gps.jpg': exifGps,
    'exif-gps-sw.jpg': exifGpsSouthWest,
    'exif-no-offset.jpg': exifNoOffset,
    'rotated-6.jpg': rotated6,
    'small.png': small,
    'truncated.jpg': truncated,
    'polyglot.jpg': async () => polyglot(),
    'bomb.png': async () => bombPng(),
  };
  const written: string[] = [];
  for (const name of IMAGE_SAMPLE_NAMES) {
    const file = path.join(outDir, name);
    await writeFile(file, await samples[name]());
    written.push(file);
  }
  return written;
}

/**
 * 4000x3000 (12 MP, a phone camera's size) with a Display P3 ICC profile, an XMP packet and
 * EXIF with camera, lens, capture time with offset, and GPS (Eiffel Tower, 35 m).
 */
async function exifGps(): Promise<Buffer> {
  return sharp(photoLike(4000, 3000, 1), { raw: { width: 4000, height: 3000, channels: 3 } })
    .jpeg(JPEG)
    .withIccProfile('p3')
    .withXmp(XMP)
    .withExif({
      IFD0: { Make: 'Slipway', Model: 'Test Camera' },
      IFD2: {
        DateTimeOriginal: '2024:05:01 14:03:22',
        OffsetTimeOriginal: '+02:00',
        LensModel: 'Slipway 35mm f/1.8',
      },
      // 48°51'29.88" N, 2°17'40.2" E: 48.8583, 2.2945.
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2988/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 17/1 4020/100',
        GPSAltitudeRef: '0',
        GPSAltitude: '35/1',
      },
    })
    .toBuffer();
}

/**
 * 1600x1200, southern and western hemispheres and below sea level: Laguna del Carbón,
 * Argentina (49°34' S, 68°21' W, 105 m below sea level), capture time at UTC-03:00.
 */
async function exifGpsSouthWest(): Promise<Buffer> {
  const jpeg = await sharp(photoLike(1600, 1200, 2), {
    raw: { width: 1600, height: 1200, channels: 3 },
  })
    .jpeg(JPEG)
    .withExif({
      IFD0: { Make: 'Slipway', Model: 'Test Camera' },
      IFD2: {
        DateTimeOriginal: '2023:12:24 09:15:07',
        OffsetTimeOriginal: '-03:00',
        LensModel: 'Slipway 24mm f/2.8',
      },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '49/1 34/1 0/1',
        GPSLongitudeRef: 'W',
        GPSLongitude: '68/1 21/1 0/1',
        // Written as 0 whatever the string says: see setGpsAltitudeRefBelowSeaLevel.
        GPSAltitudeRef: '1',
        GPSAltitude: '105/1',
      },
    })
    .toBuffer();
  return setGpsAltitudeRefBelowSeaLevel(jpeg);
}

/** 1200x900 with a capture time but no offset tag (most cameras before EXIF 2.31), no GPS. */
async function exifNoOffset(): Promise<Buffer> {
  return sharp(photoLike(1200, 900, 3), { raw: { width: 1200, height: 900, channels: 3 } })
    .jpeg(JPEG)
    .withExif({
      IFD0: { Make: 'Slipway', Model: 'Test Camera' },
      IFD2: { DateTimeOriginal: '2024:05:01 14:03:22' },
    })
    .toBuffer();
}

/**
 * Stored 600x400 with a red band over the top 100 rows, blue below, and EXIF orientation 6
 * ("rotate 90° clockwise to display"): shown correctly it is 400x600 with the red band on the
 * right. A viewer that ignores the tag shows it landscape; one that turns it the wrong way shows
 * the band on the left.
 */
async function rotated6(): Promise<Buffer> {
  const red = await sharp({
    create: { width: 600, height: 100, channels: 3, background: '#ff0000' },
  })
    .png()
    .toBuffer();
  return (
    sharp({ create: { width: 600, height: 400, channels: 3, background: '#0000ff' } })
      .composite([{ input: red, top: 0, left: 0 }])
      .jpeg(JPEG)
      // libvips writes the Orientation tag from the image's own orientation field: a value in
      // withExif({ IFD0: { Orientation } }) is overwritten with 1, withMetadata's is kept.
      .withMetadata({ orientation: 6 })
      .toBuffer()
  );
}

/** 200x120 RGBA PNG, smaller than every thumbnail size: opaque gradient left, transparent right. */
async function small(): Promise<Buffer> {
  const width = 200;
  const height = 120;
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const opaque = x < width / 2;
      pixels[i] = Math.round((x / width) * 255);
      pixels[i + 1] = Math.round((y / height) * 255);
      pixels[i + 2] = 128;
      pixels[i + 3] = opaque ? 255 : 0;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 4 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** The first half of a valid 800x600 JPEG: the header is intact, the scan data stops midway. */
async function truncated(): Promise<Buffer> {
  const whole = await sharp(photoLike(800, 600, 4), {
    raw: { width: 800, height: 600, channels: 3 },
  })
    .jpeg(JPEG)
    .toBuffer();
  return whole.subarray(0, Math.floor(whole.length / 2));
}

/**
 * A JPEG start (SOI `FF D8` and a complete 16-byte JFIF APP0 segment) followed directly by an
 * HTML page. Magic-number sniffing (file-type, `file(1)`) calls it a JPEG; it has no frame
 * header and no scan, so no decoder can show it.
 */
function polyglot(): Buffer {
  const jfifStart = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00,
  ]);
  const html =
    '<!DOCTYPE html>\n<html><head><title>not a photo</title></head>\n' +
    '<body><script>document.title = "polyglot";</script>\n' +
    '<p>This file starts like a JPEG but is an HTML page.</p></body></html>\n';
  return Buffer.concat([jfifStart, Buffer.from(html, 'ascii')]);
}

/**
 * A PNG whose header declares 50000x50000 8-bit RGB (2.5 gigapixels, 7.5 GB decoded), with a
 * valid IHDR (correct CRC), one IDAT holding only the first 16 rows (all black, deflated to a
 * few KB) and IEND. Decoding it would try to allocate the whole image before finding that the
 * data runs out; a header check refuses it first.
 */
function bombPng(): Buffer {
  const width = 50_000;
  const height = 50_000;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive, no interlace
  const rowBytes = 1 + width * 3; // filter byte + RGB
  const rows = deflateSync(Buffer.alloc(rowBytes * 16), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', rows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG chunk: length, type, data, CRC-32 of type + data (PNG spec, section 5.3). */
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * Sets GPSAltitudeRef to 1 ("below sea level") in a JPEG written by sharp.
 *
 * libvips can write EXIF tags of type SHORT, LONG, RATIONAL (signed or not) and ASCII only
 * (`vips_exif_from_s` in libvips' `exif.c`); GPSAltitudeRef is a BYTE, so sharp always writes
 * libexif's default 0 whatever `withExif` says. This walks the TIFF structure (APP1 → IFD0 →
 * GPS IFD) and changes that one inline byte; it fails loudly when the structure is not the
 * expected one instead of writing at a guessed offset.
 */
function setGpsAltitudeRefBelowSeaLevel(jpeg: Buffer): Buffer {
  const out = Buffer.from(jpeg);
  const app1 = findExifSegment(out);
  const tiff = app1 + 10; // FF E1, 2 length bytes, "Exif\0\0"
  const little = out.toString('latin1', tiff, tiff + 2) === 'II';
  const u16 = (at: number) => (little ? out.readUInt16LE(at) : out.readUInt16BE(at));
  const u32 = (at: number) => (little ? out.readUInt32LE(at) : out.readUInt32BE(at));
  const entry = (ifd: number, tag: number): number | undefined => {
    const count = u16(ifd);
    for (let i = 0; i < count; i++) {
      const at = ifd + 2 + i * 12;
      if (u16(at) === tag) return at;
    }
    return undefined;
  };
  const gpsPointer = entry(tiff + u32(tiff + 4), 0x8825);
  if (gpsPointer === undefined) throw new Error('sharp wrote no GPS IFD pointer');
  const altitudeRef = entry(tiff + u32(gpsPointer + 8), 0x0005);
  // Type 1 (BYTE), count 1: the value sits in the entry's first value byte.
  if (altitudeRef === undefined || u16(altitudeRef + 2) !== 1 || u32(altitudeRef + 4) !== 1) {
    throw new Error('sharp wrote no GPSAltitudeRef BYTE entry');
  }
  out[altitudeRef + 8] = 1;
  return out;
}

/** Offset of the APP1 segment that holds EXIF, walking the markers before the scan. */
function findExifSegment(jpeg: Buffer): number {
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff && jpeg[at + 1] !== 0xda) {
    if (jpeg[at + 1] === 0xe1 && jpeg.toString('latin1', at + 4, at + 10) === 'Exif\0\0') {
      return at;
    }
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  throw new Error('sharp wrote no EXIF APP1 segment');
}

/**
 * Photo-like RGB pixels: a sky-to-ground gradient, soft shapes at two scales and faint grain,
 * from a seeded generator (the same seed always gives the same pixels). JPEG compresses it like
 * a real photo rather than like a flat colour.
 *
 * The loops avoid `Math.*` calls: under Jest (which imports this script in a test) each one
 * crosses into another realm and 12 MP take half a minute instead of a second.
 */
function photoLike(width: number, height: number, seed: number): Buffer {
  const random = xorshift32(seed);
  const coarse = valueNoise(width, height, 400, random);
  const fine = valueNoise(width, height, 40, random);
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0, p = 0; y < height; y++) {
    const v = y / height;
    for (let x = 0; x < width; x++, p++) {
      const n = 0.65 * coarse[p] + 0.35 * fine[p] - 0.5;
      const grain = (random() - 0.5) * 6;
      pixels[p * 3] = clampByte(70 + 120 * v + 90 * n + grain);
      pixels[p * 3 + 1] = clampByte(130 + 40 * v + 80 * n + grain);
      pixels[p * 3 + 2] = clampByte(220 - 150 * v + 60 * n + grain);
    }
  }
  return pixels;
}

/**
 * Smooth noise in 0..1, one value per pixel: random values on a grid of `cell`-pixel squares,
 * interpolated with smoothstep. Column weights are computed once per column, not per pixel.
 */
function valueNoise(
  width: number,
  height: number,
  cell: number,
  random: () => number,
): Float32Array {
  const columns = ((width / cell) | 0) + 2;
  const rows = ((height / cell) | 0) + 2;
  const grid = new Float64Array(columns * rows);
  for (let i = 0; i < grid.length; i++) grid[i] = random();
  const smooth = (t: number) => t * t * (3 - 2 * t);
  const x0 = new Int32Array(width);
  const tx = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    x0[x] = (x / cell) | 0;
    tx[x] = smooth(x / cell - x0[x]);
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = (y / cell) | 0;
    const ty = smooth(y / cell - y0);
    const top = y0 * columns;
    const bottom = top + columns;
    for (let x = 0; x < width; x++) {
      const c = x0[x];
      const upper = grid[top + c] + (grid[top + c + 1] - grid[top + c]) * tx[x];
      const lower = grid[bottom + c] + (grid[bottom + c + 1] - grid[bottom + c]) * tx[x];
      out[y * width + x] = upper + (lower - upper) * ty;
    }
  }
  return out;
}

/** Xorshift32 (Marsaglia, 2003): a tiny seeded PRNG, enough for test pixels, nothing secret. */
function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** Rounds to the nearest whole number and clamps to 0..255 (a Buffer would wrap instead). */
function clampByte(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : (value + 0.5) | 0;
}

/** XMP packet of exif-gps.jpg: a creator and a title, which thumbnails must not carry. */
const XMP = [
  '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
  '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
  '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
  '<dc:creator><rdf:Seq><rdf:li>Slipway Fixture Author</rdf:li></rdf:Seq></dc:creator>',
  '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Slipway sample</rdf:li></rdf:Alt></dc:title>',
  '</rdf:Description>',
  '</rdf:RDF>',
  '</x:xmpmeta>',
  '<?xpacket end="w"?>',
].join('\n');

// CLI: `npx tsx tools/samples/src/media/image-samples.ts [outDir]` (tsx runs this file as
// CommonJS, like the repository's other scripts; importing it runs nothing).
if (require.main === module) {
  const outDir = process.argv[2] ?? IMAGE_FIXTURES_DIR;
  generateImageSamples(outDir).then(
    (files) => {
      for (const file of files) console.log(`wrote ${path.relative(process.cwd(), file)}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
