import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { probeVideo, resolveFfmpeg } from '@slipway/media';
import {
  generateVideoSamples,
  setVideoRotation,
  VIDEO_FIXTURES_DIR as VIDEO_FIXTURES,
  VIDEO_SAMPLE_NAMES,
} from '../../src';

/** Absolute path of a committed video fixture. */
const videoFixture = (name: string) => join(VIDEO_FIXTURES, name);

/** A fresh temporary folder and its removal, for `beforeAll` / `afterAll` or try/finally. */
async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-video-samples-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

jest.setTimeout(60_000);

describe('video fixtures', () => {
  const stored = readdirSync(VIDEO_FIXTURES)
    .filter((name) => name !== 'README.md')
    .sort();

  it('are exactly the files the generator writes', () => {
    expect(stored).toEqual([...VIDEO_SAMPLE_NAMES].sort());
  });

  it.each(stored)('%s is small (under 200 KB) and described in the README', (name) => {
    expect(statSync(videoFixture(name)).size).toBeLessThan(200_000);
    expect(readFileSync(join(VIDEO_FIXTURES, 'README.md'), 'utf8')).toContain(`| \`${name}\``);
  });

  it('come out byte-identical when regenerated with the pinned ffmpeg', async () => {
    // Prepare: the devDependency binary, whatever FFMPEG_PATH says: other builds differ.
    const temp = await makeTempDir();
    try {
      // Act
      const written = await generateVideoSamples(temp.dir, resolveFfmpeg({ env: {} }));

      // Assess
      expect(written.map((file) => basename(file))).toEqual([...VIDEO_SAMPLE_NAMES]);
      for (const file of written) {
        const fresh = await readFile(file);
        const committed = await readFile(videoFixture(basename(file)));
        expect({ file: basename(file), same: fresh.equals(committed) }).toEqual({
          file: basename(file),
          same: true,
        });
      }
    } finally {
      await temp.remove();
    }
  });
});

describe('setVideoRotation', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeAll(async () => {
    temp = await makeTempDir();
  });
  afterAll(() => temp.remove());

  it.each([90, 180, 270] as const)(
    'writes a display matrix that ffprobe reads as %i° clockwise',
    async (degrees) => {
      // Prepare
      const file = join(temp.dir, `clip-${degrees}.mp4`);

      // Act
      await writeFile(file, setVideoRotation(await readFile(videoFixture('clip.mp4')), degrees));

      // Assess
      expect((await probeVideo(file)).video?.rotation).toBe(degrees);
    },
  );

  it('touches only the video track header', async () => {
    // Prepare
    const original = await readFile(videoFixture('clip.mp4'));

    // Act
    const rotated = setVideoRotation(original, 90);

    // Assess: same length, and the differing bytes all lie within one 36-byte matrix.
    expect(rotated.length).toBe(original.length);
    const changed = [...rotated.keys()].filter((i) => rotated[i] !== original[i]);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed[changed.length - 1] - changed[0]).toBeLessThan(36);
  });

  it('refuses a file without a video track', async () => {
    const audioOnly = await readFile(videoFixture('not-video.mp4'));

    expect(() => setVideoRotation(audioOnly, 90)).toThrow(/no video track header/);
  });
});
