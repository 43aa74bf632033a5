/**
 * Writes the video fixtures of `libs/media/tests/fixtures/videos/` with the ffmpeg that the
 * library itself resolves (`FFMPEG_PATH`, else `@ffmpeg-installer/linux-<arch>`), from ffmpeg's
 * own synthetic sources (`testsrc` picture, `sine` tone): no file from outside the repository.
 *
 *   npx tsx tools/samples/src/media/video-samples.ts [outDir]
 *
 * The same ffmpeg build gives the same bytes on any machine: the encoder runs on one thread
 * (x264 records its thread count in the stream and frame threading changes the bitstream),
 * and `+bitexact` / `-map_metadata -1` keep version strings and dates out of the files.
 * The tests in `tools/samples/tests/unit/video-samples.spec.ts` regenerate them and compare.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '@slipway/media';

const run = promisify(execFile);

/** `libs/media/tests/fixtures/videos`: where the committed video fixtures live. */
export const VIDEO_FIXTURES_DIR = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'libs/media/tests/fixtures/videos',
);

/** What {@link generateTestVideo} encodes. */
export interface TestVideoSpec {
  readonly width: number;
  readonly height: number;
  readonly seconds: number;
  /** Frames per second. Default 25. */
  readonly fps?: number;
  /** A 440 Hz stereo AAC track beside the picture. Default true. */
  readonly audio?: boolean;
  /**
   * ffmpeg muxer: `mp4` (ISO brand `isom`), `mov` (QuickTime brand `qt  `) or `3gp` (3GPP, brand
   * `3gp4`, or {@link brand}). Default `mp4`.
   */
  readonly format?: 'mp4' | 'mov' | '3gp';
  /** The `ftyp` major brand the muxer writes instead of its own (e.g. `3gp5`, as Android phones do). */
  readonly brand?: string;
  /** The video encoder: `libx264` (H.264, default) or `mpeg4` (MPEG-4 Part 2, as old phones wrote). */
  readonly videoCodec?: 'libx264' | 'mpeg4';
  /** x264 constant rate factor; higher is smaller. Default 30 (fixtures only need to decode). */
  readonly crf?: number;
}

/** Flags that make the output depend only on the input and the ffmpeg build. */
const REPRODUCIBLE = [
  '-map_metadata',
  '-1',
  '-fflags',
  '+bitexact',
  '-flags:v',
  '+bitexact',
  '-flags:a',
  '+bitexact',
  '-threads',
  '1',
];

/**
 * Encodes ffmpeg's `testsrc` pattern (and optionally a tone) into `file`: H.264 High 4:2:0,
 * AAC-LC 48 kHz stereo. Used for the fixtures and, by the tests, for sizes not worth storing
 * (the 1920×1080 source of the downscale test).
 *
 * @example
 * await generateTestVideo('/tmp/hd.mp4', { width: 1920, height: 1080, seconds: 1 });
 */
