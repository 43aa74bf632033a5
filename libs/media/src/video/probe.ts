import { VideoProbeSchema, type VideoProbe } from '@slipway/events';
import { MediaInputError } from '../errors';
import { resolveFfprobe } from './binaries';
import { VideoToolError } from './errors';
import { failureError, prepareInput } from './input';
import { runTool } from './run-tool';

/** Options of {@link probeVideo}; every field has a default. */
export interface ProbeOptions {
  /** Stop ffprobe after this many milliseconds. Default 30 000. */
  readonly timeoutMs?: number;
  /** Stop ffprobe when its JSON grows past this many bytes. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  /** The ffprobe binary. Default {@link resolveFfprobe}(). */
  readonly ffprobePath?: string;
}

/** Defaults of {@link ProbeOptions}. */
export const PROBE_DEFAULTS = { timeoutMs: 30_000, maxOutputBytes: 1024 * 1024 } as const;

/**
 * Describes a video with ffprobe (`-show_format -show_streams`, JSON): container, duration,
 * overall bitrate, the first video stream (codec, size, frame rate, rotation) and the first
 * audio stream. Only the header and index are read, so an S3 presigned URL costs a few ranged
 * GETs, not a download.
 *
 * @param source - a local file path, or an `http(s)` URL such as an S3 presigned GET URL.
 * @returns the `probe.json` content, validated against `VideoProbeSchema`.
 * @throws {MediaInputError} `CORRUPT_VIDEO` when ffprobe cannot read the file (its first error
 * line is quoted) or reports a stream without usable dimensions; `UNSUPPORTED_VIDEO` when the
 * file has no video stream (an audio-only MP4) or is not MP4 / QuickTime.
 * @throws {VideoToolError} when the input cannot be fetched, ffprobe times out or misbehaves.
 *
 * @example
 * await probeVideo('/tmp/clip.mp4');
 * // { container: 'mp4', durationSeconds: 2, bitrate: 114940,
 * //   video: { codec: 'h264', width: 640, height: 360, frameRate: 25, bitrate: 47614, rotation: 0 },
 * //   audio: { codec: 'aac', channels: 2, sampleRate: 48000, bitrate: 64919 } }
 */
export async function probeVideo(source: string, options: ProbeOptions = {}): Promise<VideoProbe> {
  const prepared = prepareInput(source);
  const ffprobe = options.ffprobePath ?? resolveFfprobe();
  const args = [
    '-hide_banner',
    '-v',
    'error',
    ...prepared.options,
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    '-i',
    prepared.input,
  ];
  const result = await runTool('ffprobe', ffprobe, args, {
    timeoutMs: options.timeoutMs ?? PROBE_DEFAULTS.timeoutMs,
    maxStdoutBytes: options.maxOutputBytes ?? PROBE_DEFAULTS.maxOutputBytes,
  });
  if (result.code !== 0) throw failureError('ffprobe', prepared, result);

  let json: unknown;
  try {
    json = JSON.parse(result.stdout.toString('utf8'));
  } catch (error) {
    throw new VideoToolError(
      'ffprobe',
      'FAILED',
      `ffprobe printed no valid JSON for ${prepared.label}.`,
      {
        cause: error,
        stderr: result.stderr,
      },
    );
  }
  return videoProbeFromFfprobe(json, prepared.label);
}

/** The parts of ffprobe's JSON that are read; everything is optional there. */
interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  bit_rate?: string;
  channels?: number;
  sample_rate?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}
interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: {
    format_name?: string;
    duration?: string;
    bit_rate?: string;
    tags?: Record<string, string>;
  };
}

/**
 * Maps ffprobe's `-print_format json -show_format -show_streams` output to a
 * {@link VideoProbe}. Exported for tests and for callers that already hold ffprobe's JSON.
 *
 * - `container`: one stable name per demuxer: the ISO-BMFF demuxer (`mov,mp4,m4a,3gp,3g2,mj2`)
 *   becomes `mov` for QuickTime files (major brand `qt  `, or no `ftyp` at all), `3gp` for 3GPP
 *   and 3GPP2 brands (`3gp5`, `3g2a`…), else `mp4` (M4V included); any other demuxer gives the
 *   first name of its list.
 * - a `3gp` file must hold H.264 or HEVC video and AAC audio or none ({@link PHONE_VIDEO_CODECS}).
 * - `frameRate`: `avg_frame_rate` as a number rounded to 3 decimals (`30000/1001` → 29.97);
 *   absent when ffprobe does not know it (`0/0`).
 * - `rotation`: clockwise degrees, one of 0 / 90 / 180 / 270. From the display matrix when
 *   there is one (ffprobe prints its angle COUNTER-clockwise, so it is negated), else from the
 *   legacy `rotate` tag (already clockwise); rounded to the nearest quarter turn.
 * - Cover art (`attached_pic`) is not a video stream.
 *
 * @param label - how to name the input in error messages.
 * @throws {MediaInputError} `UNSUPPORTED_VIDEO` without a video stream or for a 3GPP file with
 * other codecs; `CORRUPT_VIDEO` when the result does not satisfy `VideoProbeSchema` (for example
 * a video stream of width 0).
 */
