import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `tests/fixtures/videos/`, written by `tools/samples/src/media/video-samples.ts`. */
export const VIDEO_FIXTURES = join(__dirname, '..', '..', 'fixtures', 'videos');

/** Absolute path of a video fixture. */
export function videoFixture(name: string): string {
  return join(VIDEO_FIXTURES, name);
}

/** A fresh temporary folder and its removal, for `beforeAll` / `afterAll`. */
export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-video-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
