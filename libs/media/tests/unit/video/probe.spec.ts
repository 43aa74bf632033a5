import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VideoProbeSchema } from '@slipway/events';
import { MediaError, MediaInputError } from '../../../src/errors';
import {
  containerName,
  probeVideo,
  videoProbeFromFfprobe,
  VideoToolError,
} from '../../../src/video';
import { videoFixture } from './helpers';

/** What each valid fixture must probe as (see tests/fixtures/videos/README.md). */
const EXPECTED = [
  {
    name: 'clip.mp4',
    container: 'mp4',
    duration: 2,
    video: { codec: 'h264', width: 640, height: 360, frameRate: 25, rotation: 0 },
    audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
  },
  {
    name: 'portrait-rotated.mp4',
    container: 'mp4',
    duration: 2,
    // Stored 640×360, shown turned a quarter clockwise: 360×640 on screen.
    video: { codec: 'h264', width: 640, height: 360, frameRate: 25, rotation: 90 },
    audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
  },
  {
    name: 'short.mp4',
    container: 'mp4',
    duration: 0.4,
    video: { codec: 'h264', width: 640, height: 360, frameRate: 25, rotation: 0 },
    audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
  },
  {
    // Android's brand: the 3GPP family reaches containerName's `3gp` branch and is accepted.
    name: 'phone.3gp',
    container: '3gp',
    duration: 1,
    video: { codec: 'h264', width: 320, height: 240, frameRate: 25, rotation: 0 },
    audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
  },
  {
    name: 'silent.mov',
    container: 'mov',
    duration: 2,
    video: { codec: 'h264', width: 640, height: 360, frameRate: 25, rotation: 0 },
    audio: undefined,
  },
] as const;

describe('probeVideo on the fixtures', () => {
  it.each(EXPECTED)('$name', async ({ name, container, duration, video, audio }) => {
    // Act
    const probe = await probeVideo(videoFixture(name));

    // Assess
    expect(VideoProbeSchema.parse(probe)).toEqual(probe);
    expect(probe.container).toBe(container);
    // Encoders pad audio and round the last frame: a few hundredths either way are normal.
    expect(Math.abs(probe.durationSeconds - duration)).toBeLessThan(0.05);
    expect(probe.bitrate).toBeGreaterThan(0);
    expect(probe.video).toMatchObject(video);
    expect(probe.video?.bitrate).toBeGreaterThan(0);
    if (audio === undefined) expect(probe.audio).toBeUndefined();
    else expect(probe.audio).toMatchObject(audio);
  });

  it('rejects the truncated MP4 as CORRUPT_VIDEO, quoting ffprobe', async () => {
    // Act
    const error = await probeVideo(videoFixture('corrupt.mp4')).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(MediaInputError);
    expect(error).toMatchObject({ name: 'MediaInputError', problem: 'CORRUPT_VIDEO' });
    expect((error as Error).message).toBe(
      `CORRUPT_VIDEO: ${videoFixture('corrupt.mp4')} is not a readable video (ffprobe: [mov,mp4,m4a,3gp,3g2,mj2] moov atom not found).`,
    );
  });

  it('rejects MPEG-4 Part 2 in 3GPP as UNSUPPORTED_VIDEO, saying how to convert', async () => {
    // Act
    const error = await probeVideo(videoFixture('mpeg4-part2.3gp')).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'MediaInputError', problem: 'UNSUPPORTED_VIDEO' });
    expect((error as Error).message).toBe(
      `UNSUPPORTED_VIDEO: ${videoFixture('mpeg4-part2.3gp')} is a 3GPP file with mpeg4 video and aac audio; only H.264 or HEVC video with AAC audio can be processed in 3GPP. Convert it to MP4 (for example: ffmpeg -i input.3gp -c:v libx264 -c:a aac output.mp4) and upload that.`,
    );
  });

  it('reads the 2 s of frames of the clip whose header says 10 hours', async () => {
    // Act
    const probe = await probeVideo(videoFixture('overstated-duration.mp4'));

    // Assess: this ffprobe (2023) takes the duration from the streams, not from mvhd.
    expect(Math.abs(probe.durationSeconds - 2)).toBeLessThan(0.05);
    expect(probe.video).toMatchObject({ codec: 'h264', width: 640, height: 360 });
  });

  it('rejects the audio-only MP4 as UNSUPPORTED_VIDEO', async () => {
    const error = await probeVideo(videoFixture('not-video.mp4')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MediaInputError);
    expect(error).toMatchObject({ problem: 'UNSUPPORTED_VIDEO' });
    expect((error as Error).message).toMatch(/has no video stream \(streams found: audio aac\)/);
  });

  it('reports a missing file as a fault, not as bad input', async () => {
    // A missing object is not the uploader's doing: it must not be quarantined as corrupt.
    const error = await probeVideo(videoFixture('corrupt-but-missing.mp4')).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(VideoToolError);
    expect(error).toMatchObject({ tool: 'ffprobe', failure: 'INPUT_UNREADABLE' });
    expect((error as Error).message).toMatch(/No such file or directory/);
  });

  it('refuses URL schemes other than http(s)', async () => {
    await expect(probeVideo('s3://bucket/uploads/clip.mp4')).rejects.toThrow(MediaError);
    await expect(probeVideo('s3://bucket/uploads/clip.mp4')).rejects.toThrow(
      /only a local file path or an http\(s\) URL/,
    );
  });
});

