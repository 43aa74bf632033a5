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
import sharp from 'sharp';
import { derivedPrefixOf, metadataKey } from '@slipway/media';
import { handler } from '../../src/handler';

const s3 = mockClient(S3Client);
const MEDIA_ID = '0123456789abcdef';
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-media-metadata' } as Context;
const bytes = readFileSync(
  join(__dirname, '../../../../libs/media/tests/fixtures/images/exif-gps-sw.jpg'),
);

describe('media-metadata handler', () => {
  /** The S3 GetObject of the upload answers with `body`. */
  function serve(body: Buffer) {
    s3.on(GetObjectCommand).resolves({
      ContentLength: body.length,
      Body: {
        transformToByteArray: async () => new Uint8Array(body),
      } as unknown as GetObjectCommandOutput['Body'],
    });
  }
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;

  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
    serve(bytes);
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // Powertools writes WARN and ERROR entries to stderr.
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  it('logs why an impossible DateTimeOriginal was not used, and writes no capture time', async () => {
    // Prepare: a photo whose camera wrote February 30th.
    serve(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
        .withExif({ IFD2: { DateTimeOriginal: '2008:02:30 09:52:01' } })
        .jpeg()
        .toBuffer(),
    );

    // Act
    await handler(
      {
        mediaId: MEDIA_ID,
        object: { bucket: 'slipway-dev-media-111111111111', key: 'uploads/feb30.jpg' },
        derivedPrefix: derivedPrefixOf(MEDIA_ID),
      },
      context,
    );

    // Assess
    const metadata = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0].args[0].input.Body));
    expect(metadata.captureTime).toBeUndefined();
    const warnings = [...stdout.mock.calls, ...stderr.mock.calls]
      .map(([line]) => JSON.parse(String(line)) as Record<string, unknown>)
      .filter((entry) => entry.level === 'WARN');
    expect(warnings).toEqual([
      expect.objectContaining({
        message: 'Metadata value ignored',
        reason:
          'EXIF DateTimeOriginal "2008:02:30 09:52:01" is not a real date (February 2008 has 29 days): ignored.',
      }),
    ]);
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
