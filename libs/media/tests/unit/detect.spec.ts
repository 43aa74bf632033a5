import { fileTypeFromBuffer } from 'file-type/core';
import { detectMediaType, SNIFF_BYTES, type DetectedType } from '../../src/detect';
import { fixtureNames, patchAscii, readFixture } from '../support/fixtures';

// What each fixture's bytes are, whatever its name says. `undefined`: no known format.
const EXPECTED: Record<string, DetectedType | undefined> = {
  'clip.mov': { mime: 'video/quicktime', ext: 'mov', kind: 'video' },
  'clip.mp4': { mime: 'video/mp4', ext: 'mp4', kind: 'video' },
  'document.pdf': { mime: 'application/pdf', ext: 'pdf' },
  'empty.jpg': undefined,
  'invoice.jpg': { mime: 'application/pdf', ext: 'pdf' },
  'photo.avif': { mime: 'image/avif', ext: 'avif', kind: 'image' },
  'photo.heic': { mime: 'image/heic', ext: 'heic', kind: 'image' },
  'photo.jpg': { mime: 'image/jpeg', ext: 'jpg', kind: 'image' },
  'photo.png': { mime: 'image/png', ext: 'png', kind: 'image' },
  'photo.webp': { mime: 'image/webp', ext: 'webp', kind: 'image' },
  'random.bin': undefined,
};

// Offsets in an ISO-BMFF file that starts with its `ftyp` box.
const MAJOR_BRAND = 8;
const SECOND_COMPATIBLE_BRAND = 20;

describe('detectMediaType', () => {
  it('has an expectation for every fixture file', () => {
    // Prepare
    const expectedNames = Object.keys(EXPECTED).sort();

    // Act
    const names = fixtureNames();

    // Assess
    expect(names).toEqual(expectedNames);
  });

  it.each(Object.entries(EXPECTED))('identifies %s from its bytes', async (name, expected) => {
    // Prepare
    const bytes = readFixture(name);

    // Act
    const detected = await detectMediaType(bytes);

    // Assess
    expect(detected).toEqual(expected);
  });

  describe('with only the first SNIFF_BYTES bytes', () => {
    it('is given fixtures longer than SNIFF_BYTES, so cutting them is tested', () => {
      // Prepare
      const longer = fixtureNames().filter((name) => readFixture(name).length > SNIFF_BYTES);

      // Act + Assess
      expect(longer).toEqual(expect.arrayContaining(['clip.mov', 'clip.mp4', 'random.bin']));
    });

    it.each(Object.entries(EXPECTED))(
      'identifies %s as from the whole file',
      async (name, expected) => {
        // Prepare
        const head = readFixture(name).subarray(0, SNIFF_BYTES);

        // Act
        const detected = await detectMediaType(head);

        // Assess
        expect(detected).toEqual(expected);
      },
    );

    it('ignores whatever follows the head', async () => {
      // Prepare: the head of a real MOV followed by the bytes of a PDF.
      const head = readFixture('clip.mov').subarray(0, SNIFF_BYTES);
      const tail = readFixture('document.pdf');
      const joined = new Uint8Array([...head, ...tail]);

      // Act
      const detected = await detectMediaType(joined);

      // Assess
      expect(detected).toEqual({ mime: 'video/quicktime', ext: 'mov', kind: 'video' });
    });
  });

  describe('ISO-BMFF brands that file-type reads from the major brand alone', () => {
    it('reports AVIF for a `mif1` file whose compatible brands say avif', async () => {
      // Prepare: photo.avif has major brand `avif`; relabel it with the generic `mif1`.
      const bytes = patchAscii(readFixture('photo.avif'), MAJOR_BRAND, 'mif1');
      const fileTypeSays = await fileTypeFromBuffer(bytes);

      // Act
      const detected = await detectMediaType(bytes);

      // Assess
      expect(fileTypeSays?.mime).toBe('image/heif');
      expect(detected).toEqual({ mime: 'image/avif', ext: 'avif', kind: 'image' });
    });

    it('reports HEIC for a `mif1` file whose compatible brands say heic', async () => {
      // Prepare: photo.heic has brands heic / [mif1, heic, miaf].
      const bytes = patchAscii(readFixture('photo.heic'), MAJOR_BRAND, 'mif1');
      const fileTypeSays = await fileTypeFromBuffer(bytes);

      // Act
      const detected = await detectMediaType(bytes);

      // Assess
      expect(fileTypeSays?.mime).toBe('image/heif');
      expect(detected).toEqual({ mime: 'image/heic', ext: 'heic', kind: 'image' });
    });

    it('reports HEIF for a `mif1` file that names no codec brand', async () => {
      // Prepare: brands become mif1 / [mif1, miaf, miaf].
      const relabelled = patchAscii(readFixture('photo.heic'), MAJOR_BRAND, 'mif1');
      const bytes = patchAscii(relabelled, SECOND_COMPATIBLE_BRAND, 'miaf');

      // Act
      const detected = await detectMediaType(bytes);

      // Assess
      expect(detected).toEqual({ mime: 'image/heif', ext: 'heif', kind: 'image' });
    });

    it('reports HEIC, not MP4 video, when the major brand is one file-type does not list', async () => {
      // Prepare: major brand `miaf` falls into file-type's video/mp4 catch-all.
      const bytes = patchAscii(readFixture('photo.heic'), MAJOR_BRAND, 'miaf');
      const fileTypeSays = await fileTypeFromBuffer(bytes);

      // Act
      const detected = await detectMediaType(bytes);

      // Assess
      expect(fileTypeSays?.mime).toBe('video/mp4');
      expect(detected).toEqual({ mime: 'image/heic', ext: 'heic', kind: 'image' });
    });

    it('reads the compatible brands only as far as a cut head goes', async () => {
      // Prepare: the ftyp box says 28 bytes, the head stops after the first compatible brand.
      const bytes = patchAscii(readFixture('photo.heic'), MAJOR_BRAND, 'mif1').subarray(0, 20);

      // Act
      const detected = await detectMediaType(bytes);

      // Assess
      expect(detected).toEqual({ mime: 'image/heif', ext: 'heif', kind: 'image' });
    });
  });
});
