import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

/** One file to put into a zip. */
export interface ZipEntry {
  /** Path inside the zip, with `/` separators. */
  path: string;
  data: Buffer;
  /** Keep the executable bit (e.g. ffmpeg binaries); everything else is 0644. */
  executable?: boolean;
}

/** What was written. */
export interface ZipResult {
  bytes: number;
  /** Base64 SHA-256 of the zip: the value Terraform's `filebase64sha256()` returns. */
  sha256: string;
}

/**
 * The one timestamp every entry carries. yazl converts a `Date` to DOS date/time with the
 * machine's local-time getters, so the date is built from local components: the stored
 * fields are then 1980-01-01 00:00:00 whatever the time zone.
 */
function fixedTimestamp(): Date {
  return new Date(1980, 0, 1, 0, 0, 0);
}

/**
 * Writes a reproducible zip: entries sorted by path, fixed DOS timestamps (no extended
 * timestamp field), fixed modes, fixed compression. The same entries give byte-identical
 * output across machines, time zones and umasks. The file appears atomically: it is written
 * next to `outFile` and renamed, so a failure never leaves a half-written zip.
 */
export async function writeDeterministicZip(
  entries: readonly ZipEntry[],
  outFile: string,
): Promise<ZipResult> {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].path === sorted[i - 1].path)
      throw new Error(`Duplicate zip entry: ${sorted[i].path}`);
  }
  const zip = new ZipFile();
  const mtime = fixedTimestamp();
  for (const entry of sorted) {
    zip.addBuffer(entry.data, entry.path, {
      mtime,
      mode: entry.executable ? 0o100755 : 0o100644,
      compress: true,
      forceDosTimestamp: true,
    });
  }
  zip.end();

  const tmp = `${outFile}.tmp-${process.pid}`;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    zip.outputStream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    await pipeline(zip.outputStream, createWriteStream(tmp, { mode: 0o644 }));
    await rename(tmp, outFile);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return { bytes, sha256: hash.digest('base64') };
}
