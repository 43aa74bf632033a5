/**
 * The sandbox's stand-in for `mediaconvert:createJob.sync`. The job `Settings` come from the
 * `RenderRendition` Task of `libs/flows/media.asl.json`, the very file Terraform deploys: that
 * file is the one source of the rendition. This module reads them and maps every field it
 * knows to ffmpeg; a field or value it does not know fails the job with
 * {@link UnsupportedMediaConvertSettingError}, so a change to the ASL either changes the local
 * rendition or fails loudly, never renders something else quietly.
 *
 * | MediaConvert `Settings`                                                              | ffmpeg                                                       |
 * | ------------------------------------------------------------------------------------ | ------------------------------------------------------------ |
 * | one input, `AudioSelectors` (one, `DefaultSelection: DEFAULT`)                       | `-map 0:v:0 -map 0:a:0?` (a silent video gives a video-only MP4) |
 * | `VideoSelector.Rotate: AUTO`                                                         | autorotate (ffmpeg's default)                                |
 * | `Height: H`, no `Width`, `ScalingBehavior: FIT_NO_UPSCALE`                           | `scale=w=-2:h='min(H,trunc(ih/2)*2)'`                        |
 * | `H_264`, `CodecProfile: HIGH / MAIN / BASELINE`, `CodecLevel: AUTO`                  | `libx264 -profile:v high / main / baseline -pix_fmt yuv420p`  |
 * | `RateControlMode: QVBR`, `QvbrQualityLevel` (paired in {@link QVBR_CRF_PAIRS})       | `-crf`                                                       |
 * | `MaxBitrate`, `HrdBufferSize`                                                        | `-maxrate`, `-bufsize`                                       |
 * | `GopSize` with `GopSizeUnits: SECONDS`, `SceneChangeDetect: TRANSITION_DETECTION`    | `-force_key_frames expr:gte(t,n_forced*G)` + x264 `scenecut` |
 * | `AAC`, `CodecProfile: LC`, `Bitrate`, `SampleRate`, `CODING_MODE_2_0 / 1_0`          | `-c:a aac -profile:a aac_low -b:a -ar -ac 2 / 1`             |
 * | `Container: MP4`, `MoovPlacement: PROGRESSIVE_DOWNLOAD / NORMAL`                     | `-f mp4` with / without `-movflags +faststart`               |
 * | `TimecodeConfig.Source`, `TimecodeSource`: `ZEROBASED`; `RespondToAfd`, `AfdSignaling`: `NONE` | nothing to do (ffmpeg's own behaviour)              |
 *
 * Always added: `-preset medium`, `-map_metadata -1 -map_chapters -1` (nothing from the input's
 * metadata), `+bitexact` and {@link RENDITION_ENCODER_THREADS} threads, so the bytes depend only
 * on the input and the ffmpeg build.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { failureError, prepareInput, resolveFfmpeg, runTool } from '@slipway/media';
import type { ServiceHandler } from './flow-runner';

/** The Resource of the Task that runs a MediaConvert job and waits for it. */
export const MEDIACONVERT_SYNC = 'arn:aws:states:::mediaconvert:createJob.sync';

/**
 * x264 encoder threads, fixed. x264 is deterministic for a given thread count, but the count
 * changes the bitstream (frame threads limit motion search) and is written into the stream's
 * SEI, so "threads auto" makes the bytes depend on the machine's cores. 4 keeps multi-core
 * speed; measured: two runs → identical bytes; 1 vs 4 threads → different bytes.
 */
export const RENDITION_ENCODER_THREADS = 4;

/** Defaults of {@link RenderJobOptions}. */
export const RENDER_DEFAULTS = { timeoutMs: 600_000 } as const;

/**
 * MediaConvert's QVBR quality level → the x264 CRF the sandbox encodes with. QVBR has no ffmpeg
 * equivalent; CRF plays the same role (constant quality, bitrate follows complexity) under the
 * same `MaxBitrate` / `HrdBufferSize` cap. QVBR 7 under 5 Mb/s is within the 720p range of AWS's
 * Video on Demand solution (QVBR 7 at 3.5 Mb/s to 8 at 6 Mb/s:
 * https://docs.aws.amazon.com/solutions/latest/video-on-demand-on-aws/mediaconvert-templates.html);
 * CRF 23 is x264's own default, its "good quality" point. A level without a pairing here fails
 * the job: choose its CRF and add it.
 */
export const QVBR_CRF_PAIRS: Readonly<Record<number, number>> = Object.freeze({ 7: 23 });