export function videoProbeFromFfprobe(json: unknown, label = 'the video'): VideoProbe {
  const output = (typeof json === 'object' && json !== null ? json : {}) as FfprobeOutput;
  const streams = Array.isArray(output.streams) ? output.streams : [];
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (video === undefined) {
    const found = streams.map((s) => `${s.codec_type ?? '?'} ${s.codec_name ?? '?'}`).join(', ');
    throw new MediaInputError(
      'UNSUPPORTED_VIDEO',
      `${label} has no video stream (streams found: ${found === '' ? 'none' : found}).`,
    );
  }
  const format = output.format ?? {};
  const container = containerName(format.format_name, format.tags?.major_brand);
  if (container === '3gp') checkPhoneCodecs(label, video.codec_name, audio?.codec_name);
  const candidate = {
    container,
    durationSeconds: decimal(format.duration) ?? 0,
    bitrate: integer(format.bit_rate),
    video: {
      codec: video.codec_name ?? 'unknown',
      width: video.width,
      height: video.height,
      frameRate: frameRate(video.avg_frame_rate),
      bitrate: integer(video.bit_rate),
      rotation: rotationOf(video),
    },
    audio:
      audio === undefined
        ? undefined
        : {
            codec: audio.codec_name ?? 'unknown',
            channels: audio.channels,
            sampleRate: integer(audio.sample_rate),
            bitrate: integer(audio.bit_rate),
          },
  };
  const parsed = VideoProbeSchema.safeParse(withoutUndefined(candidate));
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new MediaInputError(
      'CORRUPT_VIDEO',
      `${label} has inconsistent stream information (${issues}).`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

/** Codecs of a 3GPP / 3GPP2 file the renditions (MediaConvert, the sandbox's stand-in) read. */
export const PHONE_VIDEO_CODECS: readonly string[] = ['h264', 'hevc'];
export const PHONE_AUDIO_CODECS: readonly string[] = ['aac'];

/**
 * 3GPP and 3GPP2 files (brands `3gp4`…`3gp6`, `3g2a`…) are accepted when they hold what an MP4
 * would: H.264 or HEVC video, AAC audio or none. Older phones wrote H.263 or MPEG-4 Part 2
 * video and AMR audio into the same containers; those are refused here, at Probe, with a way to
 * convert, rather than failing later in the rendition.
 */
function checkPhoneCodecs(label: string, video: string | undefined, audio: string | undefined) {
  const videoOk = video !== undefined && PHONE_VIDEO_CODECS.includes(video);
  const audioOk = audio === undefined || PHONE_AUDIO_CODECS.includes(audio);
  if (videoOk && audioOk) return;
  const held = [`${video ?? 'unknown'} video`, ...(audio === undefined ? [] : [`${audio} audio`])];
  throw new MediaInputError(
    'UNSUPPORTED_VIDEO',
    `${label} is a 3GPP file with ${held.join(' and ')}; only H.264 or HEVC video with AAC audio can be processed in 3GPP. Convert it to MP4 (for example: ffmpeg -i input.3gp -c:v libx264 -c:a aac output.mp4) and upload that.`,
  );
}

/** One name for a demuxer; see {@link videoProbeFromFfprobe}. */
export function containerName(
  formatName: string | undefined,
  majorBrand: string | undefined,
): string {
  const names = (formatName ?? '').split(',').filter((n) => n !== '');
  if (names.includes('mov') && names.includes('mp4')) {
    const brand = (majorBrand ?? '').trim().toLowerCase();
    if (brand === '' || brand === 'qt') return 'mov';
    if (brand.startsWith('3g')) return '3gp';
    return 'mp4';
  }
  return names[0] ?? 'unknown';
}

/** Clockwise rotation in quarter turns; see {@link videoProbeFromFfprobe}. */
function rotationOf(stream: FfprobeStream): number {
  const matrix = stream.side_data_list?.find(
    (sd) => sd.side_data_type === 'Display Matrix' && typeof sd.rotation === 'number',
  );
  if (matrix?.rotation !== undefined) return quarterTurns(-matrix.rotation);
  const tag = decimal(stream.tags?.rotate);
  return tag === undefined ? 0 : quarterTurns(tag);
}

function quarterTurns(degrees: number): number {
  const snapped = Math.round(degrees / 90) * 90;
  return (((snapped % 360) + 360) % 360) + 0; // `+ 0` turns -0 into 0
}

function frameRate(ratio: string | undefined): number | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(ratio ?? '');
  if (match === null) {
    const n = decimal(ratio);
    return n !== undefined && n > 0 ? n : undefined;
  }
  const [num, den] = [Number(match[1]), Number(match[2])];
  if (num === 0 || den === 0) return undefined;
  return Math.round((num / den) * 1000) / 1000;
}

function decimal(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '' || value === 'N/A') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function integer(value: string | number | undefined): number | undefined {
  const n = decimal(value);
  return n === undefined ? undefined : Math.round(n);
}

/** A copy without `undefined` members, so optional fields are absent rather than undefined. */
function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
