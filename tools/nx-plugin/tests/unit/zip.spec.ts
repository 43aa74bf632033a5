import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { fromBuffer, type Entry } from 'yauzl';
import { writeDeterministicZip, type ZipEntry } from '../../src/lib/zip';

const dir = mkdtempSync(join(tmpdir(), 'zip-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const entries = (): ZipEntry[] => [
  { path: 'handler.js', data: Buffer.from('exports.handler = async () => 1;\n') },
  { path: 'node_modules/tool/bin/ffprobe', data: Buffer.from('#!/bin/sh\n'), executable: true },
  { path: 'config/settings.json', data: Buffer.from('{"version":3}') },
];

function readEntries(file: string): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    fromBuffer(readFileSync(file), { lazyEntries: false }, (error, zip) => {
      if (error || !zip) return reject(error);
      const found: Entry[] = [];
      zip.on('entry', (e: Entry) => found.push(e));
      zip.on('end', () => resolve(found));
      zip.on('error', reject);
    });
  });
}

describe('writeDeterministicZip', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it('gives byte-identical zips whatever the entry order and the time zone', async () => {
    process.env.TZ = 'UTC';
    const a = await writeDeterministicZip(entries(), join(dir, 'a.zip'));
    process.env.TZ = 'Asia/Tokyo';
    const b = await writeDeterministicZip(entries().reverse(), join(dir, 'b.zip'));
    process.env.TZ = 'America/Los_Angeles';
    const c = await writeDeterministicZip(entries(), join(dir, 'c.zip'));

    expect(readFileSync(join(dir, 'a.zip')).equals(readFileSync(join(dir, 'b.zip')))).toBe(true);
    expect(readFileSync(join(dir, 'a.zip')).equals(readFileSync(join(dir, 'c.zip')))).toBe(true);
    expect(b.sha256).toBe(a.sha256);
    expect(c.sha256).toBe(a.sha256);
  });

  it('reports the base64 SHA-256 of the file (what filebase64sha256 returns) and its size', async () => {
    const result = await writeDeterministicZip(entries(), join(dir, 'd.zip'));

    const bytes = readFileSync(join(dir, 'd.zip'));
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('base64'));
    expect(result.bytes).toBe(bytes.length);
  });

  it('stores sorted entries with a fixed 1980-01-01 timestamp, fixed modes and no extra fields', async () => {
    process.env.TZ = 'Asia/Kolkata';
    await writeDeterministicZip(entries(), join(dir, 'e.zip'));

    const read = await readEntries(join(dir, 'e.zip'));
    expect(read.map((e) => e.fileName)).toEqual([
      'config/settings.json',
      'handler.js',
      'node_modules/tool/bin/ffprobe',
    ]);
    for (const e of read) {
      expect(e.lastModFileDate).toBe((0 << 9) | (1 << 5) | 1);
      expect(e.lastModFileTime).toBe(0);
      expect(e.extraFields).toEqual([]);
    }
    expect(read.map((e) => (e.externalFileAttributes >>> 16) & 0o777)).toEqual([
      0o644, 0o644, 0o755,
    ]);
  });

  it('refuses duplicate paths and leaves no file behind', async () => {
    const dupes = [...entries(), { path: 'handler.js', data: Buffer.from('x') }];

    await expect(writeDeterministicZip(dupes, join(dir, 'f.zip'))).rejects.toThrow(
      'Duplicate zip entry: handler.js',
    );
    expect(() => readFileSync(join(dir, 'f.zip'))).toThrow();
  });
});
