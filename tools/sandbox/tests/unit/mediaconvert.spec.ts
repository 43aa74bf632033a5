import {
  ffmpegArgs,
  readJobSettings,
  UnsupportedMediaConvertSettingError,
} from '../../src/mediaconvert';
import { flowJobSettings, MEDIA_ID } from './support/render-rendition';

type Settings = ReturnType<typeof flowJobSettings>;
// The tests reach into the ASL's JSON by the MediaConvert API's field names.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON under test
type Any = any;

const TARGET = { input: '/in/holiday.mov', output: '/out/rendition-720p.mp4' };

/** The flow's settings with one change made by `edit`. */
function withChange(edit: (settings: Any) => void): Settings {
  const settings = flowJobSettings();
  edit(settings);
  return settings;
}

const output = (s: Any) => s.OutputGroups[0].Outputs[0];
const h264 = (s: Any) => output(s).VideoDescription.CodecSettings.H264Settings;
const aac = (s: Any) => output(s).AudioDescriptions[0].CodecSettings.AacSettings;

describe('readJobSettings + ffmpegArgs (the sandbox MediaConvert stand-in)', () => {
  it('renders the flow’s RenderRendition settings with exactly these ffmpeg arguments', () => {
    // Act
    const args = ffmpegArgs(readJobSettings(flowJobSettings()), TARGET);

    // Assess
    expect(args).toEqual([
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-i',
      '/in/holiday.mov',
      '-map',
      '0:v:0',
      '-map',
      '0:a:0?',
      '-vf',
      "scale=w=-2:h='min(720,trunc(ih/2)*2)'",
      '-c:v',
      'libx264',
      '-profile:v',
      'high',
      '-pix_fmt',
      'yuv420p',
      '-preset',
      'medium',
      '-crf',
      '23',
      '-maxrate',
      '5000000',
      '-bufsize',
      '10000000',
      '-force_key_frames',
      'expr:gte(t,n_forced*2)',
      '-threads',
      '4',
      '-c:a',
      'aac',
      '-profile:a',
      'aac_low',
      '-b:a',
      '128000',
      '-ar',
      '48000',
      '-ac',
      '2',
      '-map_metadata',
      '-1',
      '-map_chapters',
      '-1',
      '-movflags',
      '+faststart',
      '-fflags',
      '+bitexact',
      '-flags:v',
      '+bitexact',
      '-flags:a',
      '+bitexact',
      '-f',
      'mp4',
      '-y',
      '/out/rendition-720p.mp4',
    ]);
  });

  it('reads the upload and writes where MediaConvert would: the media item’s rendition key', () => {
    // Act
    const job = readJobSettings(flowJobSettings());

    // Assess: destination + NameModifier + '.' + Extension.
    expect(job.inputUrl).toBe('s3://slipway-media/uploads/holiday.mov');
    expect(job.output).toEqual({
      bucket: 'slipway-media',
      key: `derived/${MEDIA_ID}/rendition-720p.mp4`,
    });
  });

  it('puts the input options before -i', () => {
    // Act
    const args = ffmpegArgs(readJobSettings(flowJobSettings()), {
      ...TARGET,
      inputOptions: ['-protocol_whitelist', 'file'],
    });

    // Assess
    expect(args.slice(4, 8)).toEqual(['-protocol_whitelist', 'file', '-i', '/in/holiday.mov']);
  });

  it.each<[string, (s: Any) => void, string, string]>([
    [
      'another height',
      (s) => (output(s).VideoDescription.Height = 480),
      '-vf',
      "scale=w=-2:h='min(480,trunc(ih/2)*2)'",
    ],
    ['the Main profile', (s) => (h264(s).CodecProfile = 'MAIN'), '-profile:v', 'main'],
    ['another peak bitrate', (s) => (h264(s).MaxBitrate = 3_500_000), '-maxrate', '3500000'],
    ['another HRD buffer', (s) => (h264(s).HrdBufferSize = 7_000_000), '-bufsize', '7000000'],
    [
      'another GOP length',
      (s) => (h264(s).GopSize = 4),
      '-force_key_frames',
      'expr:gte(t,n_forced*4)',
    ],
    ['another audio bitrate', (s) => (aac(s).Bitrate = 96_000), '-b:a', '96000'],
    ['another sample rate', (s) => (aac(s).SampleRate = 44_100), '-ar', '44100'],
    ['mono', (s) => (aac(s).CodingMode = 'CODING_MODE_1_0'), '-ac', '1'],
  ])('follows %s in the ASL', (_, edit, flag, value) => {
    // Act
    const args = ffmpegArgs(readJobSettings(withChange(edit)), TARGET);

    // Assess
    expect(args[args.indexOf(flag) + 1]).toBe(value);
  });

  it('leaves the index at the end for MoovPlacement NORMAL', () => {
    // Act
    const args = ffmpegArgs(
      readJobSettings(
        withChange((s) => (output(s).ContainerSettings.Mp4Settings.MoovPlacement = 'NORMAL')),
      ),
      TARGET,
    );

    // Assess
    expect(args.slice(args.indexOf('-map_chapters') + 2)).toEqual([
      '-fflags',
      '+bitexact',
      '-flags:v',
      '+bitexact',
      '-flags:a',
      '+bitexact',
      '-f',
      'mp4',
      '-y',
      '/out/rendition-720p.mp4',
    ]);
  });

  it.each<[string, (s: Any) => void, string, string]>([
    [
      'a QVBR level without a CRF pairing',
      (s) => (h264(s).QvbrSettings.QvbrQualityLevel = 8),
      'OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.H264Settings.QvbrSettings.QvbrQualityLevel',
      'is 8, which has no x264 CRF pairing (paired: 7); add one to QVBR_CRF_PAIRS',
    ],
    [
      'an upscaling scaler',
      (s) => (output(s).VideoDescription.ScalingBehavior = 'DEFAULT'),
      'OutputGroups[0].Outputs[0].VideoDescription.ScalingBehavior',
      'is "DEFAULT"; supported: FIT_NO_UPSCALE',
    ],
    [
      'a fixed width',
      (s) => (output(s).VideoDescription.Width = 1280),
      'OutputGroups[0].Outputs[0].VideoDescription.Width',
      'is not mapped to ffmpeg (mapped here: Height, ScalingBehavior, RespondToAfd, AfdSignaling, CodecSettings)',
    ],
    [
      'another rate control',
      (s) => (h264(s).RateControlMode = 'CBR'),
      'OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.H264Settings.RateControlMode',
      'is "CBR"; supported: QVBR',
    ],
    [
      'HEVC',
      (s) => (output(s).VideoDescription.CodecSettings.Codec = 'H_265'),
      'OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.Codec',
      'is "H_265"; supported: H_264',
    ],
    [
      'GOP in frames',
      (s) => (h264(s).GopSizeUnits = 'FRAMES'),
      'OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.H264Settings.GopSizeUnits',
      'is "FRAMES"; supported: SECONDS',
    ],
    [
      'a missing peak bitrate',
      (s) => delete h264(s).MaxBitrate,
      'OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.H264Settings.MaxBitrate',
      'is missing',
    ],
    [
      'HE-AAC',
      (s) => (aac(s).CodecProfile = 'HEV1'),
      'OutputGroups[0].Outputs[0].AudioDescriptions[0].CodecSettings.AacSettings.CodecProfile',
      'is "HEV1"; supported: LC',
    ],
    [
      'a second output',
      (s) => s.OutputGroups[0].Outputs.push(structuredClone(output(s))),
      'OutputGroups[0].Outputs',
      'is a list of 2; exactly one entry is supported',
    ],
    [
      'an audio description reading no selector',
      (s) => (output(s).AudioDescriptions[0].AudioSourceName = 'Audio Selector 2'),
      'OutputGroups[0].Outputs[0].AudioDescriptions[0].AudioSourceName',
      'is "Audio Selector 2"; supported: Audio Selector 1',
    ],
    [
      'a destination folder',
      (s) =>
        (s.OutputGroups[0].OutputGroupSettings.FileGroupSettings.Destination =
          's3://slipway-media/derived/0123456789abcdef/'),
      'OutputGroups[0].OutputGroupSettings.FileGroupSettings.Destination',
      'is "s3://slipway-media/derived/0123456789abcdef/", a folder; a base name (…/rendition) is supported',
    ],
    [
      'an input outside S3',
      (s) => (s.Inputs[0].FileInput = 'https://example.com/a.mp4'),
      'Inputs[0].FileInput',
      'is "https://example.com/a.mp4"; an s3://bucket/key URL is expected',
    ],
  ])('fails the job on %s, naming the field', (_, edit, path, detail) => {
    // Prepare
    const settings = withChange(edit);

    // Act
    const error = (() => {
      try {
        readJobSettings(settings);
      } catch (e) {
        return e;
      }
    })();

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaConvertSettingError);
    expect(error).toMatchObject({
      name: 'Sandbox.UnsupportedMediaConvertSetting',
      path,
      message: `MediaConvert setting ${path} ${detail}. The sandbox renders with ffmpeg and maps only the settings listed in tools/sandbox/src/mediaconvert.ts: map this one there (or change libs/flows/media.asl.json back).`,
    });
  });
});
