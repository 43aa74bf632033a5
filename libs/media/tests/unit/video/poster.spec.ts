import sharp from 'sharp';
import { MediaError, MediaInputError } from '../../../src/errors';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createPoster,
  extractPoster,
  NoFrameError,
  posterTimeLadder,
  posterTimeSeconds,
  readVideoDuration,
} from '../../../src/video';
import { makeTempDir, videoFixture } from './helpers';

describe('posterTimeSeconds', () => {
  it.each([
    // [duration, poster time, why]
    [0, 0, 'no duration: the first frame'],
    [0.4, 0.2, 'very short: the middle, so the frame exists'],
    [1.9, 0.95, 'under 2 s: still the middle'],
    [2, 1, 'from 2 s: 1 s in'],
    [5, 1, 'short clip: 1 s, not 10 % (0.5 s, often still black)'],
    [9.99, 1, 'just under 10 s: 1 s'],
    [10, 1, 'at 10 s both rules give 1 s'],
    [10.01, 1.001, 'just over 10 s: 10 %, no jump'],
    [61.2345, 6.123, '10 %, rounded to the millisecond'],
    [3600, 360, 'an hour: 6 minutes in'],
  ])('%d s → %d s (%s)', (duration, expected) => {
    expect(posterTimeSeconds(duration)).toBe(expected);
  });

  it('never goes backwards as the duration grows, and stays inside the clip', () => {
    let previous = 0;
    for (let centiseconds = 1; centiseconds <= 2_000; centiseconds += 1) {
      const duration = centiseconds / 100;
      const at = posterTimeSeconds(duration);
      expect(at).toBeGreaterThanOrEqual(previous);
      expect(at).toBeLessThan(duration);
      previous = at;
    }
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d as a duration', (duration) => {
    expect(() => posterTimeSeconds(duration)).toThrow(MediaError);
  });
});

describe('extractPoster', () => {
  /** Mean brightness (0–255) of a band along one edge of a JPEG. */
  async function edgeBrightness(jpeg: Buffer, edge: 'top' | 'bottom' | 'left' | 'right') {
    const { data, info } = await sharp(jpeg)
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const band = 20;
    const [x0, y0, w, h] = {
      top: [0, 0, info.width, band],
      bottom: [0, info.height - band, info.width, band],
      left: [0, 0, band, info.height],
      right: [info.width - band, 0, band, info.height],
    }[edge];
    let sum = 0;
    for (let y = y0; y < y0 + h; y += 1) {
      for (let x = x0; x < x0 + w; x += 1) sum += data[y * info.width + x];
    }
    return sum / (w * h);
  }

  it('returns a JPEG of the frame at the stream size, without metadata', async () => {
    // Act
    const jpeg = await extractPoster(videoFixture('clip.mp4'), 1);

    // Assess
    const metadata = await sharp(jpeg).metadata();
    expect(metadata).toMatchObject({
      format: 'jpeg',
      width: 640,
      height: 360,
      chromaSubsampling: '4:2:0',
    });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    // No COM segment either: +bitexact keeps ffmpeg's "Lavc58…" comment out.
    expect(jpeg.includes(Buffer.from([0xff, 0xfe]))).toBe(false);
    // testsrc draws a dark band on its left edge and a bright one on its right.
    expect(await edgeBrightness(jpeg, 'left')).toBeLessThan(80);
    expect(await edgeBrightness(jpeg, 'right')).toBeGreaterThan(200);
  });

  it('turns a rotated video as players show it', async () => {
    // Act
    const jpeg = await extractPoster(videoFixture('portrait-rotated.mp4'), 1);

    // Assess: portrait, and turned clockwise: the left edge of the picture is now on top.
    const metadata = await sharp(jpeg).metadata();
    expect(metadata).toMatchObject({ width: 360, height: 640 });
    expect(await edgeBrightness(jpeg, 'top')).toBeLessThan(80);
    expect(await edgeBrightness(jpeg, 'bottom')).toBeGreaterThan(200);
  });

  it('gives the same bytes for the same input and time', async () => {
    const first = await extractPoster(videoFixture('clip.mp4'), 1.5);
    const second = await extractPoster(videoFixture('clip.mp4'), 1.5);

    expect(second.equals(first)).toBe(true);
  });

  it('takes different frames at different times', async () => {
    const early = await extractPoster(videoFixture('clip.mp4'), 0.2);
    const late = await extractPoster(videoFixture('clip.mp4'), 1.5);

    expect(late.equals(early)).toBe(false);
  });

  it('finds a frame in the 0.4 s clip at its poster time', async () => {
    const jpeg = await extractPoster(videoFixture('short.mp4'), posterTimeSeconds(0.4));

    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 360 });
  });

  it('reports a time past the end as CORRUPT_VIDEO (the duration promised a frame)', async () => {
    const error = await extractPoster(videoFixture('clip.mp4'), 10).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MediaInputError);
    expect(error).toMatchObject({ problem: 'CORRUPT_VIDEO' });
    expect((error as Error).message).toMatch(/no frame could be decoded at 10 s/);
  });

  it.each([
    ['corrupt.mp4', 'CORRUPT_VIDEO'],
    ['not-video.mp4', 'UNSUPPORTED_VIDEO'],
  ])('rejects %s as %s', async (name, problem) => {
    const error = await extractPoster(videoFixture(name), 0).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MediaInputError);
    expect(error).toMatchObject({ name: 'MediaInputError', problem });
  });

  it('rejects a negative time', async () => {
    await expect(extractPoster(videoFixture('clip.mp4'), -1)).rejects.toThrow(MediaError);
  });
});

