import type { Context } from 'aws-lambda';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { quarantineCopyKey, quarantineSidecarKey, thumbnailKey } from '@slipway/media';
import { handler } from '../../src/handler';

const MEDIA_ID = '0123456789abcdef';
const thumbnail = thumbnailKey(MEDIA_ID, { longEdge: 256, format: 'webp' });
const s3 = mockClient(S3Client);
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-media-quarantine' } as Context;
const bucket = 'slipway-dev-media-111111111111';
const bomb = {
  input: {
    object: { bucket, key: 'uploads/2026/bomb.png', versionId: null },
    validation: {
      mediaId: '0123456789abcdef',
      status: 'accepted',
      decision: { status: 'accepted' },
    },
    error: {
      Error: 'MediaInputError',
      Cause: JSON.stringify({
        errorType: 'MediaInputError',
        errorMessage: 'DECOMPRESSION_BOMB: 50000x50000 px is over the 100 MP limit',
        trace: [],
      }),
    },
  },
};

describe('media-quarantine handler', () => {
  beforeEach(() => {
    s3.reset();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: thumbnail, Size: 3 }],
    });
    s3.on(CopyObjectCommand).resolves({});
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
  });

  it('copies the original aside with the reason, removes partial derived objects and writes the sidecar', async () => {
    const result = await handler(bomb, context);

    expect(result).toMatchObject({
      outcome: 'rejected',
      reason: '50000x50000 px is over the 100 MP limit',
    });
    expect(result.event).toMatchObject({
      code: 'DECOMPRESSION_BOMB',
      quarantine: {
        key: quarantineCopyKey(MEDIA_ID, 'uploads/2026/bomb.png'),
        sidecar: quarantineSidecarKey(MEDIA_ID),
      },
    });
    expect(s3.commandCalls(CopyObjectCommand)[0].args[0].input).toMatchObject({
      Bucket: bucket,
      Key: quarantineCopyKey(MEDIA_ID, 'uploads/2026/bomb.png'),
      CopySource: `${bucket}/uploads/2026/bomb.png`,
      Metadata: { 'reason-code': 'DECOMPRESSION_BOMB', 'media-id': '0123456789abcdef' },
    });
    expect(s3.commandCalls(DeleteObjectsCommand)[0].args[0].input.Delete?.Objects).toEqual([
      { Key: thumbnail },
    ]);
    const sidecar = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0].args[0].input.Body));
    expect(sidecar).toMatchObject({
      code: 'DECOMPRESSION_BOMB',
      outcome: 'rejected',
      removedDerived: [thumbnail],
    });
  });

  it('records a missing original instead of failing', async () => {
    s3.on(CopyObjectCommand).rejects(
      new S3ServiceException({
        name: 'NoSuchKey',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'gone',
      }),
    );

    const result = await handler(bomb, context);

    expect(result.event.quarantine).toEqual({ sidecar: quarantineSidecarKey(MEDIA_ID) });
    expect(JSON.parse(String(s3.commandCalls(PutObjectCommand)[0].args[0].input.Body)).note).toBe(
      'not copied: the original no longer exists',
    );
  });

  it('never reads or copies a key outside uploads/', async () => {
    const outside = {
      input: {
        object: { bucket, key: 'derived/0123456789abcdef/thumb.jpg' },
        validation: {
          mediaId: '0123456789abcdef',
          status: 'rejected',
          decision: {
            status: 'rejected',
            code: 'OUTSIDE_UPLOADS',
            reason: 'Only keys under uploads/ are processed.',
          },
        },
      },
    };

    const result = await handler(outside, context);

    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(result.event).toMatchObject({ outcome: 'rejected', code: 'OUTSIDE_UPLOADS' });
  });

  it('reports a fault as failed so the execution ends in Fail', async () => {
    const fault = {
      input: {
        ...bomb.input,
        error: {
          Error: 'Runtime.ExitError',
          Cause: JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: 'out of memory' }),
        },
      },
    };

    await expect(handler(fault, context)).resolves.toMatchObject({
      outcome: 'failed',
      event: { code: 'PROCESSING_FAILED' },
    });
  });
});
