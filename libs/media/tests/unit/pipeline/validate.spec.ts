import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DEFAULT_UPLOAD_POLICY,
  mediaIdOf,
  pinObject,
  rejectMissing,
  rejectOutsideUploads,
  validateUpload,
} from '../../../src';

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'eu-west-1' });
const BUCKET = 'slipway-dev-media-111111111111';
const photo = readFileSync(join(__dirname, '../../fixtures/photo.jpg'));
const upload = () => ({ bucket: BUCKET, key: 'uploads/2026/11/photo.jpg', etag: '"event-etag"' });

/** S3's answer to a ranged GET of `bytes`, pinned to version `v2`. */
function serve(bytes: Buffer) {
  s3Mock.on(GetObjectCommand).callsFake((input: { Range: string }) => {
    const end = Math.min(Number(/bytes=0-(\d+)/.exec(input.Range)![1]), bytes.length - 1);
    const slice = new Uint8Array(bytes.subarray(0, end + 1));
    return {
      Body: {
        transformToByteArray: async () => slice,
      } as unknown as GetObjectCommandOutput['Body'],
      ContentRange: `bytes 0-${end}/${bytes.length}`,
      ETag: '"etag-v2"',
      VersionId: 'v2',
    };
  });
}

const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });

describe('Validate rules (pure)', () => {
  it('rejects a key outside uploads/ and passes one under it', () => {
    const outside = { bucket: BUCKET, key: 'derived/0123456789abcdef/thumb-256.jpg', size: 7 };

    expect(rejectOutsideUploads(outside)).toEqual({
      status: 'rejected',
      object: outside,
      size: 7,
      code: 'OUTSIDE_UPLOADS',
      reason:
        'Only keys under uploads/ are processed; derived/0123456789abcdef/thumb-256.jpg was left untouched.',
    });
    expect(rejectOutsideUploads(upload())).toBeUndefined();
  });

  it.each<[string, Parameters<typeof pinObject>[1], object]>([
    [
      'takes size, ETag and version from what S3 answered',
      { size: 10, etag: '"etag-v2"', versionId: 'v2' },
      { size: 10, etag: '"etag-v2"', versionId: 'v2' },
    ],
    [
      "keeps the event's ETag when S3 gave none (unversioned bucket)",
      { size: 10 },
      { size: 10, etag: '"event-etag"' },
    ],
  ])('pinObject %s', (_what, seen, pinned) => {
    expect(pinObject(upload(), seen)).toEqual({ ...upload(), ...pinned });
  });

  it('rejectMissing is a NOT_FOUND rejection of size 0 with the given reason', () => {
    expect(rejectMissing(upload(), 'gone')).toEqual({
      status: 'rejected',
      object: upload(),
      size: 0,
      code: 'NOT_FOUND',
      reason: 'gone',
    });
  });
});

describe('validateUpload (S3)', () => {
  beforeEach(() => s3Mock.reset());

  it('accepts a real JPEG pinned to the version it read, with its mediaId and derived prefix', async () => {
    // Prepare
    serve(photo);

    // Act
    const output = await validateUpload(s3, upload(), DEFAULT_UPLOAD_POLICY);

    // Assess
    const object = { ...upload(), etag: '"etag-v2"', versionId: 'v2', size: photo.length };
    const mediaId = mediaIdOf(object);
    expect(output).toEqual({
      status: 'accepted',
      object,
      kind: 'image',
      mime: 'image/jpeg',
      size: photo.length,
      mediaId,
      derivedPrefix: `derived/${mediaId}/`,
    });
    expect(s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: 'uploads/2026/11/photo.jpg', Range: 'bytes=0-4099' },
    ]);
  });

  it('refuses a key outside uploads/ without any S3 call', async () => {
    const outside = { bucket: BUCKET, key: 'quarantine/0123456789abcdef/a.jpg' };

    const output = await validateUpload(s3, outside, DEFAULT_UPLOAD_POLICY);

    expect(output).toMatchObject({ status: 'rejected', code: 'OUTSIDE_UPLOADS', size: 0 });
    expect(output.mediaId).toBe(mediaIdOf(outside));
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('rejects an upload that no longer exists as NOT_FOUND, keyed by the event', async () => {
    s3Mock.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));

    const output = await validateUpload(s3, upload(), DEFAULT_UPLOAD_POLICY);

    expect(output).toEqual({
      status: 'rejected',
      object: upload(),
      size: 0,
      code: 'NOT_FOUND',
      reason: `s3://${BUCKET}/uploads/2026/11/photo.jpg does not exist: it was deleted or the event is stale`,
      mediaId: mediaIdOf(upload()),
      derivedPrefix: `derived/${mediaIdOf(upload())}/`,
    });
  });

  it('rejects an empty upload after confirming its size with a HEAD', async () => {
    s3Mock.on(GetObjectCommand).rejects(s3Error('InvalidRange', 416));
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 0, ETag: '"empty"', VersionId: 'v3' });

    const output = await validateUpload(s3, upload(), DEFAULT_UPLOAD_POLICY);

    expect(output).toMatchObject({
      status: 'rejected',
      code: 'EMPTY',
      size: 0,
      object: { ...upload(), size: 0, etag: '"empty"', versionId: 'v3' },
    });
  });

  it('lets a transient S3 failure through, so Step Functions retries it', async () => {
    s3Mock.on(GetObjectCommand).rejects(s3Error('SlowDown', 503));

    await expect(validateUpload(s3, upload(), DEFAULT_UPLOAD_POLICY)).rejects.toThrow('SlowDown');
  });
});