/**
 * The job `Settings` hold a field or a value the stand-in cannot render with ffmpeg. `path` is
 * the JSON path inside `Settings` (e.g. `OutputGroups[0].Outputs[0].VideoDescription.Width`).
 * Its `name` is the Task error the flow's history shows.
 */
export class UnsupportedMediaConvertSettingError extends Error {
  override readonly name = 'Sandbox.UnsupportedMediaConvertSetting';

  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(
      `MediaConvert setting ${path} ${detail}. The sandbox renders with ffmpeg and maps only the settings listed in tools/sandbox/src/mediaconvert.ts: map this one there (or change libs/flows/media.asl.json back).`,
    );
  }
}

/** What a job's `Settings` ask for, in the terms ffmpeg needs. */
export interface LocalJob {
  /** `s3://bucket/key` of the input. */
  readonly inputUrl: string;
  /** Where MediaConvert would write: `Destination` + `NameModifier` + `.` + `Extension`. */
  readonly output: { readonly bucket: string; readonly key: string };
  readonly video: {
    readonly profile: 'high' | 'main' | 'baseline';
    readonly maxHeight: number;
    readonly crf: number;
    readonly maxBitrate: number;
    readonly bufferSize: number;
    readonly gopSeconds: number;
  };
  readonly audio: {
    readonly bitrate: number;
    readonly sampleRate: number;
    readonly channels: 1 | 2;
  };
  readonly faststart: boolean;
}

type Json = Record<string, unknown>;

/**
 * Reads a `CreateJob` `Settings` object (with the ASL's `.$` fields already resolved) into a
 * {@link LocalJob}. Every key must be one the stand-in maps, with a value it maps.
 *
 * @throws {UnsupportedMediaConvertSettingError} on any other key or value, naming its path.
 * @example
 * const job = readJobSettings(parameters.Settings);
 * execFile(resolveFfmpeg(), ffmpegArgs(job, { input: '/tmp/in.mov', output: '/tmp/out.mp4' }));
 */
