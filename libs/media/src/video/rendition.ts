import { rm } from 'node:fs/promises';
import { MediaIdSchema } from '@slipway/events';
import { MediaError } from '../errors';
import { resolveFfmpeg } from './binaries';
import { failureError, prepareInput } from './input';
import { runTool } from './run-tool';

/**
 * What a rendition is, once, in neutral terms. {@link mediaConvertJobSettings} (AWS) and
 * {@link ffmpegRenditionArgs} (the sandbox) are both derived from it, so the two cannot drift
 * apart field by field; where the two encoders have no common knob, the mapping is documented
 * on the field.
 */
export interface RenditionSpec {
  /** Names the MediaConvert output group. */
  readonly name: string;
  /** Appended to the destination's base name: `rendition` + `-720p` + `.mp4`. */
  readonly nameModifier: string;
  readonly extension: 'mp4';
  readonly contentType: 'video/mp4';
  readonly video: {
    readonly codec: 'h264';
    /** H.264 profile; the level is left to the encoder (`CodecLevel: AUTO`, no `-level`). */
    readonly profile: 'high';
    /**
     * Output height limit. Width follows the aspect ratio (rounded to even); a smaller input
     * keeps its size: MediaConvert `ScalingBehavior: FIT_NO_UPSCALE`, ffmpeg
     * `scale=-2:min(720, ih)`. Measured after rotation: a 1080×1920 portrait phone video
     * becomes 406×720, not 720×1280.
     */
    readonly maxHeight: number;
    /**
     * Quality-defined VBR. MediaConvert's QVBR level has no ffmpeg equivalent; x264's CRF
     * plays the same role (constant quality, bitrate follows complexity) and `x264Crf` is the
     * value we pair with the level. Both are capped by the same VBV / HRD numbers.
     */
    readonly rateControl: {
      readonly qvbrQualityLevel: number;
      readonly x264Crf: number;
      /** Peak bitrate, bit/s: `MaxBitrate` / `-maxrate`. */
      readonly maxBitrate: number;
      /** Decoder buffer, bits: `HrdBufferSize` / `-bufsize`. */
      readonly bufferSize: number;
    };
    /** Keyframe at least this often: `GopSize` in SECONDS / `-force_key_frames`. */
    readonly gopSeconds: number;
    /**
     * Extra keyframes at scene cuts: `SceneChangeDetect: TRANSITION_DETECTION` / x264's
     * default `scenecut`.
     */
    readonly sceneChangeKeyframes: true;
  };
  readonly audio: {
    readonly codec: 'aac';
    readonly profile: 'lc';
    /** bit/s */
    readonly bitrate: number;
    /** Hz */
    readonly sampleRate: number;
    readonly channels: 2;
  };
  /** `moov` before `mdat` so playback starts before the download ends. */
  readonly faststart: true;
}

/** The 720p H.264 / AAC MP4 every accepted video gets. */
export const RENDITION_720P: RenditionSpec = Object.freeze({
  name: 'rendition-720p',
  nameModifier: '-720p',
  extension: 'mp4',
  contentType: 'video/mp4',
  video: Object.freeze({
    codec: 'h264',
    profile: 'high',
    maxHeight: 720,
    // QVBR 7 under a 5 Mb/s cap: the values libs/flows/media.asl.json already uses, within the
    // 720p range of AWS's Video on Demand solution (QVBR 7 at 3.5 Mb/s to 8 at 6 Mb/s:
    // https://docs.aws.amazon.com/solutions/latest/video-on-demand-on-aws/mediaconvert-templates.html).
    // CRF 23 is x264's own default, its "good quality" point.
    rateControl: Object.freeze({
      qvbrQualityLevel: 7,
      x264Crf: 23,
      maxBitrate: 5_000_000,
      bufferSize: 10_000_000,
    }),
    gopSeconds: 2,
    sceneChangeKeyframes: true,
  }),
  audio: Object.freeze({
    codec: 'aac',
    profile: 'lc',
    bitrate: 128_000,
    sampleRate: 48_000,
    channels: 2,
  }),
  faststart: true,
} as const);

