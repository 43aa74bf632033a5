import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaInputError, probeVideo } from '@slipway/media';
import { generateTestVideo, setVideoRotation } from '@slipway/samples';
import { readJobSettings, renderJob } from '../../src/mediaconvert';
import { flowJobSettings } from './support/render-rendition';
import { makeTempDir, topLevelBoxes, videoFixture, videoStreamEntry } from './support/video';

// Real encodes: a few hundred milliseconds each here, more on a loaded CI machine.
jest.setTimeout(60_000);

/** What the sandbox does for the flow's RenderRendition Task, minus S3. */
const render = (input: string, output: string) =>
  renderJob(readJobSettings(flowJobSettings()), input, output);

describe('renderJob (ffmpeg, the flow’s RenderRendition settings)', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeAll(async () => {
    temp = await makeTempDir();
  });
  afterAll(() => temp.remove());

  it('keeps a 640×360 clip at 640×360 (never upscales), H.264 High + AAC stereo 48 kHz', async () => {
    // Prepare
    const output = join(temp.dir, 'clip-720p.mp4');

    // Act
    await render(videoFixture('clip.mp4'), output);

    // Assess
    const probe = await probeVideo(output);
    expect(probe.container).toBe('mp4');
    expect(probe.video).toMatchObject({ codec: 'h264', width: 640, height: 360, frameRate: 25 });
    expect(probe.audio).toMatchObject({ codec: 'aac', channels: 2, sampleRate: 48000 });
    expect(Math.abs(probe.durationSeconds - 2)).toBeLessThan(0.05);
    expect(await videoStreamEntry(output, 'profile')).toBe('High');
    // Faststart: the index (moov) before the media data (mdat).
    const boxes = await topLevelBoxes(output);
    expect(boxes.indexOf('moov')).toBeGreaterThan(-1);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
  });

  it('scales 1920×1080 down to 1280×720', async () => {
    // Prepare
    const source = await generateTestVideo(join(temp.dir, 'hd.mp4'), {
      width: 1920,
      height: 1080,
      seconds: 1,
    });
    const output = join(temp.dir, 'hd-720p.mp4');

    // Act
    await render(source, output);

    // Assess
    expect((await probeVideo(output)).video).toMatchObject({ width: 1280, height: 720 });
  });

  it('limits a portrait video by its height as shown', async () => {
    // Prepare: 1920×1080 stored, shown turned a quarter: 1080×1920 on screen.
    const stored = await generateTestVideo(join(temp.dir, 'hd-portrait.mp4'), {
      width: 1920,
      height: 1080,
      seconds: 1,
      audio: false,
    });
    await writeFile(stored, setVideoRotation(await readFile(stored), 90));
    const output = join(temp.dir, 'hd-portrait-720p.mp4');

    // Act
    await render(stored, output);

    // Assess: upright pixels (rotation applied, none left to signal), 720 high.
    expect((await probeVideo(output)).video).toMatchObject({
      width: 406,
      height: 720,
      rotation: 0,
    });
  });

  it('applies the rotation of the portrait fixture: 360×640 upright', async () => {
    const output = join(temp.dir, 'portrait-720p.mp4');

    await render(videoFixture('portrait-rotated.mp4'), output);

    expect((await probeVideo(output)).video).toMatchObject({
      width: 360,
      height: 640,
      rotation: 0,
    });
  });

  it('gives a video-only MP4 for a video without audio', async () => {
    const output = join(temp.dir, 'silent-720p.mp4');

    await render(videoFixture('silent.mov'), output);

    const probe = await probeVideo(output);
    expect(probe.container).toBe('mp4');
    expect(probe.audio).toBeUndefined();
  });

  it('gives identical bytes for the same input, run after run', async () => {
    // Prepare
    const first = join(temp.dir, 'same-1.mp4');
    const second = join(temp.dir, 'same-2.mp4');

    // Act
    await render(videoFixture('clip.mp4'), first);
    await render(videoFixture('clip.mp4'), second);

    // Assess
    expect((await readFile(second)).equals(await readFile(first))).toBe(true);
  });

  it.each([
    ['corrupt.mp4', 'CORRUPT_VIDEO'],
    ['not-video.mp4', 'UNSUPPORTED_VIDEO'],
  ])('rejects %s as %s and leaves no partial output', async (name, problem) => {
    // Prepare
    const output = join(temp.dir, `${name}-720p.mp4`);

    // Act
    const error = await render(videoFixture(name), output).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(MediaInputError);
    expect(error).toMatchObject({ problem });
    expect(existsSync(output)).toBe(false);
  });
});