export function readJobSettings(settings: unknown): LocalJob {
  const root = object(settings, 'Settings');
  keys(root, 'Settings', ['TimecodeConfig', 'Inputs', 'OutputGroups'], ['TimecodeConfig']);
  if (root.TimecodeConfig !== undefined) {
    const timecode = object(root.TimecodeConfig, 'TimecodeConfig');
    keys(timecode, 'TimecodeConfig', ['Source']);
    oneOf(timecode.Source, 'TimecodeConfig.Source', ['ZEROBASED']);
  }

  const [input] = single(root.Inputs, 'Inputs');
  const inputPath = 'Inputs[0]';
  const inputSettings = object(input, inputPath);
  keys(
    inputSettings,
    inputPath,
    ['FileInput', 'AudioSelectors', 'VideoSelector', 'TimecodeSource'],
    ['TimecodeSource'],
  );
  const inputUrl = s3Url(inputSettings.FileInput, `${inputPath}.FileInput`);
  const selectors = object(inputSettings.AudioSelectors, `${inputPath}.AudioSelectors`);
  const selectorNames = Object.keys(selectors);
  if (selectorNames.length !== 1) {
    throw new UnsupportedMediaConvertSettingError(
      `${inputPath}.AudioSelectors`,
      `has ${selectorNames.length} selectors; exactly one is supported`,
    );
  }
  const selectorPath = `${inputPath}.AudioSelectors.${selectorNames[0]}`;
  const selector = object(selectors[selectorNames[0]], selectorPath);
  keys(selector, selectorPath, ['DefaultSelection']);
  oneOf(selector.DefaultSelection, `${selectorPath}.DefaultSelection`, ['DEFAULT']);
  const videoSelector = object(inputSettings.VideoSelector, `${inputPath}.VideoSelector`);
  keys(videoSelector, `${inputPath}.VideoSelector`, ['Rotate']);
  oneOf(videoSelector.Rotate, `${inputPath}.VideoSelector.Rotate`, ['AUTO']);
  if (inputSettings.TimecodeSource !== undefined) {
    oneOf(inputSettings.TimecodeSource, `${inputPath}.TimecodeSource`, ['ZEROBASED']);
  }

  const [group] = single(root.OutputGroups, 'OutputGroups');
  const groupPath = 'OutputGroups[0]';
  const groupSettings = object(group, groupPath);
  keys(groupSettings, groupPath, ['Name', 'OutputGroupSettings', 'Outputs'], ['Name']);
  const ogs = object(groupSettings.OutputGroupSettings, `${groupPath}.OutputGroupSettings`);
  keys(ogs, `${groupPath}.OutputGroupSettings`, ['Type', 'FileGroupSettings']);
  oneOf(ogs.Type, `${groupPath}.OutputGroupSettings.Type`, ['FILE_GROUP_SETTINGS']);
  const fgsPath = `${groupPath}.OutputGroupSettings.FileGroupSettings`;
  const fgs = object(ogs.FileGroupSettings, fgsPath);
  keys(fgs, fgsPath, ['Destination']);
  const destination = s3Url(fgs.Destination, `${fgsPath}.Destination`);
  if (destination.endsWith('/')) {
    // MediaConvert would then name the output after the INPUT file: the key would depend on
    // what the user called their upload.
    throw new UnsupportedMediaConvertSettingError(
      `${fgsPath}.Destination`,
      `is ${JSON.stringify(destination)}, a folder; a base name (…/rendition) is supported`,
    );
  }

  const [output] = single(groupSettings.Outputs, `${groupPath}.Outputs`);
  const outPath = `${groupPath}.Outputs[0]`;
  const out = object(output, outPath);
  keys(
    out,
    outPath,
    ['NameModifier', 'Extension', 'ContainerSettings', 'VideoDescription', 'AudioDescriptions'],
    ['NameModifier', 'Extension'],
  );
  const nameModifier =
    out.NameModifier === undefined ? '' : string(out.NameModifier, `${outPath}.NameModifier`);
  const extension =
    out.Extension === undefined ? 'mp4' : oneOf(out.Extension, `${outPath}.Extension`, ['mp4']);
  const container = object(out.ContainerSettings, `${outPath}.ContainerSettings`);
  keys(container, `${outPath}.ContainerSettings`, ['Container', 'Mp4Settings'], ['Mp4Settings']);
  oneOf(container.Container, `${outPath}.ContainerSettings.Container`, ['MP4']);
  let moov = 'NORMAL';
  if (container.Mp4Settings !== undefined) {
    const mp4Path = `${outPath}.ContainerSettings.Mp4Settings`;
    const mp4 = object(container.Mp4Settings, mp4Path);
    keys(mp4, mp4Path, ['MoovPlacement'], ['MoovPlacement']);
    if (mp4.MoovPlacement !== undefined) {
      moov = oneOf(mp4.MoovPlacement, `${mp4Path}.MoovPlacement`, [
        'PROGRESSIVE_DOWNLOAD',
        'NORMAL',
      ]);
    }
  }

  const videoPath = `${outPath}.VideoDescription`;
  const video = object(out.VideoDescription, videoPath);
  keys(
    video,
    videoPath,
    ['Height', 'ScalingBehavior', 'RespondToAfd', 'AfdSignaling', 'CodecSettings'],
    ['RespondToAfd', 'AfdSignaling'],
  );
  const maxHeight = integer(video.Height, `${videoPath}.Height`, 2);
  oneOf(video.ScalingBehavior, `${videoPath}.ScalingBehavior`, ['FIT_NO_UPSCALE']);
  if (video.RespondToAfd !== undefined)
    oneOf(video.RespondToAfd, `${videoPath}.RespondToAfd`, ['NONE']);
  if (video.AfdSignaling !== undefined)
    oneOf(video.AfdSignaling, `${videoPath}.AfdSignaling`, ['NONE']);
  const codecPath = `${videoPath}.CodecSettings`;
  const codec = object(video.CodecSettings, codecPath);
  keys(codec, codecPath, ['Codec', 'H264Settings']);
  oneOf(codec.Codec, `${codecPath}.Codec`, ['H_264']);
  const h264Path = `${codecPath}.H264Settings`;
  const h264 = object(codec.H264Settings, h264Path);
  keys(h264, h264Path, [
    'CodecProfile',
    'CodecLevel',
    'RateControlMode',
    'QvbrSettings',
    'MaxBitrate',
    'HrdBufferSize',
    'GopSize',
    'GopSizeUnits',
    'SceneChangeDetect',
  ]);
  const profile = oneOf(h264.CodecProfile, `${h264Path}.CodecProfile`, [
    'HIGH',
    'MAIN',
    'BASELINE',
  ]);
  oneOf(h264.CodecLevel, `${h264Path}.CodecLevel`, ['AUTO']);
  oneOf(h264.RateControlMode, `${h264Path}.RateControlMode`, ['QVBR']);
  const qvbr = object(h264.QvbrSettings, `${h264Path}.QvbrSettings`);
  keys(qvbr, `${h264Path}.QvbrSettings`, ['QvbrQualityLevel']);
  const level = integer(qvbr.QvbrQualityLevel, `${h264Path}.QvbrSettings.QvbrQualityLevel`, 1);
  const crf = QVBR_CRF_PAIRS[level];
  if (crf === undefined) {
    throw new UnsupportedMediaConvertSettingError(
      `${h264Path}.QvbrSettings.QvbrQualityLevel`,
      `is ${level}, which has no x264 CRF pairing (paired: ${Object.keys(QVBR_CRF_PAIRS).join(', ')}); add one to QVBR_CRF_PAIRS`,
    );
  }
  const maxBitrate = integer(h264.MaxBitrate, `${h264Path}.MaxBitrate`, 1000);
  const bufferSize = integer(h264.HrdBufferSize, `${h264Path}.HrdBufferSize`, 0);
  const gopSeconds = positive(h264.GopSize, `${h264Path}.GopSize`);
  oneOf(h264.GopSizeUnits, `${h264Path}.GopSizeUnits`, ['SECONDS']);
  oneOf(h264.SceneChangeDetect, `${h264Path}.SceneChangeDetect`, ['TRANSITION_DETECTION']);

  const [audio] = single(out.AudioDescriptions, `${outPath}.AudioDescriptions`);
  const audioPath = `${outPath}.AudioDescriptions[0]`;
  const audioSettings = object(audio, audioPath);
  keys(audioSettings, audioPath, ['AudioSourceName', 'CodecSettings']);
  oneOf(audioSettings.AudioSourceName, `${audioPath}.AudioSourceName`, selectorNames);
  const audioCodecPath = `${audioPath}.CodecSettings`;
  const audioCodec = object(audioSettings.CodecSettings, audioCodecPath);
  keys(audioCodec, audioCodecPath, ['Codec', 'AacSettings']);
  oneOf(audioCodec.Codec, `${audioCodecPath}.Codec`, ['AAC']);
  const aacPath = `${audioCodecPath}.AacSettings`;
  const aac = object(audioCodec.AacSettings, aacPath);
  keys(aac, aacPath, ['CodecProfile', 'Bitrate', 'SampleRate', 'CodingMode']);
  oneOf(aac.CodecProfile, `${aacPath}.CodecProfile`, ['LC']);
  const mode = oneOf(aac.CodingMode, `${aacPath}.CodingMode`, [
    'CODING_MODE_2_0',
    'CODING_MODE_1_0',
  ]);

  const base = /^s3:\/\/([^/]+)\/(.+)$/.exec(destination);
  return {
    inputUrl,
    output: { bucket: base![1], key: `${base![2]}${nameModifier}.${extension}` },
    video: {
      profile: profile.toLowerCase() as LocalJob['video']['profile'],
      maxHeight,
      crf,
      maxBitrate,
      bufferSize,
      gopSeconds,
    },
    audio: {
      bitrate: integer(aac.Bitrate, `${aacPath}.Bitrate`, 1000),
      sampleRate: integer(aac.SampleRate, `${aacPath}.SampleRate`, 8000),
      channels: mode === 'CODING_MODE_2_0' ? 2 : 1,
    },
    faststart: moov === 'PROGRESSIVE_DOWNLOAD',
  };
}