/**
 * The S3 key of a media item's rendition: `derived/<mediaId>/rendition-720p.mp4`. This is
 * where both MediaConvert (destination `…/rendition` + name modifier + extension) and the
 * sandbox write it.
 *
 * @throws {MediaError} when `mediaId` is not 16 lowercase hex digits.
 */
export function renditionKey(mediaId: string, rendition: RenditionSpec = RENDITION_720P): string {
  checkMediaId(mediaId);
  return `derived/${mediaId}/rendition${rendition.nameModifier}.${rendition.extension}`;
}

/**
 * The MediaConvert `Destination` that yields {@link renditionKey}: `s3://<bucket>/derived/<mediaId>/rendition`.
 * MediaConvert appends the output's `NameModifier` and extension to the base name `rendition`.
 */
export function renditionDestination(bucket: string, mediaId: string): string {
  checkMediaId(mediaId);
  return `s3://${bucket}/derived/${mediaId}/rendition`;
}

/** Where a MediaConvert job reads and writes. */
export interface MediaConvertTarget {
  /** `s3://bucket/key` (or an HTTPS URL) of the upload. */
  readonly inputUrl: string;
  /**
   * `s3://bucket/prefix/base`: the output is `<base><nameModifier>.<extension>` beside it.
   * Must not end with `/`: MediaConvert would then name the output after the INPUT file,
   * and the key would depend on what the user called their upload.
   */
  readonly destination: string;
  /** Default {@link RENDITION_720P}. */
  readonly rendition?: RenditionSpec;
}

/**
 * The `Settings` of a MediaConvert `CreateJob` request for one rendition (field names as in the
 * MediaConvert API; see the AWS MediaConvert API reference, `JobSettings`). Notable choices:
 *
 * - `VideoSelector.Rotate: AUTO` applies the input's rotation like ffmpeg's autorotate.
 * - `Height` only, `Width` left out: MediaConvert derives the width from the input's aspect
 *   ratio; `ScalingBehavior: FIT_NO_UPSCALE` shrinks larger inputs to fit and leaves smaller
 *   ones at their own size, without padding
 *   (https://docs.aws.amazon.com/mediaconvert/latest/ug/video-scaling-fit-without-upscaling.html).
 * - The audio selector names no track (`DefaultSelection: DEFAULT`): a selector with
 *   `Tracks: [1]` fails the job on a video without audio ("Audio track [1] not found").
 * - `Mp4Settings.MoovPlacement: PROGRESSIVE_DOWNLOAD`: the index first (faststart).
 *
 * @example
 * mediaConvertJobSettings({
 *   inputUrl: 's3://uploads/uploads/clip.mp4',
 *   destination: renditionDestination('media', mediaId),
 * }); // → derived/<mediaId>/rendition-720p.mp4 in bucket `media`
 */
