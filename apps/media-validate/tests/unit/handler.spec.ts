import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { EventParseError } from '@slipway/events';

const s3 = mockClient(S3Client);
const FIXTURES = join(__dirname, '../../../../libs/media/tests/fixtures');
const event = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, `../events/validate/${name}.json`), 'utf8'));
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-media-validate' } as Context;

/** Serves a real fixture the way S3 answers a ranged GET. */
function serveFixture(file: string) {
  const bytes = readFileSync(join(FIXTURES, file));
  s3.on(GetObjectCommand).callsFake((input: { Range: string }) => {
    const end = Math.min(Number(/bytes=0-(\d+)/.exec(input.Range)![1]), bytes.length - 1);
    const slice = new Uint8Array(bytes.subarray(0, end + 1));
    return {
      Body: {
        transformToByteArray: async () => slice,
      } as unknown as GetObjectCommandOutput['Body'],
      ContentRange: `bytes 0-${end}/${bytes.length}`,
      ETag: '"etag-1"',
      VersionId: 'v1',
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

describe('media-validate handler', () => {
  let handler: typeof import('../../src/handler').handler;

  beforeAll(async () => {
    // Powertools writes JSON logs and EMF metrics; keep the test output readable.
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    ({ handler } = await import('../../src/handler'));
  });
  beforeEach(() => s3.reset());

  it('accepts a real JPEG and pins the object version it looked at', async () => {
    serveFixture('photo.jpg');

    const decision = await handler(event('photo-jpg'), context);

    expect(decision.mediaId).toMatch(/^[0-9a-f]{16}$/);
    expect(decision.derivedPrefix).toBe(`derived/${decision.mediaId}/`);
    expect(await handler(event('photo-jpg'), context)).toEqual(decision);
    const { mediaId: _id, derivedPrefix: _prefix, ...rest } = decision;
    expect(rest).toEqual({
      status: 'accepted',
      kind: 'image',
      mime: 'image/jpeg',
      size: readFileSync(join(FIXTURES, 'photo.jpg')).length,
      object: {
        bucket: 'slipway-dev-media-111111111111',
        key: 'uploads/2026/11/photo.jpg',
        etag: '"etag-1"',
        versionId: 'v1',
        size: readFileSync(join(FIXTURES, 'photo.jpg')).length,
      },
    });
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input.Range).toBe('bytes=0-4099');
  });

  it('accepts a QuickTime video as video', async () => {
    serveFixture('clip.mov');

    await expect(handler(event('clip-mov'), context)).resolves.toMatchObject({
      status: 'accepted',
      kind: 'video',
      mime: 'video/quicktime',
    });
  });

  it('rejects a PDF named .jpg from its bytes, whatever the extension says', async () => {
    serveFixture('invoice.jpg');

    const decision = await handler(event('invoice-pdf-named-jpg'), context);

    expect(decision).toMatchObject({
      status: 'rejected',
      code: 'TYPE_NOT_ALLOWED',
      mime: 'application/pdf',
    });
  });

  it('rejects an empty upload', async () => {
    s3.on(GetObjectCommand).rejects(s3Error('InvalidRange', 416));
    s3.on(HeadObjectCommand).resolves({ ContentLength: 0 });

    await expect(handler(event('empty'), context)).resolves.toMatchObject({
      status: 'rejected',
      code: 'EMPTY',
      size: 0,
    });
  });

  it('rejects an upload that no longer exists instead of retrying forever', async () => {
    s3.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));

    await expect(handler(event('missing'), context)).resolves.toMatchObject({
      status: 'rejected',
      code: 'NOT_FOUND',
      reason: expect.stringContaining('uploads/2026/11/gone.jpg does not exist'),
    });
  });

  it('refuses a key outside uploads/ without reading it', async () => {
    const outside = {
      object: { bucket: 'slipway-dev-media-111111111111', key: 'derived/abc/thumb.jpg' },
    };

    const decision = await handler(outside, context);

    expect(decision).toMatchObject({ status: 'rejected', code: 'OUTSIDE_UPLOADS' });
    expect(s3.calls()).toHaveLength(0);
  });

  it('fails on a malformed input with a named error', async () => {
    await expect(handler(event('invalid-empty-key'), context)).rejects.toBeInstanceOf(
      EventParseError,
    );
  });

  it('lets transient S3 failures propagate so Step Functions retries them', async () => {
    s3.on(GetObjectCommand).rejects(s3Error('SlowDown', 503));

    await expect(handler(event('photo-jpg'), context)).rejects.toThrow('SlowDown');
  });
});
