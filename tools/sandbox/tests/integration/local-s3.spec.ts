import {
  CopyObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import { copySource } from '@slipway/aws';
import { rm } from 'node:fs/promises';
import { startLocalS3, type LocalS3 } from '../../src/local-s3';
import { sandboxS3Client } from '../../src/sandbox';

// The sandbox's S3 (s3rver on loopback) with the real S3 client: CopyObject reads its source from
// the `x-amz-copy-source` header, URL-encoded as AWS documents it (each key segment encoded, so
// `+ # ? = %` and spaces arrive as %XX). Both quarantines (media and ETL) copy keys like these.
const BUCKET = 'data';

let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [BUCKET] });
  client = sandboxS3Client(s3);
});

afterAll(async () => {
  client?.destroy();
  await s3?.close();
  if (s3) await rm(s3.directory, { recursive: true, force: true });
});

describe('local S3: CopyObject', () => {
  it.each([
    ['+ # ?', 'raw/lms/dt=2026-03-01/a+b#c?d.json.gz'],
    ['a space, % and =', 'raw/lms/dt=2026-03-01/50% of a=b c.csv'],
    ['non-ASCII', 'uploads/été/漢字.jpg'],
    ['; : @ & $ , and a literal %2B', "raw/lms/dt=2026-03-01/x;y:z@a&b$c,d'%2B.ndjson"],
  ])('copies a key holding %s to the destination, byte for byte', async (_name, key) => {
    // Prepare
    const body = Buffer.from(`body of ${key}`);
    const destination = key.replace(/^[^/]+\//, 'quarantine/');
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

    // Act
    await client.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: destination,
        CopySource: copySource(BUCKET, key),
      }),
    );
    const copied = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: destination }));

    // Assess
    expect(Buffer.from(await copied.Body!.transformToByteArray())).toEqual(body);
  });

  it('refuses a copy source whose encoding is broken with InvalidArgument, as S3 does', async () => {
    // Prepare
    const key = 'raw/lms/dt=2026-03-01/ok.csv';
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));

    // Act
    const failure = client.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'quarantine/lms/dt=2026-03-01/ok.csv',
        CopySource: `${BUCKET}/raw/lms/dt=2026-03-01/%E9%ZZ.csv`,
      }),
    );

    // Assess
    await expect(failure).rejects.toBeInstanceOf(S3ServiceException);
    await expect(failure).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: 'Invalid copy source encoding',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('local S3: ListObjectsV2 past one page', () => {
  it('lists 2,500 keys over three pages with continuation tokens, in key order', async () => {
    // Prepare
    const keys = Array.from(
      { length: 2500 },
      (_, i) => `many/dt=2026-03-10/small-${String(i).padStart(5, '0')}.ndjson`,
    );
    const queue = [...keys];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let key = queue.shift(); key; key = queue.shift())
          await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));
      }),
    );

    // Act: s3rver's tokens are DES-encrypted, which Node's OpenSSL 3 refuses without the patch.
    const pages: number[] = [];
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'many/', ContinuationToken: token }),
      );
      pages.push(page.KeyCount ?? 0);
      listed.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);

    // Assess
    expect(pages).toEqual([1000, 1000, 500]);
    expect(listed).toEqual(keys);
  });
});
