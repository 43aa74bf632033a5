import { Readable } from 'node:stream';
import type { Context } from 'aws-lambda';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { MediaManifestSchema, MediaProcessedDetailSchema } from '@slipway/events';
import { derivedPrefixOf, manifestKey, metadataKey, thumbnailKey } from '@slipway/media';
import { handler } from '../../src/handler';

const s3 = mockClient(S3Client);
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-media-finalize' } as Context;
const MEDIA_ID = '0123456789abcdef';
const thumbnail = thumbnailKey(MEDIA_ID, { longEdge: 256, format: 'webp' });
const input = {
  mediaId: MEDIA_ID,
  object: { bucket: 'slipway-dev-media-111111111111', key: 'uploads/a.jpg', size: 10 },
  derivedPrefix: derivedPrefixOf(MEDIA_ID),
  kind: 'image',
  mime: 'image/jpeg',
};
const objects: Record<string, { body: string; type: string; metadata?: Record<string, string> }> = {
  [thumbnail]: {
    body: 'webp-bytes',
    type: 'image/webp',
    metadata: { width: '256', height: '171' },
  },
  [metadataKey(MEDIA_ID)]: { body: '{"format":"jpeg"}', type: 'application/json' },
  [manifestKey(MEDIA_ID)]: { body: 'old manifest', type: 'application/json' },
};

describe('media-finalize handler', () => {
  beforeEach(() => {
    s3.reset();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    s3.on(ListObjectsV2Command).resolves({
      Contents: Object.keys(objects).map((Key) => ({ Key, Size: objects[Key].body.length })),
    });
    s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => ({
      Body: Readable.from([
        Buffer.from(objects[Key].body),
      ]) as unknown as GetObjectCommandOutput['Body'],
      ContentType: objects[Key].type,
      Metadata: objects[Key].metadata ?? {},
    }));
    s3.on(PutObjectCommand).resolves({});
  });

  it('writes a sorted manifest of every derived object except itself, with sizes, hashes and dimensions', async () => {
    const result = await handler(input, context);

    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.Key).toBe('derived/0123456789abcdef/manifest.json');
    const manifest = MediaManifestSchema.parse(JSON.parse(String(put.Body)));
    expect(manifest.derived.map((d) => [d.key, d.role, d.bytes])).toEqual([
      [metadataKey(MEDIA_ID), 'metadata', 17],
      [thumbnail, 'thumbnail', 10],
    ]);
    expect(manifest.derived[1]).toMatchObject({
      width: 256,
      height: 171,
      contentType: 'image/webp',
    });
    expect(MediaProcessedDetailSchema.parse(result.event)).toMatchObject({
      derivedCount: 2,
      kind: 'image',
    });
  });

  it('writes the same manifest and announces the same event id when run twice', async () => {
    const first = await handler(input, context);
    const second = await handler(input, context);

    const bodies = s3.commandCalls(PutObjectCommand).map((c) => String(c.args[0].input.Body));
    expect(bodies[1]).toBe(bodies[0]);
    expect(second.event.eventId).toBe(first.event.eventId);
  });

  it('fails, writing no manifest, when the prefix holds an object no Task writes', async () => {
    // Prepare: the listing also returns a stray object.
    const stray = 'derived/0123456789abcdef/notes.txt';
    s3.on(ListObjectsV2Command).resolves({
      Contents: [...Object.keys(objects), stray].map((Key) => ({ Key, Size: 1 })),
    });

    // Act / Assess
    await expect(handler(input, context)).rejects.toThrow(
      `${stray} is not a derived object of the media flow`,
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
