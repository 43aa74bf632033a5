import { MediaError, MediaInputError } from '../errors';
import { resolveFfmpeg } from './binaries';
import { VideoToolError } from './errors';
import { failureError, prepareInput, stderrLines } from './input';
import { runTool } from './run-tool';

/** Options of {@link extractPoster}, {@link readVideoDuration} and {@link createPoster}. */
export interface PosterOptions {
  /** Stop ffmpeg after this many milliseconds. Default 30 000. */
  readonly timeoutMs?: number;
  /** Stop ffmpeg when the JPEG grows past this many bytes. Default 32 MiB. */
  readonly maxOutputBytes?: number;
  /** The ffmpeg binary. Default {@link resolveFfmpeg}(). */
  readonly ffmpegPath?: string;
}

/** Defaults of {@link PosterOptions}. */
export const POSTER_DEFAULTS = { timeoutMs: 30_000, maxOutputBytes: 32 * 1024 * 1024 } as const;

/**
 * ffmpeg's JPEG quality scale (`-q:v`, 2 = best … 31 = worst). 3 keeps a poster that
 * thumbnails are cut from visually lossless at about a third of the size of 2.
 */
export const POSTER_JPEG_QUALITY = 3;

/** Clips shorter than this take their poster at a fixed {@link SHORT_CLIP_POSTER_SECONDS}. */
const SHORT_CLIP_SECONDS = 10;
const SHORT_CLIP_POSTER_SECONDS = 1;

/**
 * When to take the poster frame: the flow's rule "a JPEG frame at 10 % of the duration,
 * capped at 1 s for short clips", read as:
 *
 * - clips of 10 s or more: 10 % of the duration (10 s → 1 s, 3600 s → 360 s);
 * - shorter clips: 1 s, because 10 % of a short clip lands in its first frames, which are
 *   often black or a fade-in; but never past the middle of the clip, so that the frame exists:
 *   `min(1 s, duration / 2)` (5 s → 1 s, 0.4 s → 0.2 s).
 *
 * Equivalently `max(10 % × d, min(1 s, d / 2))`: the two rules meet at 10 s, so the time never
 * jumps as the duration grows, and it is always within the clip. Rounded to the millisecond.
 *
 * @param durationSeconds - the video's duration, ≥ 0 (0 gives 0: the first frame).
 * @throws {MediaError} when the duration is negative or not a finite number (a caller bug).
 *
 * @example
 * posterTimeSeconds(3600); // 360
 * posterTimeSeconds(5); // 1
 * posterTimeSeconds(0.4); // 0.2
 */
export function posterTimeSeconds(durationSeconds: number): number {
  if (!Number.isFinite(durationSeconds) || durationSeconds < 0) {
    throw new MediaError(
      `posterTimeSeconds needs a duration in seconds ≥ 0, got ${durationSeconds}: pass the probed duration.`,
    );
  }
  const seconds =
    durationSeconds >= SHORT_CLIP_SECONDS
      ? durationSeconds * 0.1
      : Math.min(SHORT_CLIP_POSTER_SECONDS, durationSeconds / 2);
  return Math.round(seconds * 1000) / 1000;
}

/**
 * One frame of the video as a baseline JPEG. The frame is the first one shown at or after
 * `atSeconds`: `-ss` before `-i` seeks to the keyframe before it by the index, then decodes
 * forward to the exact time, so it is fast on long videos and exact. The picture is turned
 * as players show it (ffmpeg's default autorotate applies the display matrix: a portrait
 * phone video gives a portrait JPEG), at the stream's full size. The JPEG carries no metadata
 * (`-map_metadata -1`, `+bitexact`: no encoder comment), so the same input and ffmpeg build
 * always give the same bytes.
 *
 * @param source - a local file path, or an `http(s)` URL such as an S3 presigned GET URL.
 * @param atSeconds - where to take the frame; usually {@link posterTimeSeconds}(duration).
 * @throws {MediaInputError} `UNSUPPORTED_VIDEO` without a video stream; `CORRUPT_VIDEO` when the
 * file cannot be read or no frame can be decoded at `atSeconds` (a time inside the probed
 * duration that yields no frame means the file's index and data disagree).
 * @throws {VideoToolError} when the input cannot be fetched, ffmpeg times out or misbehaves.
 *
 * @example
 * const jpeg = await extractPoster(url, posterTimeSeconds(probe.durationSeconds));
 */
export async function extractPoster(
  source: string,
  atSeconds: number,
  options: PosterOptions = {},
): Promise<Buffer> {
  if (!Number.isFinite(atSeconds) || atSeconds < 0) {
    throw new MediaError(`extractPoster needs a time in seconds ≥ 0, got ${atSeconds}.`);
  }
  const prepared = prepareInput(source);
  const ffmpeg = options.ffmpegPath ?? resolveFfmpeg();
  const args = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    ...prepared.options,
    '-ss',
    atSeconds.toFixed(3),
    '-i',
    prepared.input,
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-c:v',
    'mjpeg',
    '-q:v',
    String(POSTER_JPEG_QUALITY),
    // Full-range 4:2:0 is what JPEG decoders expect; ffmpeg 4.x picks it anyway but warns.
    '-pix_fmt',
    'yuvj420p',
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-f',
    'image2pipe',
    'pipe:1',
  ];
  const result = await runTool('ffmpeg', ffmpeg, args, {
    timeoutMs: options.timeoutMs ?? POSTER_DEFAULTS.timeoutMs,
    maxStdoutBytes: options.maxOutputBytes ?? POSTER_DEFAULTS.maxOutputBytes,
  });
  if (result.code !== 0) throw failureError('ffmpeg', prepared, result);
  if (result.stdout.length === 0) {
    throw new NoFrameError(
      atSeconds,
      `${prepared.label}: no frame could be decoded at ${atSeconds} s (ffmpeg: ${stderrLines(result.stderr)[0] ?? 'no message'}).`,
    );
  }
  if (result.stdout[0] !== 0xff || result.stdout[1] !== 0xd8) {
    throw new VideoToolError('ffmpeg', 'FAILED', 'ffmpeg wrote something that is not a JPEG.', {
      stderr: result.stderr,
    });
  }
  return result.stdout;
}

