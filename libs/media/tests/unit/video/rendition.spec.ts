import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTestVideo, setVideoRotation } from '../../../scripts/generate-video-samples';
import { MediaError, MediaInputError } from '../../../src/errors';
import {
  ffmpegRenditionArgs,
  mediaConvertJobSettings,
  probeVideo,
  renderRendition,
  RENDITION_720P,
  renditionDestination,
  renditionKey,
} from '../../../src/video';
import { makeTempDir, topLevelBoxes, videoFixture, videoStreamEntry } from './helpers';

// Real encodes: a few hundred milliseconds each here, more on a loaded CI machine.
jest.setTimeout(60_000);

const MEDIA_ID = '0123456789abcdef';

describe('renditionKey / renditionDestination', () => {
  it('puts the rendition under the media item’s derived prefix', () => {
    expect(renditionKey(MEDIA_ID)).toBe('derived/0123456789abcdef/rendition-720p.mp4');
    expect(renditionDestination('slipway-media', MEDIA_ID)).toBe(
      's3://slipway-media/derived/0123456789abcdef/rendition',
    );
  });

  it.each(['', '0123456789ABCDEF', '0123', '../../etc/passwd'])('rejects mediaId %j', (id) => {
    expect(() => renditionKey(id)).toThrow(MediaError);
    expect(() => renditionDestination('bucket', id)).toThrow(/16 lowercase hex digits/);
  });
});

describe('mediaConvertJobSettings', () => {
  const settings = () =>
    mediaConvertJobSettings({
      inputUrl: 's3://slipway-uploads/uploads/holiday.mov',
      destination: renditionDestination('slipway-media', MEDIA_ID),
    });

  it('writes exactly renditionKey: destination + name modifier + extension', () => {
    // Act
    const group = settings().OutputGroups[0];
    const output = group.Outputs[0];

    // Assess
    expect(group.OutputGroupSettings.Type).toBe('FILE_GROUP_SETTINGS');
    const written = `${group.OutputGroupSettings.FileGroupSettings.Destination}${output.NameModifier}.${output.Extension}`;
    expect(written).toBe(`s3://slipway-media/${renditionKey(MEDIA_ID)}`);
  });

  it('reads the upload, rotated as shown, with its default audio', () => {
    expect(settings().Inputs).toEqual([
      {
        FileInput: 's3://slipway-uploads/uploads/holiday.mov',
        AudioSelectors: { 'Audio Selector 1': { DefaultSelection: 'DEFAULT' } },
        VideoSelector: { Rotate: 'AUTO' },
        TimecodeSource: 'ZEROBASED',
      },
    ]);
  });

  it('asks for H.264 High at most 720 high, never upscaled, QVBR under a cap', () => {
    const video = settings().OutputGroups[0].Outputs[0].VideoDescription;

    expect(video.Height).toBe(720);
    expect(video).not.toHaveProperty('Width'); // derived from the input's aspect ratio
    expect(video.ScalingBehavior).toBe('FIT_NO_UPSCALE');
    expect(video.CodecSettings).toEqual({
      Codec: 'H_264',
      H264Settings: {
        CodecProfile: 'HIGH',
        CodecLevel: 'AUTO',
        RateControlMode: 'QVBR',
        QvbrSettings: { QvbrQualityLevel: 7 },
        MaxBitrate: 5_000_000,
        HrdBufferSize: 10_000_000,
        GopSize: 2,
        GopSizeUnits: 'SECONDS',
        SceneChangeDetect: 'TRANSITION_DETECTION',
      },
    });
  });

  it('asks for AAC-LC 128 kb/s 48 kHz stereo from the default audio selector', () => {
    const [audio] = settings().OutputGroups[0].Outputs[0].AudioDescriptions;

    expect(Object.keys(settings().Inputs[0].AudioSelectors)).toContain(audio.AudioSourceName);
    expect(audio.CodecSettings).toEqual({
      Codec: 'AAC',
      AacSettings: {
        CodecProfile: 'LC',
        Bitrate: 128_000,
        SampleRate: 48_000,
        CodingMode: 'CODING_MODE_2_0',
      },
    });
  });

  it('writes an MP4 with the index first (faststart)', () => {
    expect(settings().OutputGroups[0].Outputs[0].ContainerSettings).toEqual({
      Container: 'MP4',
      Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD' },
    });
  });

  it.each([
    's3://slipway-media/derived/0123456789abcdef/',
    'slipway-media/derived/0123456789abcdef/rendition',
    's3://slipway-media',
  ])('rejects destination %s, whose output name would not be ours', (destination) => {
    expect(() => mediaConvertJobSettings({ inputUrl: 's3://b/k.mp4', destination })).toThrow(
      /must be s3:\/\/<bucket>\/<prefix>\/<base name>/,
    );
  });
});

