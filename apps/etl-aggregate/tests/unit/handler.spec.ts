import './support/env';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Context } from 'aws-lambda';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { transformObject } from '@slipway/etl';
import { handler } from '../../src/handler';

const s3 = mockClient(S3Client);
/** The part of an SDK response body the code reads. */
const sdkBody = (bytes: Buffer) =>
  ({
    transformToByteArray: async () => new Uint8Array(bytes),
  }) as unknown as GetObjectCommandOutput['Body'];
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-etl-aggregate' } as Context;
const event = (id: string, user: string, type: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    event_id: id,
    event_type: type,
    user_id: user,
    course_id: 'c1',
    occurred_at: '2026-03-01T10:00:00Z',
    ...extra,
  });

/** A real staging file: the given NDJSON lines through Transform. */
async function staging(lines: string[]): Promise<Buffer> {
  const sinks = { staging: new PassThrough(), quarantine: new PassThrough() };
  const bytes = buffer(sinks.staging);
  sinks.quarantine.resume();
  await transformObject(
    {
      body: Readable.from([Buffer.from(lines.join('\n'))]),
      key: 'raw/lms/dt=2026-03-01/x.ndjson',
      date: '2026-03-01',
      now: new Date('2026-03-02T00:00:00Z'),
    },
    sinks,
  );
  return bytes;
}

describe('etl-aggregate handler', () => {
  beforeEach(() => {
    s3.reset();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    s3.on(PutObjectCommand).resolves({});
  });

  it('reads the staging files by ranged GETs, drops events repeated across files, and writes both tables', async () => {
    // Prepare: e2 appears in both files.
    const files: Record<string, Buffer> = {
      'staging/lms/dt=2026-03-01/a.ndjson.parquet': await staging([
        event('e1', 'u1', 'lesson_started'),
        event('e2', 'u1', 'lesson_completed'),
      ]),
      'staging/lms/dt=2026-03-01/b.ndjson.parquet': await staging([
        event('e2', 'u1', 'lesson_completed'),
        event('e3', 'u2', 'quiz_submitted', { score: 3, max_score: 4 }),
      ]),
    };
    s3.on(HeadObjectCommand).callsFake(({ Key }: { Key: string }) => ({
      ContentLength: files[Key].length,
    }));
    s3.on(GetObjectCommand).callsFake(({ Key, Range }: { Key: string; Range: string }) => {
      const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(Range)!;
      return {
        Body: sdkBody(files[Key].subarray(Number(start), Number(end) + 1)),
      };
    });
    const transforms = Object.keys(files).map((stagingKey) => ({
      key: stagingKey.replace('staging/', 'raw/').replace('.parquet', ''),
      counts: { input: 2, valid: 2, rejected: 0, duplicates: 0 },
      stagingKey,
    }));

    // Act
    const out = await handler({ date: '2026-03-01', transforms }, context);

    // Assess
    expect(out.counts).toEqual({
      stagingFiles: 2,
      stagingRows: 4,
      events: 3,
      crossObjectDuplicates: 1,
    });
    expect(out.tables.map((t) => [t.table, t.key, t.rows])).toEqual([
      ['course_daily', 'staging/_aggregate/dt=2026-03-01/course_daily.parquet', 1],
      ['learner_progress', 'staging/_aggregate/dt=2026-03-01/learner_progress.parquet', 2],
    ]);
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual(
      out.tables.map((t) => t.key),
    );
    expect(
      s3.commandCalls(GetObjectCommand).every((c) => c.args[0].input.Range?.startsWith('bytes=')),
    ).toBe(true);
  });

  it('skips objects that were quarantined whole', async () => {
    // Act
    const out = await handler(
      {
        date: '2026-03-01',
        transforms: [
          {
            key: 'raw/lms/dt=2026-03-01/t.gz',
            counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
            objectError: { code: 'TRUNCATED_GZIP', message: 'truncated' },
          },
        ],
      },
      context,
    );

    // Assess
    expect(out.counts).toEqual({
      stagingFiles: 0,
      stagingRows: 0,
      events: 0,
      crossObjectDuplicates: 0,
    });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });
});