/**
 * The video's duration in seconds (to the centisecond) as ffmpeg reports it when opening the
 * file, without ffprobe: the Poster Task runs in parallel with Probe, so it cannot read
 * `probe.json`, and its Lambda ships only ffmpeg (see README "Binaries"). Only the header and
 * index are read. An unknown duration (`N/A`) gives 0, whose poster is the first frame.
 *
 * @throws {MediaInputError} `UNSUPPORTED_VIDEO` when the file has no video stream;
 * `CORRUPT_VIDEO` when ffmpeg cannot open it.
 * @throws {VideoToolError} when the input cannot be fetched, ffmpeg times out or misbehaves.
 */
export async function readVideoDuration(
  source: string,
  options: PosterOptions = {},
): Promise<number> {
  const prepared = prepareInput(source);
  const ffmpeg = options.ffmpegPath ?? resolveFfmpeg();
  // No output file: ffmpeg prints the input's summary (level info) and exits with 1.
  const args = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'info',
    ...prepared.options,
    '-i',
    prepared.input,
  ];
  const result = await runTool('ffmpeg', ffmpeg, args, {
    timeoutMs: options.timeoutMs ?? POSTER_DEFAULTS.timeoutMs,
    maxStdoutBytes: 64 * 1024,
  });
  const lines = stderrLines(result.stderr);
  if (!lines.some((line) => line.startsWith('Input #0'))) {
    throw failureError('ffmpeg', prepared, result.code === 0 ? { ...result, code: 1 } : result);
  }
  const videoStream = (line: string) =>
    /^Stream #0:\d+.*: Video: /.test(line) && !line.includes('(attached pic)'); // cover art
  if (!lines.some(videoStream)) {
    throw new MediaInputError('UNSUPPORTED_VIDEO', `${prepared.label} has no video stream.`);
  }
  const duration = lines
    .map((line) => /^Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line))
    .find((match) => match !== null);
  if (duration === undefined) return 0; // `Duration: N/A`
  const [, hours, minutes, seconds] = duration;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/**
 * {@link extractPoster} found no frame at the time asked: a `MediaInputError` `CORRUPT_VIDEO`
 * (what the flow quarantines on) that says which time, so {@link createPoster} can try an
 * earlier one before giving up.
 */
export class NoFrameError extends MediaInputError {
  readonly atSeconds: number;

  constructor(atSeconds: number, message: string) {
    super('CORRUPT_VIDEO', message);
    this.atSeconds = atSeconds;
  }
}

/**
 * The times {@link createPoster} tries, in order, for a duration read from the container's
 * header: {@link posterTimeSeconds}, then 1 s, then the first frame, each only if earlier than
 * the one before. A header can overstate the duration (phones and broken muxers write `mvhd` /
 * `tkhd` / `mdhd` durations of hours for a clip of seconds): 10 % of that lands past the last
 * frame, and the ladder still finds one.
 *
 * @example
 * posterTimeLadder(36_000); // [3600, 1, 0]
 * posterTimeLadder(5); // [1, 0]
 * posterTimeLadder(0); // [0]
 */
export function posterTimeLadder(durationSeconds: number): number[] {
  const times = [posterTimeSeconds(durationSeconds)];
  for (const next of [SHORT_CLIP_POSTER_SECONDS, 0]) {
    if (next < (times.at(-1) as number)) times.push(next);
  }
  return times;
}

/** A poster and where it was taken. */
export interface Poster {
  /** The JPEG bytes. */
  readonly jpeg: Buffer;
  /** Where the frame was taken: the first time of {@link posterTimeLadder} that had a frame. */
  readonly atSeconds: number;
  /** The duration the container's header claims ({@link readVideoDuration}). */
  readonly durationSeconds: number;
  /** The earlier times tried that had no frame (empty when the header's duration was right). */
  readonly missedSeconds: readonly number[];
}

/**
 * The Poster Task's whole job on the video: read the duration, then extract the frame at each
 * time of {@link posterTimeLadder} until one decodes (10 % of the duration, 1 s, the first
 * frame). The header's duration is only a claim: a 2 s clip whose header says 10 hours gets its
 * poster at 1 s. A video with no decodable frame at all is still refused (`CORRUPT_VIDEO`,
 * naming every time tried). Each ffmpeg run reads only the header, the index and the frames
 * around its time.
 *
 * @example
 * const { jpeg, atSeconds } = await createPoster(presignedUrl);
 */
export async function createPoster(source: string, options: PosterOptions = {}): Promise<Poster> {
  const durationSeconds = await readVideoDuration(source, options);
  const ladder = posterTimeLadder(durationSeconds);
  const missedSeconds: number[] = [];
  for (const atSeconds of ladder) {
    try {
      const jpeg = await extractPoster(source, atSeconds, options);
      return { jpeg, atSeconds, durationSeconds, missedSeconds };
    } catch (error) {
      if (!(error instanceof NoFrameError)) throw error;
      missedSeconds.push(atSeconds);
    }
  }
  throw new NoFrameError(
    ladder.at(-1) as number,
    `${prepareInput(source).label}: no frame could be decoded at ${ladder.map((t) => `${t} s`).join(', ')} (the header says ${durationSeconds} s): the video has no decodable picture.`,
  );
}
