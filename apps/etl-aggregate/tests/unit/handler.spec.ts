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
    transformToString: async () => bytes.toString('utf8'),
  }) as unknown as GetObjectCommandOutput['Body'];
const BUCKET = 'slipway-dev-data-111111111111';
const RESULTS = 'staging/_runs/2026-03-01/run-1/results/0f1e';
/** The Map's output and its results on S3, as ResultWriter writes them: one batch per entry. */
function mapResults(batches: unknown[][]) {
  const files: Record<string, Buffer> = {
    [`${RESULTS}/manifest.json`]: Buffer.from(
      JSON.stringify({
        DestinationBucket: BUCKET,
        MapRunArn:
          'arn:aws:states:eu-west-1:111111111111:mapRun:slipway-dev-etl/TransformObjects:0f1e',
        ResultFiles: {
          FAILED: [],
          PENDING: [],
          SUCCEEDED: [{ Key: `${RESULTS}/SUCCEEDED_0.json`, Size: 1 }],
        },
      }),
    ),
    [`${RESULTS}/SUCCEEDED_0.json`]: Buffer.from(
      JSON.stringify(
        batches.map((outputs, i) => ({
          ExecutionArn: `arn:aws:states:eu-west-1:111111111111:execution:slipway-dev-etl/TransformObjects:${i}`,
          Status: 'SUCCEEDED',
          Output: JSON.stringify({ outputs }),
        })),
      ),
    ),
  };
  const transforms = {
    MapRunArn: 'arn:aws:states:eu-west-1:111111111111:mapRun:slipway-dev-etl/TransformObjects:0f1e',
    ResultWriterDetails: { Bucket: BUCKET, Key: `${RESULTS}/manifest.json` },
  };
  return { files, transforms };
}
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

  it('reads each small staging file in one GET, drops events repeated across files, and writes both tables', async () => {
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
    const transforms = Object.keys(files).map((stagingKey) => ({
      key: stagingKey.replace('staging/', 'raw/').replace('.parquet', ''),
      counts: { input: 2, valid: 2, rejected: 0, duplicates: 0 },
      stagingKey,
    }));
    // The second file's object came back in the first batch: Aggregate still reads in key order.
    const results = mapResults([[transforms[1]], [transforms[0]]]);
    s3.on(GetObjectCommand).callsFake(({ Key, Range }: { Key: string; Range?: string }) => {
      if (Key in results.files) return { Body: sdkBody(results.files[Key]) };
      const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(Range!)!;
      const part = files[Key].subarray(Number(start), Number(end) + 1);
      return {
        Body: sdkBody(part),
        ContentRange: `bytes ${start}-${Number(start) + part.length - 1}/${files[Key].length}`,
      };
    });

    // Act
    const out = await handler({ date: '2026-03-01', transforms: results.transforms }, context);

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
    // The Map's results, then one GET of the first MiB of each staging file (all of it), no HEAD.
    const reads = s3
      .commandCalls(GetObjectCommand)
      .map((c) => [c.args[0].input.Key, c.args[0].input.Range]);
    expect(reads).toEqual([
      ...Object.keys(results.files).map((key) => [key, undefined]),
      ...Object.keys(files).map((key) => [key, 'bytes=0-1048575']),
    ]);
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });

  it('skips objects that were quarantined whole', async () => {
    // Prepare
    const results = mapResults([
      [
        {
          key: 'raw/lms/dt=2026-03-01/t.gz',
          counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
          objectError: { code: 'TRUNCATED_GZIP', message: 'truncated' },
        },
      ],
    ]);
    s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => ({
      Body: sdkBody(results.files[Key]),
    }));

    // Act
    const out = await handler({ date: '2026-03-01', transforms: results.transforms }, context);

    // Assess
    expect(out.counts).toEqual({
      stagingFiles: 0,
      stagingRows: 0,
      events: 0,
      crossObjectDuplicates: 0,
    });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(2);
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });

  it('fails without publishing when a batch of the Map failed', async () => {
    // Prepare: the manifest lists a FAILED result file.
    const results = mapResults([[]]);
    const manifest = JSON.parse(results.files[`${RESULTS}/manifest.json`].toString());
    manifest.ResultFiles.FAILED.push({ Key: `${RESULTS}/FAILED_0.json`, Size: 1 });
    results.files[`${RESULTS}/manifest.json`] = Buffer.from(JSON.stringify(manifest));
    s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => ({
      Body: sdkBody(results.files[Key]),
    }));

    // Act + Assess
    await expect(
      handler({ date: '2026-03-01', transforms: results.transforms }, context),
    ).rejects.toThrow('lists 1 FAILED and 0 PENDING result file(s)');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