describe('probeVideo limits and URLs (loopback only)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    // Accepts connections and never answers: a stalled download.
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('stops ffprobe at the timeout', async () => {
    const error = await probeVideo(`http://127.0.0.1:${port}/stalled.mp4`, {
      timeoutMs: 500,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VideoToolError);
    expect(error).toMatchObject({ tool: 'ffprobe', failure: 'TIMEOUT' });
  });

  it('stops ffprobe when its output passes the limit', async () => {
    const error = await probeVideo(videoFixture('clip.mp4'), { maxOutputBytes: 100 }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ name: 'VideoToolError', failure: 'OUTPUT_LIMIT' });
  });

  it('keeps presigned URL credentials out of errors', async () => {
    // Prepare: a closed port, and a query shaped like an S3 presigned URL's.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${closedPort}/uploads/clip.mp4?X-Amz-Credential=AKIDEXAMPLE&X-Amz-Signature=0123secret`;

    // Act
    const error = await probeVideo(url).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'VideoToolError', failure: 'INPUT_UNREADABLE' });
    const { message, stderr } = error as VideoToolError;
    expect(message).toContain(`http://127.0.0.1:${closedPort}/uploads/clip.mp4`);
    expect(message).toMatch(/Connection refused/);
    expect(`${message}\n${stderr}`).not.toMatch(/secret|AKIDEXAMPLE|X-Amz/);
  });
});

describe('videoProbeFromFfprobe', () => {
  /** ffprobe's JSON for a plain 1080p H.264 + AAC MP4, to clone and break one field of. */
  const valid = () => ({
    streams: [
      {
        codec_type: 'video',
        codec_name: 'h264',
        width: 1920,
        height: 1080,
        avg_frame_rate: '30000/1001',
        bit_rate: '4000000',
        disposition: { attached_pic: 0 },
      },
      {
        codec_type: 'audio',
        codec_name: 'aac',
        channels: 2,
        sample_rate: '44100',
        bit_rate: '128000',
      },
    ] as Record<string, unknown>[],
    format: {
      format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
      duration: '12.345000',
      bit_rate: '4130000',
      tags: { major_brand: 'mp42' } as Record<string, string>,
    },
  });

  it('maps every field', () => {
    expect(videoProbeFromFfprobe(valid())).toEqual({
      container: 'mp4',
      durationSeconds: 12.345,
      bitrate: 4130000,
      video: {
        codec: 'h264',
        width: 1920,
        height: 1080,
        frameRate: 29.97,
        bitrate: 4000000,
        rotation: 0,
      },
      audio: { codec: 'aac', channels: 2, sampleRate: 44100, bitrate: 128000 },
    });
  });

  it.each([
    // ffprobe ≥ 5 prints the display matrix angle counter-clockwise.
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }, 90],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] }, 270],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] }, 180],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -180 }] }, 180],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -0 }] }, 0],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -89.98 }] }, 90],
    // Older ffprobe: the `rotate` tag, already clockwise.
    [{ tags: { rotate: '90' } }, 90],
    [{ tags: { rotate: '270' } }, 270],
    [{ tags: { rotate: '-90' } }, 270],
    // The matrix wins over a stale tag.
    [
      {
        tags: { rotate: '90' },
        side_data_list: [{ side_data_type: 'Display Matrix', rotation: 0 }],
      },
      0,
    ],
    [{}, 0],
  ])('rotation of %j is %i° clockwise', (fields, rotation) => {
    // Prepare
    const json = valid();
    Object.assign(json.streams[0], fields);

    // Act / Assess
    expect(videoProbeFromFfprobe(json).video?.rotation).toBe(rotation);
  });

  it('skips cover art when looking for the video stream', () => {
    // Prepare: an audio file with an embedded picture is not a video.
    const json = valid();
    json.streams[0].disposition = { attached_pic: 1 };

    // Act / Assess
    expect(() => videoProbeFromFfprobe(json)).toThrow(/UNSUPPORTED_VIDEO: .*has no video stream/);
  });

  it('leaves an unknown frame rate out', () => {
    const json = valid();
    json.streams[0].avg_frame_rate = '0/0';

    expect(videoProbeFromFfprobe(json).video).not.toHaveProperty('frameRate');
  });

  it('reports a video stream without dimensions as CORRUPT_VIDEO', () => {
    const json = valid();
    json.streams[0].width = 0;

    expect(() => videoProbeFromFfprobe(json, 'upload.mp4')).toThrow(
      'CORRUPT_VIDEO: upload.mp4 has inconsistent stream information (video.width: ',
    );
  });

  it('gives 0 s for an unknown duration', () => {
    const json = valid();
    json.format.duration = 'N/A';

    expect(videoProbeFromFfprobe(json).durationSeconds).toBe(0);
  });
});

