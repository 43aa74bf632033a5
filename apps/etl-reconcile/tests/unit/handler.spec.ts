import type { Context } from 'aws-lambda';
import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { EventParseError, type TransformOutput } from '@slipway/events';
import { ReconciliationError } from '@slipway/etl';
import { handler } from '../../src/handler';

process.env.AWS_REGION ??= 'eu-west-1';
const s3 = mockClient(S3Client);
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-etl-reconcile' } as Context;
const sha = 'a'.repeat(64);
const BUCKET = 'slipway-dev-data-111111111111';
const RESULTS = 'staging/_runs/2026-03-01/run-1/results/0f1e';
const MAP_RUN =
  'arn:aws:states:eu-west-1:111111111111:mapRun:slipway-dev-etl/TransformObjects:0f1e';
/** Serves the Map's results on S3 (manifest.json, SUCCEEDED_0.json): one batch per object. */
function serveResults(outputs: TransformOutput[]): void {
  const files: Record<string, unknown> = {
    [`${RESULTS}/manifest.json`]: {
      DestinationBucket: BUCKET,
      MapRunArn: MAP_RUN,
      ResultFiles: { SUCCEEDED: [{ Key: `${RESULTS}/SUCCEEDED_0.json`, Size: 1 }] },
    },
    [`${RESULTS}/SUCCEEDED_0.json`]: outputs.map((o, i) => ({
      ExecutionArn: `arn:aws:states:eu-west-1:111111111111:execution:slipway-dev-etl/TransformObjects:${i}`,
      Status: 'SUCCEEDED',
      Output: JSON.stringify({ outputs: [o] }),
    })),
  };
  s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => ({
    Body: {
      transformToString: async () => JSON.stringify(files[Key]),
    } as unknown as GetObjectCommandOutput['Body'],
  }));
}
const outputs = (): TransformOutput[] => [
  {
    key: 'raw/lms/dt=2026-03-01/a.ndjson',
    counts: { input: 10, valid: 7, rejected: 2, duplicates: 1 },
    stagingKey: 'staging/lms/dt=2026-03-01/a.ndjson.parquet',
  },
  {
    key: 'raw/lms/dt=2026-03-01/b.ndjson.gz',
    counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
    objectError: { code: 'TRUNCATED_GZIP', message: 'truncated' },
  },
];
const input = () => ({
  date: '2026-03-01',
  bucket: BUCKET,
  runId: 'run-1',
  objects: 2,
  transforms: {
    MapRunArn: MAP_RUN,
    ResultWriterDetails: { Bucket: BUCKET, Key: `${RESULTS}/manifest.json` },
  },
  aggregate: {
    date: '2026-03-01',
    tables: [],
    counts: { stagingFiles: 1, stagingRows: 7, events: 7, crossObjectDuplicates: 0 },
  },
  publish: {
    date: '2026-03-01',
    files: [],
    manifest: { key: 'curated/_manifest/dt=2026-03-01/_manifest.json', sha256: sha },
  },
});

describe('etl-reconcile handler', () => {
  beforeEach(() => {
    s3.reset();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  it('balances the day from the Map results on S3 and returns the EtlCompleted detail', async () => {
    // Prepare
    serveResults(outputs());

    // Act
    const out = await handler(input(), context);

    // Assess
    expect(out.reconcile.balanced).toBe(true);
    expect(out.completed).toEqual({
      date: '2026-03-01',
      runId: 'run-1',
      counts: {
        objects: 2,
        objectErrors: 1,
        input: 10,
        valid: 7,
        rejected: 2,
        duplicates: 1,
        crossObjectDuplicates: 0,
        events: 7,
      },
      manifest: {
        bucket: 'slipway-dev-data-111111111111',
        key: 'curated/_manifest/dt=2026-03-01/_manifest.json',
        sha256: sha,
      },
    });
  });

  it('fails the run naming the object whose rows do not add up', async () => {
    // Prepare: one row lost between input and the outcomes.
    const broken = outputs();
    broken[0].counts.valid = 6;
    serveResults(broken);

    // Act + Assess
    await expect(handler(input(), context)).rejects.toThrow(ReconciliationError);
    await expect(handler(input(), context)).rejects.toThrow('raw/lms/dt=2026-03-01/a.ndjson');
  });

  it('fails the run when a listed object has no output in the Map results', async () => {
    // Prepare: two objects listed, one output.
    serveResults(outputs().slice(0, 1));

    // Act + Assess
    await expect(handler(input(), context)).rejects.toThrow(
      "ListPartitions listed 2 objects but the Map's results hold 1 Transform outputs",
    );
  });

  it('refuses an input without the Publish output', async () => {
    const { publish: _publish, ...missing } = input();
    await expect(handler(missing, context)).rejects.toBeInstanceOf(EventParseError);
  });
});
