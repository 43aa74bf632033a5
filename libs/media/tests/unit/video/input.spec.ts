import { MediaError, MediaInputError } from '../../../src/errors';
import { VideoToolError } from '../../../src/video';
import { failureError, prepareInput, redactUrls, stderrLines } from '../../../src/video/input';

const PRESIGNED =
  'https://slipway-media.s3.eu-west-1.amazonaws.com/uploads/clip.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20250101&X-Amz-Security-Token=tok&X-Amz-Signature=abc123';

describe('prepareInput', () => {
  it('limits a URL to the web protocols and the MP4 / QuickTime demuxer', () => {
    const prepared = prepareInput(PRESIGNED);

    expect(prepared.input).toBe(PRESIGNED);
    expect(prepared.label).toBe(
      'https://slipway-media.s3.eu-west-1.amazonaws.com/uploads/clip.mp4',
    );
    expect(prepared.options).toEqual([
      '-protocol_whitelist',
      'http,https,tcp,tls',
      '-rw_timeout',
      '15000000',
      '-format_whitelist',
      'mov,mp4,m4a,3gp,3g2,mj2',
    ]);
  });

  it('limits a local file to the file protocol and makes its path absolute', () => {
    const prepared = prepareInput('-i.mp4');

    expect(prepared.input).toBe(`${process.cwd()}/-i.mp4`);
    expect(prepared.options.slice(0, 2)).toEqual(['-protocol_whitelist', 'file']);
  });

  it.each(['s3://bucket/key.mp4', 'file:///etc/passwd', 'concat:a.mp4|b.mp4', 'data:video/mp4,x'])(
    'refuses %s',
    (source) => {
      expect(() => prepareInput(source)).toThrow(MediaError);
    },
  );

  it('refuses an empty source', () => {
    expect(() => prepareInput('')).toThrow(/empty/);
  });
});

describe('redactUrls / stderrLines', () => {
  it('drops the query of every URL, where presigned credentials live', () => {
    expect(redactUrls(`${PRESIGNED}: Server returned 403 Forbidden (access denied)`)).toBe(
      'https://slipway-media.s3.eu-west-1.amazonaws.com/uploads/clip.mp4?…: Server returned 403 Forbidden (access denied)',
    );
  });

  it('drops demuxer addresses and blank lines', () => {
    expect(
      stderrLines('[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0c3a4b2c0] moov atom not found\n\n'),
    ).toEqual(['[mov,mp4,m4a,3gp,3g2,mj2] moov atom not found']);
  });
});

describe('failureError', () => {
  const local = prepareInput('/uploads/corrupt.mp4');
  const remote = prepareInput(PRESIGNED);
  const failed = (stderr: string) => ({ code: 1, stdout: Buffer.alloc(0), stderr });

  it.each([
    // [stderr, input, expected class, problem or failure]
    [
      '/uploads/corrupt.mp4: Invalid data found when processing input',
      local,
      MediaInputError,
      'CORRUPT_VIDEO',
    ],
    [
      '[h264] Invalid NAL unit size (1234 > 56).\nError while decoding stream #0:0',
      local,
      MediaInputError,
      'CORRUPT_VIDEO',
    ],
    [
      "[mov,mp4] Format not on whitelist 'mov,mp4,m4a,3gp,3g2,mj2'\n/uploads/corrupt.mp4: Invalid argument",
      local,
      MediaInputError,
      'UNSUPPORTED_VIDEO',
    ],
    ["Stream map '0:v:0' matches no streams.", local, MediaInputError, 'UNSUPPORTED_VIDEO'],
    [
      "[hls] Protocol 'file' not on whitelist 'http,https,tcp,tls'!",
      remote,
      MediaInputError,
      'UNSUPPORTED_VIDEO',
    ],
    // The file's name says "corrupt"; the file is simply not there: a fault, not a rejection.
    ['/uploads/corrupt.mp4: No such file or directory', local, VideoToolError, 'INPUT_UNREADABLE'],
    [
      `${redactUrls(PRESIGNED)}: Server returned 403 Forbidden (access denied)`,
      remote,
      VideoToolError,
      'INPUT_UNREADABLE',
    ],
    [
      '[tcp] Connection to tcp://10.0.0.1:443 failed: Connection timed out',
      remote,
      VideoToolError,
      'INPUT_UNREADABLE',
    ],
    // Our own mistakes must never quarantine an upload.
    [
      "Unrecognized option 'display_rotation'.\nError splitting the argument list: Option not found",
      local,
      VideoToolError,
      'FAILED',
    ],
    ["Unknown encoder 'libx264'", local, VideoToolError, 'FAILED'],
    ['', local, VideoToolError, 'FAILED'],
  ])('%j → %p %s', (stderr, input, expectedClass, kind) => {
    // Act
    const error = failureError('ffmpeg', input, failed(stderr));

    // Assess
    expect(error).toBeInstanceOf(expectedClass);
    expect(error instanceof MediaInputError ? error.problem : error.failure).toBe(kind);
    expect(error.message).not.toMatch(/X-Amz|abc123|AKIDEXAMPLE/);
  });

  it('quotes the first error line without repeating the input name', () => {
    const error = failureError(
      'ffprobe',
      local,
      failed('/uploads/corrupt.mp4: Invalid data found when processing input'),
    );

    expect(error.message).toBe(
      'CORRUPT_VIDEO: /uploads/corrupt.mp4 is not a readable video (ffprobe: Invalid data found when processing input).',
    );
  });
});
