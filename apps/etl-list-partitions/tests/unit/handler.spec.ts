import './support/env';
import type { Context } from 'aws-lambda';
import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { EtlInputError } from '@slipway/etl';
import { handler } from '../../src/handler';

const s3 = mockClient(S3Client);
const context = {
  awsRequestId: 'req-1',
  functionName: 'slipway-dev-etl-list-partitions',
} as Context;
const RUN = 'nightly-2026-03-02';
const request = (r: Record<string, unknown>) => ({ request: r, runId: RUN });
/** The object list written for the Map's ItemReader, parsed. */
const objectList = (date = '2026-03-01') => {
  const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
  expect(puts.map((p) => p.Key)).toEqual([`staging/_runs/${date}/${RUN}/objects.json`]);
  return JSON.parse(String(puts[0].Body)) as { key: string; size: number }[];
};
const KEYS = [
  'raw/video/dt=2026-03-01/b.csv',
  'raw/lms/dt=2026-03-01/a.ndjson.gz',
  'raw/lms/dt=2026-03-01/',
  'raw/lms/dt=2026-03-02/c.ndjson',
  'raw/lms/dt=2026-03-01/nested/d.ndjson',
];

describe('etl-list-partitions handler', () => {
  beforeEach(() => {
    s3.reset();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    s3.on(ListObjectsV2Command).resolves({
      Contents: KEYS.map((Key, i) => ({ Key, Size: 100 + i })),
    });
    s3.on(PutObjectCommand).resolves({});
  });

  it("writes the given day's objects of every source, sorted, to the run's object list and returns only its pointer", async () => {
    // Act
    const out = await handler(
      request({ date: '2026-03-01', asOf: '2026-03-02T00:00:00Z' }),
      context,
    );

    // Assess
    expect(out).toEqual({
      bucket: 'slipway-dev-data-111111111111',
      key: `staging/_runs/2026-03-01/${RUN}/objects.json`,
      count: 2,
      date: '2026-03-01',
      asOf: '2026-03-02T00:00:00Z',
      runId: RUN,
      resultsPrefix: `staging/_runs/2026-03-01/${RUN}/results`,
    });
    expect(objectList()).toEqual([
      { key: 'raw/lms/dt=2026-03-01/a.ndjson.gz', size: 101 },
      { key: 'raw/video/dt=2026-03-01/b.csv', size: 100 },
    ]);
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input.Prefix).toBe('raw/');
  });

  it('writes an empty object list for a day without objects', async () => {
    // Act
    const out = await handler(request({ date: '2026-02-28' }), context);

    // Assess
    expect(out.count).toBe(0);
    expect(objectList('2026-02-28')).toEqual([]);
  });

  it('refuses a run id that is not an execution name, saying what it must be', async () => {
    await expect(
      handler({ request: { date: '2026-03-01' }, runId: '../other' }, context),
    ).rejects.toThrow('must be a Step Functions execution name ($$.Execution.Name)');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("removes the day's staging and quarantine objects that no listed raw object explains", async () => {
    // Prepare: outputs of a.ndjson.gz (still there) and of gone.csv (deleted since a first run).
    s3.on(ListObjectsV2Command, { Prefix: 'staging/' }).resolves({
      Contents: [
        { Key: 'staging/lms/dt=2026-03-01/a.ndjson.gz.parquet' },
        { Key: 'staging/lms/dt=2026-03-01/gone.csv.parquet' },
        { Key: 'staging/_aggregate/dt=2026-03-01/course_daily.parquet' },
      ],
    });
    s3.on(ListObjectsV2Command, { Prefix: 'quarantine/' }).resolves({
      Contents: [{ Key: 'quarantine/lms/dt=2026-03-01/gone.csv.rejected.ndjson' }],
    });
    s3.on(DeleteObjectsCommand).resolves({});

    // Act
    const out = await handler(
      request({ date: '2026-03-01', asOf: '2026-03-02T00:00:00Z' }),
      context,
    );

    // Assess: the Map's input is unchanged; exactly gone.csv's outputs are deleted.
    expect(out.count).toBe(2);
    expect(objectList().map((o) => o.key)).toEqual([
      'raw/lms/dt=2026-03-01/a.ndjson.gz',
      'raw/video/dt=2026-03-01/b.csv',
    ]);
    expect(
      s3
        .commandCalls(DeleteObjectsCommand)
        .flatMap((c) => c.args[0].input.Delete!.Objects!.map((o) => o.Key)),
    ).toEqual([
      'quarantine/lms/dt=2026-03-01/gone.csv.rejected.ndjson',
      'staging/lms/dt=2026-03-01/gone.csv.parquet',
    ]);
    const logged = jest
      .mocked(process.stdout.write)
      .mock.calls.map(([line]) => String(line))
      .filter((line) => line.includes('"Partitions listed"'))
      .map((line) => JSON.parse(line));
    expect(logged).toMatchObject([
      {
        objects: 2,
        staleOutputsRemoved: 2,
        staleOutputs: [
          'quarantine/lms/dt=2026-03-01/gone.csv.rejected.ndjson',
          'staging/lms/dt=2026-03-01/gone.csv.parquet',
        ],
      },
    ]);
  });

  it('takes the UTC day before the scheduled time when no date is given', async () => {
    // Act: the schedule fired on 2 March (UTC), so the complete day to process is 1 March.
    const out = await handler(request({ scheduledTime: '2026-03-02T00:30:00Z' }), context);

    // Assess
    expect(out.date).toBe('2026-03-01');
  });

  it('refuses a request with neither a date nor a scheduled time, saying what to send', async () => {
    await expect(handler(request({}), context)).rejects.toThrow(EtlInputError);
    await expect(handler(request({ date: '2026-02-30' }), context)).rejects.toThrow(
      'date must be a calendar day as YYYY-MM-DD, got "2026-02-30"',
    );
  });
});