export async function generateTestVideo(
  file: string,
  spec: TestVideoSpec,
  ffmpeg: string = resolveFfmpeg(),
): Promise<string> {
  const { width, height, seconds, fps = 25, audio = true, format = 'mp4', crf = 30 } = spec;
  const { brand, videoCodec = 'libx264' } = spec;
  const video =
    videoCodec === 'libx264'
      ? // asm=0: x264's assembly differs by CPU (AVX-512 or not) in floating-point rounding, so the
        // same command wrote different files on two machines of the same kind; its C code does not.
        ['-c:v', 'libx264', '-preset', 'medium', '-crf', String(crf), '-x264-params', 'asm=0']
      : ['-c:v', 'mpeg4', '-q:v', '10'];
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
    ...(audio
      ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`]
      : []),
    ...video,
    '-pix_fmt',
    'yuv420p',
    ...(audio ? ['-c:a', 'aac', '-b:a', '64k', '-ac', '2'] : ['-an']),
    ...REPRODUCIBLE,
    ...(brand === undefined ? [] : ['-brand', brand]),
    '-f',
    format,
    file,
  ];
  await run(ffmpeg, args);
  return file;
}

/**
 * Sets the display matrix of every video track (a `tkhd` with a non-zero width) of an MP4 /
 * QuickTime file to a clockwise rotation, in place of ffmpeg's `-metadata:s:v rotate=`: the
 * ffmpeg 4.1 build in `@ffmpeg-installer/linux-x64` ignores that tag when encoding and, when
 * stream-copying, writes the matrix of the OPPOSITE direction (rotate=90 plays 90°
 * counter-clockwise in ffmpeg 4.1, 5.1 and ffprobe 6.0 alike). Writing the matrix ourselves
 * gives the same file whichever ffmpeg made the picture.
 *
 * Matrix layout: ISO/IEC 14496-12 §8.3.2 (`tkhd`), values as FFmpeg's movenc writes them for
 * the `rotate` tag: {a, b, u, c, d, v, x, y, w}, a–d / x–y in 16.16 fixed point, u–w in 2.30.
 */
export function setVideoRotation(file: Buffer, clockwise: 90 | 180 | 270): Buffer {
  const out = Buffer.from(file);
  let patched = 0;
  for (const tkhd of findBoxes(out, ['moov', 'trak', 'tkhd'])) {
    const version = out[tkhd.start + 8];
    const matrixAt = tkhd.start + 8 + 4 + (version === 1 ? 32 : 20) + 16;
    const width = out.readUInt32BE(matrixAt + 36); // 16.16, like the matrix's translations
    const height = out.readUInt32BE(matrixAt + 40);
    if (width === 0 || height === 0) continue; // an audio track
    const one = 0x10000;
    const [a, b, c, d, x, y] =
      clockwise === 90
        ? [0, one, -one, 0, height, 0]
        : clockwise === 180
          ? [-one, 0, 0, -one, width, height]
          : [0, -one, one, 0, 0, width];
    [a, b, 0, c, d, 0, x, y, 0x40000000].forEach((value, i) =>
      out.writeInt32BE(value | 0, matrixAt + 4 * i),
    );
    patched += 1;
  }
  if (patched === 0) throw new Error('setVideoRotation: no video track header (tkhd) found');
  return out;
}

/**
 * Makes the container claim `seconds` of duration while the media stays as it is, as some phones
 * and broken muxers write: the movie header (`mvhd`, in its timescale), every track header
 * (`tkhd`, in the movie's timescale), every media header (`mdhd`, in the track's timescale) and
 * the edit lists' segment durations (`elst`, movie timescale). The sample tables are untouched,
 * so decoders find the real frames; what reads the header alone sees `seconds`. Layouts:
 * ISO/IEC 14496-12 §8.2.2 (`mvhd`), §8.3.2 (`tkhd`), §8.4.2 (`mdhd`), §8.6.6 (`elst`).
 */
export function overstateDuration(file: Buffer, seconds: number): Buffer {
  const out = Buffer.from(file);
  const [mvhd] = findBoxes(out, ['moov', 'mvhd']);
  if (mvhd === undefined) throw new Error('overstateDuration: no movie header (mvhd) found');
  const movieV1 = out[mvhd.start + 8] === 1;
  const movieScale = out.readUInt32BE(mvhd.start + 12 + (movieV1 ? 16 : 8));
  const write = (at: number, v1: boolean, value: number) =>
    v1 ? out.writeBigUInt64BE(BigInt(value), at) : out.writeUInt32BE(value, at);
  // version/flags (4), creation and modification times (4 or 8 each), timescale (4), duration.
  write(mvhd.start + 12 + (movieV1 ? 20 : 12), movieV1, seconds * movieScale);
  for (const tkhd of findBoxes(out, ['moov', 'trak', 'tkhd'])) {
    const v1 = out[tkhd.start + 8] === 1;
    // version/flags, creation, modification, track_ID (4), reserved (4), duration.
    write(tkhd.start + 12 + (v1 ? 24 : 16), v1, seconds * movieScale);
  }
  for (const mdhd of findBoxes(out, ['moov', 'trak', 'mdia', 'mdhd'])) {
    const v1 = out[mdhd.start + 8] === 1;
    const scale = out.readUInt32BE(mdhd.start + 12 + (v1 ? 16 : 8));
    write(mdhd.start + 12 + (v1 ? 20 : 12), v1, seconds * scale);
  }
  for (const elst of findBoxes(out, ['moov', 'trak', 'edts', 'elst'])) {
    const v1 = out[elst.start + 8] === 1;
    const entries = out.readUInt32BE(elst.start + 12);
    for (let i = 0; i < entries; i++) {
      // Each entry: segment_duration, media_time (4 or 8 each), media rate (4).
      write(elst.start + 16 + i * (v1 ? 20 : 12), v1, seconds * movieScale);
    }
  }
  return out;
}

interface Box {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

/** Boxes at `path` (e.g. moov → trak → tkhd), every match at each level. */
function findBoxes(file: Buffer, path: readonly string[], start = 0, end = file.length): Box[] {
  const [head, ...rest] = path;
  const found: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = Number(file.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) break; // truncated or not a box: stop quietly
    if (type === head) {
      const box = { type, start: at, end: at + size };
      found.push(...(rest.length === 0 ? [box] : findBoxes(file, rest, at + header, at + size)));
    }
    at += size;
  }
  return found;
}

/** One fixture: its file name, what it is, and how it is made. */
interface Sample {
  readonly name: string;
  readonly make: (file: string, ffmpeg: string) => Promise<void>;
}

const SAMPLES: readonly Sample[] = [
  {
    name: 'clip.mp4',
    make: async (file, ffmpeg) => {
      await generateTestVideo(file, { width: 640, height: 360, seconds: 2 }, ffmpeg);
    },
  },
  {
    name: 'portrait-rotated.mp4',
    make: async (file, ffmpeg) => {
      await generateTestVideo(file, { width: 640, height: 360, seconds: 2 }, ffmpeg);
      await writeFile(file, setVideoRotation(await readFile(file), 90));
    },
  },
  {
    name: 'short.mp4',
    make: async (file, ffmpeg) => {
      await generateTestVideo(file, { width: 640, height: 360, seconds: 0.4 }, ffmpeg);
    },
  },
  {
    // 2 s of frames in a container that says 10 hours (see overstateDuration).
    name: 'overstated-duration.mp4',
    make: async (file, ffmpeg) => {
      await generateTestVideo(file, { width: 640, height: 360, seconds: 2 }, ffmpeg);
      await writeFile(file, overstateDuration(await readFile(file), 36_000));
    },
  },
  {
    // What Android phones record: H.264 + AAC in 3GPP with major brand `3gp5`.
    name: 'phone.3gp',
    make: async (file, ffmpeg) => {
      await generateTestVideo(
        file,
        { width: 320, height: 240, seconds: 1, format: '3gp', brand: '3gp5' },
        ffmpeg,
      );
    },
  },
  {
    // What old phones recorded: MPEG-4 Part 2 video in 3GPP, which Probe refuses.
    name: 'mpeg4-part2.3gp',
    make: async (file, ffmpeg) => {
      await generateTestVideo(
        file,
        { width: 176, height: 144, seconds: 1, format: '3gp', videoCodec: 'mpeg4' },
        ffmpeg,
      );
    },
  },
  {
    name: 'silent.mov',
    make: async (file, ffmpeg) => {
      await generateTestVideo(
        file,
        { width: 640, height: 360, seconds: 2, audio: false, format: 'mov' },
        ffmpeg,
      );
    },
  },
  {
    // ffmpeg writes `moov` (the index) after `mdat` unless asked for faststart, so keeping
    // the first 30 % keeps `ftyp` and part of the media data but loses the index entirely.
    name: 'corrupt.mp4',
    make: async (file, ffmpeg) => {
      await generateTestVideo(file, { width: 640, height: 360, seconds: 2 }, ffmpeg);
      const whole = await readFile(file);
      await writeFile(file, whole.subarray(0, Math.floor(whole.length * 0.3)));
    },
  },
  {
    name: 'not-video.mp4',
    make: async (file, ffmpeg) => {
      await run(ffmpeg, [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=48000:duration=2',
        '-c:a',
        'aac',
        '-b:a',
        '64k',
        '-ac',
        '2',
        ...REPRODUCIBLE,
        '-f',
        'mp4',
        file,
      ]);
    },
  },
];

/** File names {@link generateVideoSamples} writes, in order. */
export const VIDEO_SAMPLE_NAMES: readonly string[] = SAMPLES.map((s) => s.name);

/**
 * Writes every video fixture into `outDir` (created if missing; files of the same name are
 * replaced) and returns their paths, in {@link VIDEO_SAMPLE_NAMES} order.
 */
export async function generateVideoSamples(
  outDir: string,
  ffmpeg: string = resolveFfmpeg(),
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const sample of SAMPLES) {
    const file = join(outDir, sample.name);
    await rm(file, { force: true });
    await sample.make(file, ffmpeg);
    written.push(file);
  }
  return written;
}

if (require.main === module) {
  const outDir = resolve(process.argv[2] ?? VIDEO_FIXTURES_DIR);
  generateVideoSamples(outDir).then(
    async (files) => {
      for (const file of files) {
        console.log(`${(await readFile(file)).length.toString().padStart(8)}  ${file}`);
      }
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
