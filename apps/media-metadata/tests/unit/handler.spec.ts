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
import { derivedPrefixOf, metadataKey } from '@slipway/media';
import { handler } from '../../src/handler';

const s3 = mockClient(S3Client);
const MEDIA_ID = '0123456789abcdef';
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-media-metadata' } as Context;
const bytes = readFileSync(
  join(__dirname, '../../../../libs/media/tests/fixtures/images/exif-gps-sw.jpg'),
);

describe('media-metadata handler', () => {
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).resolves({
      ContentLength: bytes.length,
      Body: {
        transformToByteArray: async () => new Uint8Array(bytes),
      } as unknown as GetObjectCommandOutput['Body'],
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  it('writes metadata.json with signed GPS and the recorded local time and offset', async () => {
    const { derived } = await handler(
      {
        mediaId: MEDIA_ID,
        object: { bucket: 'slipway-dev-media-111111111111', key: 'uploads/laguna.jpg' },
        derivedPrefix: derivedPrefixOf(MEDIA_ID),
      },
      context,
    );

    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.Key).toBe(metadataKey(MEDIA_ID));
    const metadata = JSON.parse(String(put.Body));
    expect(metadata.gps).toEqual({ latitude: -49.566667, longitude: -68.35, altitude: -105 });
    expect(metadata.captureTime.offset).toBe('-03:00');
    expect(derived).toEqual([
      expect.objectContaining({ role: 'metadata', contentType: 'application/json' }),
    ]);
  });
});
