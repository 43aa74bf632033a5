import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { derivedPrefixOf, posterKey, posterThumbnailKey } from '@slipway/media';
import sharp from 'sharp';

const VIDEOS = join(__dirname, '../../../../libs/media/tests/fixtures/videos');
// ffmpeg reads the upload through a presigned URL in AWS; here it reads the fixture file.
jest.mock('@slipway/aws', () => ({
  ...jest.requireActual('@slipway/aws'),
  presignedGetUrl: async (_s3: unknown, object: { key: string }) =>
    join(VIDEOS, object.key.split('/').pop()!),
}));
process.env.FFMPEG_PATH = require.resolve('@ffmpeg-installer/linux-x64/ffmpeg');

const s3 = mockClient(S3Client);
const MEDIA_ID = '0123456789abcdef';
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-media-poster' } as Context;

describe('media-poster handler', () => {
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  it('writes a JPEG poster frame and its thumbnails', async () => {
    const { handler } = await import('../../src/handler');

    const { derived } = await handler(
      {
        mediaId: MEDIA_ID,
        object: { bucket: 'slipway-dev-media-111111111111', key: 'uploads/clip.mp4' },
        derivedPrefix: derivedPrefixOf(MEDIA_ID),
      },
      context,
    );

    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    const poster = puts.find((p) => p.Key === posterKey(MEDIA_ID))!;
    expect(await sharp(poster.Body as Buffer).metadata()).toMatchObject({
      format: 'jpeg',
      width: 640,
      height: 360,
    });
    // The 640x360 clip fills only the smallest thumbnail slot.
    expect(derived.map((d) => [d.key, d.role]).sort()).toEqual(
      [
        [posterThumbnailKey(MEDIA_ID, { longEdge: 256, format: 'jpeg' }), 'poster'],
        [posterThumbnailKey(MEDIA_ID, { longEdge: 256, format: 'webp' }), 'poster'],
        [posterKey(MEDIA_ID), 'poster'],
      ].sort(),
    );
  });
});
