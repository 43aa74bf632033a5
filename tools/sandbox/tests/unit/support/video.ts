import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveFfprobe } from '@slipway/media';

const run = promisify(execFile);

/** `libs/media/tests/fixtures/videos/`, written by `tools/samples/src/media/video-samples.ts`. */
export const VIDEO_FIXTURES = join(__dirname, '../../../../../libs/media/tests/fixtures/videos');

/** Absolute path of a video fixture. */
export function videoFixture(name: string): string {
  return join(VIDEO_FIXTURES, name);
}

/** A fresh temporary folder and its removal, for `beforeAll` / `afterAll`. */
export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-render-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Types of an ISO-BMFF file's top-level boxes, in file order (`ftyp`, `moov`, `mdat`...). */
export async function topLevelBoxes(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  const types: string[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    let size = bytes.readUInt32BE(at);
    if (size === 1) size = Number(bytes.readBigUInt64BE(at + 8));
    if (size === 0) size = bytes.length - at;
    types.push(bytes.toString('latin1', at + 4, at + 8));
    if (size < 8) break;
    at += size;
  }
  return types;
}

/** One ffprobe entry of the first video stream, e.g. `profile` → `High`. */
export async function videoStreamEntry(file: string, entry: string): Promise<string> {
  const { stdout } = await run(resolveFfprobe(), [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    `stream=${entry}`,
    '-of',
    'default=noprint_wrappers=1:nokey=1',
    file,
  ]);
  return stdout.trim();
}