export function mediaConvertJobSettings(target: MediaConvertTarget): MediaConvertJobSettings {
  const { inputUrl, destination, rendition = RENDITION_720P } = target;
  if (!/^s3:\/\/[^/]+\/.*[^/]$/.test(destination)) {
    throw new MediaError(
      `MediaConvert destination must be s3://<bucket>/<prefix>/<base name> (not ending in /), got ${destination}: use renditionDestination(bucket, mediaId).`,
    );
  }
  const { video, audio } = rendition;
  const audioSelector = 'Audio Selector 1';
  return {
    TimecodeConfig: { Source: 'ZEROBASED' },
    Inputs: [
      {
        FileInput: inputUrl,
        AudioSelectors: { [audioSelector]: { DefaultSelection: 'DEFAULT' } },
        VideoSelector: { Rotate: 'AUTO' },
        TimecodeSource: 'ZEROBASED',
      },
    ],
    OutputGroups: [
      {
        Name: rendition.name,
        OutputGroupSettings: {
          Type: 'FILE_GROUP_SETTINGS',
          FileGroupSettings: { Destination: destination },
        },
        Outputs: [
          {
            NameModifier: rendition.nameModifier,
            Extension: rendition.extension,
            ContainerSettings: {
              Container: 'MP4',
              Mp4Settings: {
                MoovPlacement: rendition.faststart ? 'PROGRESSIVE_DOWNLOAD' : 'NORMAL',
              },
            },
            VideoDescription: {
              Height: video.maxHeight,
              ScalingBehavior: 'FIT_NO_UPSCALE',
              RespondToAfd: 'NONE',
              AfdSignaling: 'NONE',
              CodecSettings: {
                Codec: 'H_264',
                H264Settings: {
                  CodecProfile: 'HIGH',
                  CodecLevel: 'AUTO',
                  RateControlMode: 'QVBR',
                  QvbrSettings: { QvbrQualityLevel: video.rateControl.qvbrQualityLevel },
                  MaxBitrate: video.rateControl.maxBitrate,
                  HrdBufferSize: video.rateControl.bufferSize,
                  GopSize: video.gopSeconds,
                  GopSizeUnits: 'SECONDS',
                  SceneChangeDetect: 'TRANSITION_DETECTION',
                },
              },
            },
            AudioDescriptions: [
              {
                AudioSourceName: audioSelector,
                CodecSettings: {
                  Codec: 'AAC',
                  AacSettings: {
                    CodecProfile: 'LC',
                    Bitrate: audio.bitrate,
                    SampleRate: audio.sampleRate,
                    CodingMode: 'CODING_MODE_2_0',
                  },
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

/**
 * x264 encoder threads, fixed. x264 is deterministic for a given thread count, but the count
 * changes the bitstream (frame threads limit motion search) and is written into the stream's
 * SEI, so "threads auto" makes the bytes depend on the machine's cores. 4 keeps multi-core
 * speed; measured: two runs → identical bytes; 1 vs 4 threads → different bytes.
 */
export const RENDITION_ENCODER_THREADS = 4;

/** Where {@link ffmpegRenditionArgs} reads and writes. */
export interface FfmpegRenditionTarget {
  /** Absolute local path or `http(s)` URL (made absolute / checked by the caller). */
  readonly input: string;
  /** Local path of the MP4 to write (replaced if it exists). */
  readonly output: string;
  /** Default {@link RENDITION_720P}. */
  readonly rendition?: RenditionSpec;
  /** Input options to put before `-i` (protocol / format whitelists). Default none. */
  readonly inputOptions?: readonly string[];
}

/**
 * ffmpeg arguments (without the binary) that encode `input` to the rendition the way
 * {@link mediaConvertJobSettings} asks MediaConvert to: first video stream, rotated as shown,
 * scaled to at most `maxHeight` without upscaling, H.264 High 4:2:0 CRF with the same peak
 * bitrate and buffer, a keyframe every `gopSeconds`; first audio stream (if any: a silent
 * video gives a video-only MP4) as AAC-LC stereo 48 kHz; no metadata or chapters from the
 * input; `moov` first. `+bitexact` and a fixed thread count make the bytes depend only on the
 * input and the ffmpeg build.
 *
 * @example
 * execFile(resolveFfmpeg(), ffmpegRenditionArgs({ input: '/tmp/in.mov', output: '/tmp/out.mp4' }));
 */
export function ffmpegRenditionArgs(target: FfmpegRenditionTarget): string[] {
  const { input, output, rendition = RENDITION_720P, inputOptions = [] } = target;
  const { video, audio } = rendition;
  return [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    ...inputOptions,
    '-i',
    input,
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    // Autorotate runs before this filter, so `ih` is the height as displayed. `trunc(ih/2)*2`:
    // 4:2:0 needs even dimensions, and an odd-height input must not fail.
    '-vf',
    `scale=w=-2:h='min(${video.maxHeight},trunc(ih/2)*2)'`,
    '-c:v',
    'libx264',
    '-profile:v',
    video.profile,
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'medium',
    '-crf',
    String(video.rateControl.x264Crf),
    '-maxrate',
    String(video.rateControl.maxBitrate),
    '-bufsize',
    String(video.rateControl.bufferSize),
    '-force_key_frames',
    `expr:gte(t,n_forced*${video.gopSeconds})`,
    '-threads',
    String(RENDITION_ENCODER_THREADS),
    '-c:a',
    'aac',
    '-profile:a',
    'aac_low',
    '-b:a',
    String(audio.bitrate),
    '-ar',
    String(audio.sampleRate),
    '-ac',
    String(audio.channels),
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    ...(rendition.faststart ? ['-movflags', '+faststart'] : []),
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    '-f',
    'mp4',
    '-y',
    output,
  ];
}

/** Options of {@link renderRendition}. */
export interface RenderOptions {
  /** Stop ffmpeg after this many milliseconds. Default 600 000 (10 min). */
  readonly timeoutMs?: number;
  /** The ffmpeg binary. Default {@link resolveFfmpeg}(). */
  readonly ffmpegPath?: string;
  /** Default {@link RENDITION_720P}. */
  readonly rendition?: RenditionSpec;
}

/** Defaults of {@link RenderOptions}. */
export const RENDER_DEFAULTS = { timeoutMs: 600_000 } as const;

/**
 * Runs {@link ffmpegRenditionArgs}: the sandbox's stand-in for the MediaConvert job. On
 * failure the partial output file is removed.
 *
 * @param input - a local file path or an `http(s)` URL.
 * @param output - local path of the MP4 to write.
 * @throws {MediaInputError} `UNSUPPORTED_VIDEO` without a video stream; `CORRUPT_VIDEO` when
 * ffmpeg cannot read the input.
 * @throws {VideoToolError} when the input cannot be fetched, ffmpeg times out or misbehaves.
 */
export async function renderRendition(
  input: string,
  output: string,
  options: RenderOptions = {},
): Promise<void> {
  const prepared = prepareInput(input);
  const ffmpeg = options.ffmpegPath ?? resolveFfmpeg();
  const args = ffmpegRenditionArgs({
    input: prepared.input,
    output,
    rendition: options.rendition,
    inputOptions: prepared.options,
  });
  try {
    const result = await runTool('ffmpeg', ffmpeg, args, {
      timeoutMs: options.timeoutMs ?? RENDER_DEFAULTS.timeoutMs,
      maxStdoutBytes: 1024 * 1024,
    });
    if (result.code !== 0) throw failureError('ffmpeg', prepared, result);
  } catch (error) {
    await rm(output, { force: true });
    throw error;
  }
}

function checkMediaId(mediaId: string): void {
  if (!MediaIdSchema.safeParse(mediaId).success) {
    throw new MediaError(
      `mediaId must be 16 lowercase hex digits, got ${JSON.stringify(mediaId)}.`,
    );
  }
}

/**
 * The subset of MediaConvert's `JobSettings` this module writes, with the API's field names.
 * Kept local so that the library does not depend on `@aws-sdk/client-mediaconvert`; it is
 * structurally assignable to that SDK's `JobSettings`.
 */
export interface MediaConvertJobSettings {
  TimecodeConfig: { Source: 'ZEROBASED' };
  Inputs: {
    FileInput: string;
    AudioSelectors: Record<string, { DefaultSelection: 'DEFAULT' }>;
    VideoSelector: { Rotate: 'AUTO' };
    TimecodeSource: 'ZEROBASED';
  }[];
  OutputGroups: {
    Name: string;
    OutputGroupSettings: {
      Type: 'FILE_GROUP_SETTINGS';
      FileGroupSettings: { Destination: string };
    };
    Outputs: {
      NameModifier: string;
      Extension: string;
      ContainerSettings: {
        Container: 'MP4';
        Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD' | 'NORMAL' };
      };
      VideoDescription: {
        Height: number;
        ScalingBehavior: 'FIT_NO_UPSCALE';
        RespondToAfd: 'NONE';
        AfdSignaling: 'NONE';
        CodecSettings: {
          Codec: 'H_264';
          H264Settings: {
            CodecProfile: 'HIGH';
            CodecLevel: 'AUTO';
            RateControlMode: 'QVBR';
            QvbrSettings: { QvbrQualityLevel: number };
            MaxBitrate: number;
            HrdBufferSize: number;
            GopSize: number;
            GopSizeUnits: 'SECONDS';
            SceneChangeDetect: 'TRANSITION_DETECTION';
          };
        };
      };
      AudioDescriptions: {
        AudioSourceName: string;
        CodecSettings: {
          Codec: 'AAC';
          AacSettings: {
            CodecProfile: 'LC';
            Bitrate: number;
            SampleRate: number;
            CodingMode: 'CODING_MODE_2_0';
          };
        };
      }[];
    }[];
  }[];
}