describe('videoProbeFromFfprobe on 3GPP', () => {
  /** ffprobe's JSON for a 3GPP file with the given codecs (audio `undefined`: no audio stream). */
  const phone = (brand: string, video: string, audio: string | undefined) => ({
    streams: [
      { codec_type: 'video', codec_name: video, width: 320, height: 240, avg_frame_rate: '25/1' },
      ...(audio === undefined
        ? []
        : [{ codec_type: 'audio', codec_name: audio, channels: 1, sample_rate: '8000' }]),
    ],
    format: {
      format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
      duration: '1.000000',
      tags: { major_brand: brand },
    },
  });

  it.each([
    ['3gp5', 'h264', 'aac'],
    ['3g2a', 'hevc', 'aac'],
    ['3gp6', 'h264', undefined],
  ])('accepts %s with %s video and %s audio', (brand, video, audio) => {
    expect(videoProbeFromFfprobe(phone(brand, video, audio))).toMatchObject({
      container: '3gp',
      video: { codec: video },
    });
  });

  it.each([
    ['3gp4', 'h263', 'amr_nb', 'h263 video and amr_nb audio'],
    ['3gp5', 'h264', 'amr_wb', 'h264 video and amr_wb audio'],
    ['3g2a', 'mpeg4', undefined, 'mpeg4 video'],
  ])(
    'refuses %s with %s video and %s audio, saying how to convert',
    (brand, video, audio, held) => {
      expect(() => videoProbeFromFfprobe(phone(brand, video, audio), 'phone.3gp')).toThrow(
        `UNSUPPORTED_VIDEO: phone.3gp is a 3GPP file with ${held}; only H.264 or HEVC video with AAC audio can be processed in 3GPP. Convert it to MP4`,
      );
    },
  );

  it('does not apply the 3GPP codec rule to MP4 (M4V included)', () => {
    expect(videoProbeFromFfprobe(phone('M4V ', 'mpeg4', 'mp3'))).toMatchObject({
      container: 'mp4',
    });
  });
});

describe('containerName', () => {
  it.each([
    ['mov,mp4,m4a,3gp,3g2,mj2', 'isom', 'mp4'],
    ['mov,mp4,m4a,3gp,3g2,mj2', 'mp42', 'mp4'],
    ['mov,mp4,m4a,3gp,3g2,mj2', 'qt  ', 'mov'],
    ['mov,mp4,m4a,3gp,3g2,mj2', undefined, 'mov'], // old QuickTime files have no ftyp
    ['mov,mp4,m4a,3gp,3g2,mj2', '3gp4', '3gp'],
    ['mov,mp4,m4a,3gp,3g2,mj2', '3gp5', '3gp'],
    ['mov,mp4,m4a,3gp,3g2,mj2', '3g2a', '3gp'],
    ['mov,mp4,m4a,3gp,3g2,mj2', 'M4V ', 'mp4'],
    ['matroska,webm', undefined, 'matroska'],
    [undefined, undefined, 'unknown'],
  ])('%s with brand %j is %s', (formatName, brand, expected) => {
    expect(containerName(formatName, brand)).toBe(expected);
  });
});
