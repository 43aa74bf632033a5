import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { generateImageSamples, IMAGE_FIXTURES_DIR, IMAGE_SAMPLE_NAMES } from '../../src';

/** The bytes of the committed fixture `libs/media/tests/fixtures/images/<name>`. */
const readImage = (name: string) => readFileSync(path.join(IMAGE_FIXTURES_DIR, name));

describe('generateImageSamples', () => {
  jest.setTimeout(60_000);

  let outDir: string;
  let written: string[];
  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'slipway-image-samples-'));
    written = await generateImageSamples(path.join(outDir, 'nested'));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes every sample into the folder it is given, creating it, and returns the paths', () => {
    // Assess
    expect(written).toEqual(IMAGE_SAMPLE_NAMES.map((name) => path.join(outDir, 'nested', name)));
  });

  it('is what the committed fixtures folder holds (plus its README)', async () => {
    // Act
    const committed = (await readdir(IMAGE_FIXTURES_DIR)).filter((name) => name !== 'README.md');

    // Assess
    expect(committed.sort()).toEqual([...IMAGE_SAMPLE_NAMES].sort());
  });

  it.each(IMAGE_SAMPLE_NAMES)('reproduces the committed %s byte for byte', async (name) => {
    // Act
    const regenerated = await readFile(path.join(outDir, 'nested', name));

    // Assess: a difference after a sharp or Node upgrade means the fixtures must be
    // regenerated (see libs/media/tests/fixtures/images/README.md), then the tests re-run on them.
    expect(regenerated.equals(readImage(name))).toBe(true);
  });

  describe('bomb.png', () => {
    const bomb = readImage('bomb.png');

    it('is a small file', () => {
      // Assess
      expect(bomb.length).toBeLessThan(8 * 1024);
    });

    it('has a valid PNG signature and an IHDR declaring 50000 x 50000 8-bit RGB, with its CRC', () => {
      // Act
      const length = bomb.readUInt32BE(8);
      const type = bomb.toString('latin1', 12, 16);
      const body = bomb.subarray(16, 16 + length);
      const crc = bomb.readUInt32BE(16 + length);

      // Assess
      expect(bomb.subarray(0, 8)).toEqual(Buffer.from('89504e470d0a1a0a', 'hex'));
      expect([type, length]).toEqual(['IHDR', 13]);
      expect([body.readUInt32BE(0), body.readUInt32BE(4), body[8], body[9]]).toEqual([
        50_000, 50_000, 8, 2,
      ]);
      expect(crc).toBe(crc32(bomb.subarray(12, 16 + length)));
    });
  });

  describe('polyglot.jpg', () => {
    it('is SOI + a JFIF APP0 segment, then an HTML page', () => {
      // Prepare
      const polyglot = readImage('polyglot.jpg');

      // Assess
      expect(polyglot.subarray(0, 4)).toEqual(Buffer.from('ffd8ffe0', 'hex'));
      expect(polyglot.toString('latin1', 6, 11)).toBe('JFIF\0');
      expect(polyglot.toString('latin1', 20)).toMatch(/^<!DOCTYPE html>/);
    });
  });
});
