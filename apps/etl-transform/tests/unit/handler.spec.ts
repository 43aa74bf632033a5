import './support/env';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Context } from 'aws-lambda';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/handler';

const s3 = mockClient(S3Client);
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-etl-transform' } as Context;
const bucket = 'slipway-dev-data-111111111111';
const row = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    event_id: id,
    event_type: 'lesson_started',
    user_id: 'u1',
    course_id: 'c1',
    occurred_at: '2026-03-01T10:00:00Z',
    ...extra,
  });
const body = (bytes: Buffer) => ({
  Body: Readable.from([bytes]) as unknown as GetObjectCommandOutput['Body'],
});
/** A batch of the Distributed Map, as ItemBatcher builds it. */
const batch = (...keys: string[]) => ({
  Items: keys.map((key) => ({ key, size: 100 })),
  BatchInput: { bucket, date: '2026-03-01', asOf: '2026-03-01T20:00:00Z', runId: 'nightly' },
});
const putKeys = () =>
  s3
    .commandCalls(PutObjectCommand)
    .map((c) => c.args[0].input.Key)
    .sort();

describe('etl-transform handler', () => {
  beforeEach(() => {
    s3.reset();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    s3.on(PutObjectCommand).resolves({});
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(CopyObjectCommand).resolves({});
  });

  it('writes the valid rows to staging and the rejected ones to quarantine, with balanced counts', async () => {
    // Prepare: 2 valid, 1 duplicate, 1 malformed, 1 in the future (after asOf).
    const lines = [
      row('e1'),
      row('e2'),
      row('e1'),
      '{not json',
      row('e3', { occurred_at: '2026-03-01T21:00:00Z' }),
    ];
    s3.on(GetObjectCommand).resolves(body(Buffer.from(lines.join('\n'))));

    // Act
    const [out] = (await handler(batch('raw/lms/dt=2026-03-01/a.ndjson'), context)).outputs;

    // Assess
    expect(out).toEqual({
      key: 'raw/lms/dt=2026-03-01/a.ndjson',
      counts: { input: 5, valid: 2, rejected: 2, duplicates: 1 },
      stagingKey: 'staging/lms/dt=2026-03-01/a.ndjson.parquet',
      quarantineKey: 'quarantine/lms/dt=2026-03-01/a.ndjson.rejected.ndjson',
    });
    expect(putKeys()).toEqual([
      'quarantine/lms/dt=2026-03-01/a.ndjson.rejected.ndjson',
      'staging/lms/dt=2026-03-01/a.ndjson.parquet',
    ]);
    const parquet = s3
      .commandCalls(PutObjectCommand)
      .find((c) => c.args[0].input.Key!.startsWith('staging/'));
    expect(parquet?.args[0].input.ContentType).toBe('application/vnd.apache.parquet');
  });

  it('removes the empty quarantine file, and a whole-object copy an earlier run left, when no row is rejected', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves(body(Buffer.from(`${row('e1')}\n`)));

    // Act
    const [out] = (await handler(batch('raw/lms/dt=2026-03-01/b.ndjson'), context)).outputs;

    // Assess
    expect(out.quarantineKey).toBeUndefined();
    const deleted = s3
      .commandCalls(DeleteObjectsCommand)
      .flatMap((c) => c.args[0].input.Delete!.Objects!.map((o) => o.Key));
    expect(deleted).toEqual([
      'quarantine/lms/dt=2026-03-01/b.ndjson',
      'quarantine/lms/dt=2026-03-01/b.ndjson.rejected.ndjson',
    ]);
  });

  it('quarantines a truncated gzip whole and reports it with zero counts', async () => {
    // Prepare
    const gz = gzipSync(Buffer.from(`${row('e1')}\n${row('e2')}\n`));
    s3.on(GetObjectCommand).resolves(body(gz.subarray(0, gz.length - 12)));

    // Act
    const [out] = (await handler(batch('raw/lms/dt=2026-03-01/c.ndjson.gz'), context)).outputs;

    // Assess
    expect(out).toMatchObject({
      counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
      quarantineKey: 'quarantine/lms/dt=2026-03-01/c.ndjson.gz',
      objectError: { code: 'TRUNCATED_GZIP' },
    });
    const copy = s3.commandCalls(CopyObjectCommand)[0].args[0].input;
    expect(copy).toMatchObject({
      Bucket: bucket,
      Key: 'quarantine/lms/dt=2026-03-01/c.ndjson.gz',
      CopySource: `${bucket}/raw/lms/dt%3D2026-03-01/c.ndjson.gz`,
      Metadata: { 'slipway-reason': 'TRUNCATED_GZIP' },
    });
  });

  it('transforms every object of a batch in item order, one output each, and sums the metrics', async () => {
    // Prepare: a readable object, then a truncated gzip.
    const gz = gzipSync(Buffer.from(`${row('e1')}\n`));
    s3.on(GetObjectCommand, { Key: 'raw/lms/dt=2026-03-01/a.ndjson' }).resolves(
      body(Buffer.from(`${row('e1')}\n${row('e1')}\n{bad\n`)),
    );
    s3.on(GetObjectCommand, { Key: 'raw/lms/dt=2026-03-01/b.ndjson.gz' }).resolves(
      body(gz.subarray(0, gz.length - 12)),
    );

    // Act
    const out = await handler(
      batch('raw/lms/dt=2026-03-01/a.ndjson', 'raw/lms/dt=2026-03-01/b.ndjson.gz'),
      context,
    );

    // Assess
    expect(out.outputs.map((o) => [o.key, o.counts, o.objectError?.code])).toEqual([
      [
        'raw/lms/dt=2026-03-01/a.ndjson',
        { input: 3, valid: 1, rejected: 1, duplicates: 1 },
        undefined,
      ],
      [
        'raw/lms/dt=2026-03-01/b.ndjson.gz',
        { input: 0, valid: 0, rejected: 0, duplicates: 0 },
        'TRUNCATED_GZIP',
      ],
    ]);
    const emf = jest
      .mocked(process.stdout.write)
      .mock.calls.map(([line]) => String(line))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));
    expect(emf).toMatchObject([
      {
        RowsInput: 3,
        RowsValid: 1,
        RowsRejected: 1,
        RowsDuplicate: 1,
        ObjectsQuarantined: 1,
        ObjectsTransformed: 2,
      },
    ]);
  });

  it('refuses a batch without its BatchInput, naming the field', async () => {
    // Prepare
    const { Items } = batch('raw/lms/dt=2026-03-01/a.ndjson');

    // Act + Assess
    await expect(handler({ Items } as never, context)).rejects.toThrow(
      'Invalid Transform input: BatchInput: Invalid input: expected object, received undefined',
    );
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });
});