describe('readVideoDuration (ffmpeg only, for the Poster Lambda)', () => {
  it.each([
    ['clip.mp4', 2],
    ['short.mp4', 0.4],
    ['silent.mov', 2],
  ])('%s lasts about %d s', async (name, seconds) => {
    // ffmpeg prints centiseconds and counts the AAC priming: within 0.05 s of ffprobe.
    const duration = await readVideoDuration(videoFixture(name));

    expect(Math.abs(duration - seconds)).toBeLessThan(0.05);
  });

  it.each([
    ['corrupt.mp4', 'CORRUPT_VIDEO'],
    ['not-video.mp4', 'UNSUPPORTED_VIDEO'],
  ])('rejects %s as %s', async (name, problem) => {
    await expect(readVideoDuration(videoFixture(name))).rejects.toMatchObject({
      name: 'MediaInputError',
      problem,
    });
  });
});

describe('posterTimeLadder', () => {
  it.each([
    [36_000, [3600, 1, 0]],
    [10, [1, 0]],
    [5, [1, 0]],
    [0.4, [0.2, 0]],
    [0, [0]],
  ])('tries %d s at %j', (duration, times) => {
    expect(posterTimeLadder(duration)).toEqual(times);
  });
});

describe('createPoster', () => {
  it('takes the frame at the poster time of the duration', async () => {
    // Act
    const poster = await createPoster(videoFixture('portrait-rotated.mp4'));

    // Assess
    expect(poster.atSeconds).toBe(posterTimeSeconds(poster.durationSeconds));
    expect(poster.atSeconds).toBe(1);
    expect(await sharp(poster.jpeg).metadata()).toMatchObject({ width: 360, height: 640 });
    expect(poster.jpeg.equals(await extractPoster(videoFixture('portrait-rotated.mp4'), 1))).toBe(
      true,
    );
  });

  it('finds the frames of a 2 s clip whose header says 10 hours (at 1 s, after 3600 s had none)', async () => {
    // Prepare: the header claims 36,000 s; ffmpeg reports that as the duration.
    const file = videoFixture('overstated-duration.mp4');
    expect(await readVideoDuration(file)).toBe(36_000);

    // Act
    const poster = await createPoster(file);

    // Assess
    expect(poster).toMatchObject({ atSeconds: 1, durationSeconds: 36_000, missedSeconds: [3600] });
    expect(await sharp(poster.jpeg).metadata()).toMatchObject({
      format: 'jpeg',
      width: 640,
      height: 360,
    });
  });

  it('refuses a clip whose frames cannot be decoded at the first try, quoting ffmpeg', async () => {
    // Prepare: clip.mp4 with its media data zeroed: header and index intact, no picture.
    const temp = await makeTempDir();
    try {
      const clip = await readFile(videoFixture('clip.mp4'));
      const mdat = clip.indexOf('mdat', 0, 'latin1');
      clip.fill(0, mdat + 4, mdat - 4 + clip.readUInt32BE(mdat - 4));
      const file = join(temp.dir, 'blank.mp4');
      await writeFile(file, clip);

      // Act
      const error = await createPoster(file).catch((e: unknown) => e);

      // Assess: a decoding error is corruption, not a time without frames: no ladder.
      expect(error).toMatchObject({ name: 'MediaInputError', problem: 'CORRUPT_VIDEO' });
      expect(error).not.toBeInstanceOf(NoFrameError);
      expect((error as Error).message).toBe(
        `CORRUPT_VIDEO: ${file} is not a readable video (ffmpeg: [h264] Invalid NAL unit size (0 > 4216).).`,
      );
    } finally {
      await temp.remove();
    }
  });

  it('refuses a video with no frame at any time of the ladder, naming each', async () => {
    // Prepare: an ffmpeg that opens the file (2 s, one video stream) and never outputs a frame.
    const temp = await makeTempDir();
    try {
      const ffmpegPath = join(temp.dir, 'ffmpeg');
      await writeFile(
        ffmpegPath,
        [
          '#!/bin/sh',
          'case "$*" in *-frames:v*) exit 0 ;; esac',
          'echo "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from \'x\':" >&2',
          'echo "  Duration: 00:00:02.00, start: 0.000000, bitrate: 100 kb/s" >&2',
          'echo "    Stream #0:0(und): Video: h264 (High), yuv420p, 640x360, 25 fps" >&2',
          'exit 1',
          '',
        ].join('\n'),
        { mode: 0o755 },
      );

      // Act
      const error = await createPoster(videoFixture('clip.mp4'), { ffmpegPath }).catch(
        (e: unknown) => e,
      );

      // Assess
      expect(error).toBeInstanceOf(NoFrameError);
      expect(error).toMatchObject({ name: 'MediaInputError', problem: 'CORRUPT_VIDEO' });
      expect((error as Error).message).toBe(
        `CORRUPT_VIDEO: ${videoFixture('clip.mp4')}: no frame could be decoded at 1 s, 0 s (the header says 2 s): the video has no decodable picture.`,
      );
    } finally {
      await temp.remove();
    }
  });
});
