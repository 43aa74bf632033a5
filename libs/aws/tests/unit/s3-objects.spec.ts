import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ObjectNotFoundError, readObjectHead } from '../../src';

const s3Mock = mockClient(S3Client);
// The SDK's streaming body; only the method the code under test calls is provided.
const body = (bytes: number[]) =>
  ({
    transformToByteArray: async () => new Uint8Array(bytes),
  }) as unknown as GetObjectCommandOutput['Body'];
const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });

describe('readObjectHead', () => {
  beforeEach(() => s3Mock.reset());

  it('asks for exactly the leading bytes and reports the full size from Content-Range', async () => {
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: body([1, 2, 3, 4]), ContentRange: 'bytes 0-3/123456', ETag: '"e"' });

    const head = await readObjectHead(new S3Client({}), { bucket: 'b', key: 'uploads/a.jpg' }, 4);

    expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'b',
      Key: 'uploads/a.jpg',
      VersionId: undefined,
      Range: 'bytes=0-3',
    });
    expect(head).toEqual({
      bytes: new Uint8Array([1, 2, 3, 4]),
      size: 123456,
      etag: '"e"',
      versionId: undefined,
    });
  });

  it('treats 416 as an empty object confirmed by HEAD', async () => {
    s3Mock.on(GetObjectCommand).rejects(s3Error('InvalidRange', 416));
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 0, ETag: '"d41d8"' });

    const head = await readObjectHead(
      new S3Client({}),
      { bucket: 'b', key: 'uploads/empty.jpg' },
      4100,
    );

    expect(head).toEqual({
      bytes: new Uint8Array(),
      size: 0,
      etag: '"d41d8"',
      versionId: undefined,
    });
  });

  it('treats a 206 with total size 0 as empty without reading the body', async () => {
    const read = jest.fn();
    s3Mock.on(GetObjectCommand).resolves({
      Body: {
        transformToByteArray: read,
        transformToWebStream: () => ({ cancel: async () => undefined }),
      } as unknown as GetObjectCommandOutput['Body'],
      ContentRange: 'bytes 0-0/0',
    });

    const head = await readObjectHead(
      new S3Client({}),
      { bucket: 'b', key: 'uploads/empty.jpg' },
      4100,
    );

    expect(head).toMatchObject({ bytes: new Uint8Array(), size: 0 });
    expect(read).not.toHaveBeenCalled();
  });

  it('turns a missing object into ObjectNotFoundError naming it', async () => {
    s3Mock.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));

    const read = readObjectHead(new S3Client({}), { bucket: 'b', key: 'uploads/gone.jpg' }, 10);

    await expect(read).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(read).rejects.toThrow('s3://b/uploads/gone.jpg does not exist');
  });

  it('re-throws other failures untouched', async () => {
    s3Mock.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));

    await expect(readObjectHead(new S3Client({}), { bucket: 'b', key: 'k' }, 10)).rejects.toThrow(
      'AccessDenied',
    );
  });
});