/** Where {@link ffmpegArgs} reads and writes. */
export interface FfmpegTarget {
  /** Absolute local path or `http(s)` URL (made absolute / checked by the caller). */
  readonly input: string;
  /** Local path of the MP4 to write (replaced if it exists). */
  readonly output: string;
  /** Input options to put before `-i` (protocol / format whitelists). Default none. */
  readonly inputOptions?: readonly string[];
}

/**
 * ffmpeg arguments (without the binary) that render `job` (see the table at the top of this
 * file): first video stream, rotated as shown, scaled to at most `maxHeight` without upscaling,
 * H.264 4:2:0 CRF under the job's peak bitrate and buffer, a keyframe every `gopSeconds`; first
 * audio stream if any as AAC-LC; no metadata or chapters from the input.
 */
export function ffmpegArgs(job: LocalJob, target: FfmpegTarget): string[] {
  const { video, audio } = job;
  return [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    ...(target.inputOptions ?? []),
    '-i',
    target.input,
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
    String(video.crf),
    '-maxrate',
    String(video.maxBitrate),
    '-bufsize',
    String(video.bufferSize),
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
    ...(job.faststart ? ['-movflags', '+faststart'] : []),
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    '-f',
    'mp4',
    '-y',
    target.output,
  ];
}

/** Options of {@link renderJob}. */
export interface RenderJobOptions {
  /** Stop ffmpeg after this many milliseconds. Default 600 000 (10 min). */
  readonly timeoutMs?: number;
  /** The ffmpeg binary. Default `resolveFfmpeg()`. */
  readonly ffmpegPath?: string;
}