describe('ffmpegRenditionArgs', () => {
  const args = ffmpegRenditionArgs({ input: '/in/clip.mov', output: '/out/rendition-720p.mp4' });
  /** The value that follows `flag` in the arguments. */
  const valueOf = (flag: string) => args[args.indexOf(flag) + 1];

  it('makes the same choices as the MediaConvert settings, from the same definition', () => {
    const h264 = mediaConvertJobSettings({
      inputUrl: 's3://b/k',
      destination: 's3://b/d/rendition',
    }).OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.H264Settings;
    const { rateControl, maxHeight } = RENDITION_720P.video;

    expect(valueOf('-c:v')).toBe('libx264');
    expect(valueOf('-profile:v')).toBe('high');
    expect(valueOf('-pix_fmt')).toBe('yuv420p');
    expect(valueOf('-vf')).toBe(`scale=w=-2:h='min(${maxHeight},trunc(ih/2)*2)'`);
    expect(Number(valueOf('-maxrate'))).toBe(h264.MaxBitrate);
    expect(Number(valueOf('-bufsize'))).toBe(h264.HrdBufferSize);
    expect(valueOf('-crf')).toBe(String(rateControl.x264Crf));
    expect(valueOf('-force_key_frames')).toBe(`expr:gte(t,n_forced*${h264.GopSize})`);
    expect([valueOf('-c:a'), valueOf('-b:a'), valueOf('-ar'), valueOf('-ac')]).toEqual([
      'aac',
      '128000',
      '48000',
      '2',
    ]);
    expect(valueOf('-movflags')).toBe('+faststart');
    expect(valueOf('-map_metadata')).toBe('-1');
  });

  it('maps the first video and, only if there is one, the first audio stream', () => {
    expect(args.filter((_, i) => args[i - 1] === '-map')).toEqual(['0:v:0', '0:a:0?']);
  });

  it('pins what makes the bytes reproducible', () => {
    expect(valueOf('-threads')).toBe('4');
    expect(args.join(' ')).toContain('-fflags +bitexact -flags:v +bitexact -flags:a +bitexact');
  });

  it('reads the input after its options and writes the output last', () => {
    const withOptions = ffmpegRenditionArgs({
      input: '/in/clip.mov',
      output: '/out/r.mp4',
      inputOptions: ['-protocol_whitelist', 'file'],
    });

    expect(withOptions.indexOf('-protocol_whitelist')).toBeLessThan(withOptions.indexOf('-i'));
    expect(withOptions[withOptions.indexOf('-i') + 1]).toBe('/in/clip.mov');
    expect(withOptions.at(-1)).toBe('/out/r.mp4');
  });
});

describe('renderRendition (ffmpeg, as the sandbox runs it)', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeAll(async () => {
    temp = await makeTempDir();
  });
  afterAll(() => temp.remove());

  it('keeps a 640×360 clip at 640×360 (never upscales), H.264 High + AAC stereo 48 kHz', async () => {
    // Prepare
    const output = join(temp.dir, 'clip-720p.mp4');

    // Act
    await renderRendition(videoFixture('clip.mp4'), output);

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
    await renderRendition(source, output);

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
    await renderRendition(stored, output);

    // Assess: upright pixels (rotation applied, none left to signal), 720 high.
    expect((await probeVideo(output)).video).toMatchObject({
      width: 406,
      height: 720,
      rotation: 0,
    });
  });

  it('applies the rotation of the portrait fixture: 360×640 upright', async () => {
    const output = join(temp.dir, 'portrait-720p.mp4');

    await renderRendition(videoFixture('portrait-rotated.mp4'), output);

    expect((await probeVideo(output)).video).toMatchObject({
      width: 360,
      height: 640,
      rotation: 0,
    });
  });

  it('gives a video-only MP4 for a video without audio', async () => {
    const output = join(temp.dir, 'silent-720p.mp4');

    await renderRendition(videoFixture('silent.mov'), output);

    const probe = await probeVideo(output);
    expect(probe.container).toBe('mp4');
    expect(probe.audio).toBeUndefined();
  });

  it('gives identical bytes for the same input, run after run', async () => {
    // Prepare
    const first = join(temp.dir, 'same-1.mp4');
    const second = join(temp.dir, 'same-2.mp4');

    // Act
    await renderRendition(videoFixture('clip.mp4'), first);
    await renderRendition(videoFixture('clip.mp4'), second);

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
    const error = await renderRendition(videoFixture(name), output).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(MediaInputError);
    expect(error).toMatchObject({ problem });
    expect(existsSync(output)).toBe(false);
  });
});
