/**
 * stagingSource: how Aggregate reads one staging file from S3 (aws-sdk-client-mock): one GET of
 * the first MiB, which is the whole of a small file; a bigger one by ranged GETs afterwards.
 */
import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { AsyncBuffer } from 'hyparquet';
import { stagingSource, WHOLE_FILE_BYTES } from '../../src/jobs/aggregate';

process.env.AWS_REGION ??= 'eu-west-1';
const s3mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'eu-west-1' });

/** Serves `bytes` for ranged GETs as S3 does (the part, and Content-Range with the length). */
function serve(bytes: Buffer): void {
  s3mock.on(GetObjectCommand).callsFake(({ Range }: { Range: string }) => {
    const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(Range)!;
    const part = bytes.subarray(Number(start), Number(end) + 1);
    return {
      Body: {
        transformToByteArray: async () => new Uint8Array(part),
      } as unknown as GetObjectCommandOutput['Body'],
      ContentRange: `bytes ${start}-${Number(start) + part.length - 1}/${bytes.length}`,
    };
  });
}
const ranges = () => s3mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Range);

describe('stagingSource', () => {
  beforeEach(() => s3mock.reset());

  it('returns a small file whole after one GET', async () => {
    // Prepare
    const bytes = Buffer.from('PAR1 small staging file PAR1');
    serve(bytes);

    // Act
    const source = await stagingSource(s3, 'data', 'staging/lms/dt=2026-03-01/a.ndjson.parquet');

    // Assess
    expect(Buffer.from(source as Uint8Array)).toEqual(bytes);
    expect(ranges()).toEqual([`bytes=0-${WHOLE_FILE_BYTES - 1}`]);
  });

  it('reads a file over the first MiB by ranged GETs, with the length S3 gave', async () => {
    // Prepare
    const bytes = Buffer.alloc(WHOLE_FILE_BYTES + 10, 7);
    bytes.write('tail', WHOLE_FILE_BYTES + 6);
    serve(bytes);

    // Act
    const source = (await stagingSource(s3, 'data', 'staging/big.parquet')) as AsyncBuffer;
    const tail = Buffer.from(await source.slice(WHOLE_FILE_BYTES + 6));

    // Assess
    expect(source.byteLength).toBe(WHOLE_FILE_BYTES + 10);
    expect(tail.toString()).toBe('tail');
    expect(ranges()).toEqual([
      `bytes=0-${WHOLE_FILE_BYTES - 1}`,
      `bytes=${WHOLE_FILE_BYTES + 6}-${WHOLE_FILE_BYTES + 9}`,
    ]);
  });
});
