import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** `libs/media/tests/fixtures/images`: the files `tools/samples/src/media/image-samples.ts` writes. */
export const IMAGE_FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'images');

/** The bytes of `tests/fixtures/images/<name>`. */
export function readImage(name: string): Buffer {
  return readFileSync(path.join(IMAGE_FIXTURES, name));
}

/** The bytes of one of the upload fixtures in `tests/fixtures/` (photo.heic, document.pdf…). */
export function readUploadFixture(name: string): Buffer {
  return readFileSync(path.join(IMAGE_FIXTURES, '..', name));
}

/** A small image made in memory, in `format`, optionally with EXIF. */
export async function tinyImage(
  format: 'jpeg' | 'png' | 'webp' | 'avif' | 'gif',
  exif?: sharp.Exif,
  size: { width: number; height: number } = { width: 64, height: 48 },
): Promise<Buffer> {
  const image = sharp({ create: { ...size, channels: 3, background: '#4080c0' } }).toFormat(format);
  return (exif === undefined ? image : image.withExif(exif)).toBuffer();
}

/**
 * Markers of a JPEG's header segments, in order, up to the start of scan: `APP0`, `APP1`, `DQT`…
 * A JPEG carries EXIF in APP1, ICC in APP2, IPTC in APP13: their absence proves none is there.
 */
export function jpegSegments(jpeg: Buffer): string[] {
  const names: Record<number, string> = { 0xc0: 'SOF0', 0xc2: 'SOF2', 0xc4: 'DHT', 0xdb: 'DQT' };
  const markers: string[] = [];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1];
    if (marker === 0xda) break;
    const isApp = marker >= 0xe0 && marker <= 0xef;
    markers.push(isApp ? `APP${marker - 0xe0}` : (names[marker] ?? `0x${marker.toString(16)}`));
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return markers;
}

/** FourCCs of a WebP's RIFF chunks: `VP8 `, `VP8L`, `VP8X`, `ALPH`, and `EXIF`/`ICCP`/`XMP ` when present. */
export function riffChunks(webp: Buffer): string[] {
  const chunks: string[] = [];
  let at = 12; // "RIFF", size, "WEBP"
  while (at + 8 <= webp.length) {
    const size = webp.readUInt32LE(at + 4);
    chunks.push(webp.toString('latin1', at, at + 4));
    at += 8 + size + (size % 2);
  }
  return chunks;
}

/** The RGB of the pixel at (x, y) of an encoded image. */
export async function pixelAt(
  image: Buffer,
  x: number,
  y: number,
): Promise<[number, number, number]> {
  const { data, info } = await sharp(image)
    .extract({ left: x, top: y, width: 1, height: 1 })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected RGB, got ${info.channels} channels`);
  return [data[0], data[1], data[2]];
}