/**
 * Renders `job` from a local file or `http(s)` URL to a local MP4 with ffmpeg. On failure the
 * partial output file is removed.
 *
 * @throws {MediaInputError} `UNSUPPORTED_VIDEO` without a video stream; `CORRUPT_VIDEO` when
 * ffmpeg cannot read the input.
 * @throws {VideoToolError} when the input cannot be fetched, ffmpeg times out or misbehaves.
 */
export async function renderJob(
  job: LocalJob,
  input: string,
  output: string,
  options: RenderJobOptions = {},
): Promise<void> {
  const prepared = prepareInput(input);
  const args = ffmpegArgs(job, { input: prepared.input, output, inputOptions: prepared.options });
  try {
    const result = await runTool('ffmpeg', options.ffmpegPath ?? resolveFfmpeg(), args, {
      timeoutMs: options.timeoutMs ?? RENDER_DEFAULTS.timeoutMs,
      maxStdoutBytes: 1024 * 1024,
    });
    if (result.code !== 0) throw failureError('ffmpeg', prepared, result);
  } catch (error) {
    await rm(output, { force: true });
    throw error;
  }
}

/**
 * Stands in for `mediaconvert:createJob.sync`: reads the job's `Settings` (those of the ASL,
 * {@link readJobSettings}), the input from S3, renders it with ffmpeg ({@link renderJob}) and
 * writes the output where MediaConvert would: destination + name modifier + extension. Answers
 * with a completed `Job`, like the .sync integration.
 */
export function localMediaConvert(s3: S3Client): ServiceHandler {
  return async (parameters) => {
    const settings = parameters.Settings;
    const job = readJobSettings(settings);
    const input = /^s3:\/\/([^/]+)\/(.+)$/.exec(job.inputUrl)!;
    const dir = await mkdtemp(join(tmpdir(), 'slipway-mediaconvert-'));
    try {
      const source = join(dir, 'input');
      const target = join(dir, 'output.mp4');
      const object = await s3.send(new GetObjectCommand({ Bucket: input[1], Key: input[2] }));
      await pipeline(object.Body as Readable, createWriteStream(source));
      try {
        await renderJob(job, source, target);
      } catch (error) {
        // MediaConvert reports an unusable input as a failed job.
        throw Object.assign(new Error((error as Error).message), {
          name: 'MediaConvert.JobFailed',
        });
      }
      await s3.send(
        new PutObjectCommand({
          Bucket: job.output.bucket,
          Key: job.output.key,
          Body: await readFile(target),
          ContentType: 'video/mp4',
        }),
      );
      return { Job: { Id: `local-${randomUUID()}`, Status: 'COMPLETE', Settings: settings } };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnsupportedMediaConvertSettingError(
      path,
      `is ${describe(value)}; an object is expected`,
    );
  }
  return value as Json;
}

/** Every key of `value` is in `known`; every key of `known` not in `optional` is present. */
function keys(
  value: Json,
  path: string,
  known: readonly string[],
  optional: readonly string[] = [],
) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new UnsupportedMediaConvertSettingError(
        `${path}.${key}`,
        `is not mapped to ffmpeg (mapped here: ${known.join(', ')})`,
      );
    }
  }
  for (const key of known) {
    if (!optional.includes(key) && value[key] === undefined) {
      throw new UnsupportedMediaConvertSettingError(`${path}.${key}`, 'is missing');
    }
  }
}

function single(value: unknown, path: string): [unknown] {
  if (!Array.isArray(value) || value.length !== 1) {
    throw new UnsupportedMediaConvertSettingError(
      path,
      `is ${Array.isArray(value) ? `a list of ${value.length}` : describe(value)}; exactly one entry is supported`,
    );
  }
  return [value[0]];
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new UnsupportedMediaConvertSettingError(
      path,
      `is ${describe(value)}; supported: ${allowed.join(', ')}`,
    );
  }
  return value as T;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') {
    throw new UnsupportedMediaConvertSettingError(
      path,
      `is ${describe(value)}; a string is expected`,
    );
  }
  return value;
}

function integer(value: unknown, path: string, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min) {
    throw new UnsupportedMediaConvertSettingError(
      path,
      `is ${describe(value)}; an integer of at least ${min} is expected`,
    );
  }
  return value as number;
}

function positive(value: unknown, path: string): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new UnsupportedMediaConvertSettingError(
      path,
      `is ${describe(value)}; a positive number is expected`,
    );
  }
  return value;
}

function s3Url(value: unknown, path: string): string {
  if (typeof value !== 'string' || !/^s3:\/\/[^/]+\/.+$/.test(value)) {
    throw new UnsupportedMediaConvertSettingError(
      path,
      `is ${describe(value)}; an s3://bucket/key URL is expected`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}
