import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { derivedPrefixOf, probeKey } from '@slipway/media';

const VIDEOS = join(__dirname, '../../../../libs/media/tests/fixtures/videos');
// ffprobe reads the upload through a presigned URL in AWS; here it reads the fixture file.
jest.mock('@slipway/aws', () => ({
  ...jest.requireActual('@slipway/aws'),
  presignedGetUrl: async (_s3: unknown, object: { key: string }) =>
    join(VIDEOS, object.key.split('/').pop()!),
}));
process.env.FFPROBE_PATH = require.resolve('@ffprobe-installer/linux-x64/ffprobe');

const s3 = mockClient(S3Client);
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-media-probe' } as Context;
const MEDIA_ID = '0123456789abcdef';
const input = (key: string) => ({
  mediaId: MEDIA_ID,
  object: { bucket: 'slipway-dev-media-111111111111', key },
  derivedPrefix: derivedPrefixOf(MEDIA_ID),
});

describe('media-probe handler', () => {
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  it('writes probe.json for a real MP4', async () => {
    const { handler } = await import('../../src/handler');

    await handler(input('uploads/clip.mp4'), context);

    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.Key).toBe(probeKey(MEDIA_ID));
    expect(JSON.parse(String(put.Body))).toMatchObject({
      container: 'mp4',
      video: { codec: 'h264', width: 640, height: 360, rotation: 0 },
      audio: { codec: 'aac' },
    });
  });

  it('refuses a corrupt MP4 as bad input', async () => {
    const { handler } = await import('../../src/handler');

    await expect(handler(input('uploads/corrupt.mp4'), context)).rejects.toMatchObject({
      name: 'MediaInputError',
    });
  });
});
