import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { derivedPrefixOf, thumbnailKey } from '@slipway/media';
import { handler } from '../../src/handler';

const s3 = mockClient(S3Client);
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-media-thumbnails' } as Context;
const FIXTURES = join(__dirname, '../../../../libs/media/tests/fixtures/images');
const MEDIA_ID = '0123456789abcdef';
const input = (key: string) => ({
  mediaId: MEDIA_ID,
  object: { bucket: 'slipway-dev-media-111111111111', key },
  derivedPrefix: derivedPrefixOf(MEDIA_ID),
});
const serve = (file: string) => {
  const bytes = readFileSync(join(FIXTURES, file));
  s3.on(GetObjectCommand).resolves({
    ContentLength: bytes.length,
    Body: {
      transformToByteArray: async () => new Uint8Array(bytes),
    } as unknown as GetObjectCommandOutput['Body'],
  });
};

describe('media-thumbnails handler', () => {
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  it('writes six thumbnails with dimensions in their metadata and describes each one', async () => {
    serve('exif-gps.jpg');

    const { derived } = await handler(input('uploads/eiffel.jpg'), context);

    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key).sort()).toEqual(
      [256, 1024, 2048]
        .flatMap((longEdge) => [
          thumbnailKey(MEDIA_ID, { longEdge, format: 'jpeg' }),
          thumbnailKey(MEDIA_ID, { longEdge, format: 'webp' }),
        ])
        .sort(),
    );
    for (const put of puts) {
      const d = derived.find((x) => x.key === put.Key)!;
      expect(put.ContentType).toBe(d.contentType);
      expect(put.Metadata).toEqual({ width: String(d.width), height: String(d.height) });
      expect(d.sha256).toBe(
        createHash('sha256')
          .update(put.Body as Buffer)
          .digest('base64'),
      );
      expect(Math.max(d.width!, d.height!)).toBe(Number(/thumb-(\d+)/.exec(d.key)![1]));
    }
  });

  it('refuses a decompression bomb with MediaInputError and writes nothing', async () => {
    serve('bomb.png');

    await expect(handler(input('uploads/bomb.png'), context)).rejects.toMatchObject({
      name: 'MediaInputError',
    });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
