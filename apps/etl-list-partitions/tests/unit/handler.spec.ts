import './support/env';
import type { Context } from 'aws-lambda';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { EtlInputError } from '@slipway/etl';
import { handler } from '../../src/handler';

const s3 = mockClient(S3Client);
const context = {
  awsRequestId: 'req-1',
  functionName: 'slipway-dev-etl-list-partitions',
} as Context;
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
    s3.on(ListObjectsV2Command).resolves({ Contents: KEYS.map((Key) => ({ Key, Size: 1 })) });
  });

  it("lists the given day's objects of every source, sorted, with the run's asOf", async () => {
    // Act
    const out = await handler({ date: '2026-03-01', asOf: '2026-03-02T00:00:00Z' }, context);

    // Assess
    expect(out.date).toBe('2026-03-01');
    expect(out.objects.map((o) => o.key)).toEqual([
      'raw/lms/dt=2026-03-01/a.ndjson.gz',
      'raw/video/dt=2026-03-01/b.csv',
    ]);
    expect(out.objects[0]).toEqual({
      bucket: 'slipway-dev-data-111111111111',
      key: 'raw/lms/dt=2026-03-01/a.ndjson.gz',
      date: '2026-03-01',
      asOf: '2026-03-02T00:00:00Z',
    });
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input.Prefix).toBe('raw/');
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
    const out = await handler({ date: '2026-03-01', asOf: '2026-03-02T00:00:00Z' }, context);

    // Assess: the Map's input is unchanged; exactly gone.csv's outputs are deleted.
    expect(out.objects.map((o) => o.key)).toEqual([
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
    const out = await handler({ scheduledTime: '2026-03-02T00:30:00Z' }, context);

    // Assess
    expect(out.date).toBe('2026-03-01');
  });

  it('refuses a request with neither a date nor a scheduled time, saying what to send', async () => {
    await expect(handler({}, context)).rejects.toThrow(EtlInputError);
    await expect(handler({ date: '2026-02-30' }, context)).rejects.toThrow(
      'date must be a calendar day as YYYY-MM-DD, got "2026-02-30"',
    );
  });
});
