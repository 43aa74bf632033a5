/**
 * A rerun over a changed day leaves what a first run over the final raw set would (issue 17):
 * ListPartitions removes the outputs no raw object explains, Transform removes the stale
 * whole-object quarantine copy of an object it now reads. S3 is aws-sdk-client-mock; the exact
 * keys deleted are pinned.
 */
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { removeStaleOutputs, runTransform, staleOutputKeys } from '../../src';

process.env.AWS_REGION ??= 'eu-west-1';
const s3mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'eu-west-1' });
const bucket = 'slipway-dev-data-111111111111';
const DATE = '2026-03-01';
const deleted = () =>
  s3mock
    .commandCalls(DeleteObjectsCommand)
    .flatMap((c) => c.args[0].input.Delete!.Objects!.map((o) => o.Key));

/** The bucket after a first run over a.ndjson (2 rejected rows), b.csv and c.ndjson.gz (truncated). */
const FIRST_RUN = {
  'staging/': [
    'staging/_aggregate/dt=2026-03-01/course_daily.parquet',
    'staging/_aggregate/dt=2026-03-01/learner_progress.parquet',
    // A run's object list and Map results: never an output of a raw object, never stale.
    'staging/_runs/2026-03-01/nightly-2026-03-02/objects.json',
    'staging/lms/dt=2026-03-01/a.ndjson.parquet',
    'staging/lms/dt=2026-03-02/old.ndjson.parquet',
    'staging/video/dt=2026-03-01/b.csv.parquet',
  ],
  'quarantine/': [
    'quarantine/lms/dt=2026-03-01/a.ndjson.rejected.ndjson',
    'quarantine/lms/dt=2026-03-01/c.ndjson.gz',
    'quarantine/lms/dt=2026-03-02/old.ndjson.rejected.ndjson',
  ],
} as Record<string, string[]>;
const partitions = (keys: string[]) => ({
  date: DATE,
  asOf: '2026-03-02T01:30:00Z',
  objects: keys.map((key) => ({ key, size: 1 })),
});

describe('staleOutputKeys', () => {
  it.each([
    {
      name: 'every raw object still there: nothing is stale',
      raw: [
        'raw/lms/dt=2026-03-01/a.ndjson',
        'raw/lms/dt=2026-03-01/c.ndjson.gz',
        'raw/video/dt=2026-03-01/b.csv',
      ],
      stale: [],
    },
    {
      name: 'a.ndjson deleted: its staging file and rejected rows, nothing of another day or the work area',
      raw: ['raw/lms/dt=2026-03-01/c.ndjson.gz', 'raw/video/dt=2026-03-01/b.csv'],
      stale: [
        'quarantine/lms/dt=2026-03-01/a.ndjson.rejected.ndjson',
        'staging/lms/dt=2026-03-01/a.ndjson.parquet',
      ],
    },
    {
      name: 'the truncated c.ndjson.gz deleted: its whole-object copy',
      raw: ['raw/lms/dt=2026-03-01/a.ndjson', 'raw/video/dt=2026-03-01/b.csv'],
      stale: ['quarantine/lms/dt=2026-03-01/c.ndjson.gz'],
    },
    {
      name: 'a day with no raw object left: every output of that day',
      raw: [],
      stale: [
        'quarantine/lms/dt=2026-03-01/a.ndjson.rejected.ndjson',
        'quarantine/lms/dt=2026-03-01/c.ndjson.gz',
        'staging/lms/dt=2026-03-01/a.ndjson.parquet',
        'staging/video/dt=2026-03-01/b.csv.parquet',
      ],
    },
  ])('$name', ({ raw, stale }) => {
    expect(
      staleOutputKeys(DATE, raw, [...FIRST_RUN['staging/'], ...FIRST_RUN['quarantine/']]),
    ).toEqual(stale);
  });
});

describe('removeStaleOutputs', () => {
  beforeEach(() => {
    s3mock.reset();
    s3mock.on(DeleteObjectsCommand).resolves({});
    for (const [prefix, keys] of Object.entries(FIRST_RUN))
      s3mock
        .on(ListObjectsV2Command, { Prefix: prefix })
        .resolves({ Contents: keys.map((Key) => ({ Key, Size: 1 })) });
  });

  it('deletes exactly the outputs of the raw objects deleted since the first run', async () => {
    // Act: a.ndjson and c.ndjson.gz were deleted; b.csv is left.
    const removed = await removeStaleOutputs(
      s3,
      bucket,
      partitions(['raw/video/dt=2026-03-01/b.csv']),
    );

    // Assess
    const stale = [
      'quarantine/lms/dt=2026-03-01/a.ndjson.rejected.ndjson',
      'quarantine/lms/dt=2026-03-01/c.ndjson.gz',
      'staging/lms/dt=2026-03-01/a.ndjson.parquet',
    ];
    expect(removed).toEqual(stale);
    expect(deleted().sort()).toEqual(stale);
    expect(
      s3mock
        .commandCalls(ListObjectsV2Command)
        .map((c) => c.args[0].input.Prefix)
        .sort(),
    ).toEqual(['quarantine/', 'staging/']);
  });

  it('deletes nothing when every output is explained (an unchanged rerun, or a retry)', async () => {
    // Act
    const removed = await removeStaleOutputs(
      s3,
      bucket,
      partitions([
        'raw/lms/dt=2026-03-01/a.ndjson',
        'raw/lms/dt=2026-03-01/c.ndjson.gz',
        'raw/video/dt=2026-03-01/b.csv',
      ]),
    );

    // Assess: the listing was really read (two prefixes), and no DeleteObjects was sent.
    expect(removed).toEqual([]);
    expect(s3mock.commandCalls(ListObjectsV2Command)).toHaveLength(2);
    expect(s3mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it("stays within the run's source when one is asked", async () => {
    // Prepare: only lms is rerun; its listing under its own prefixes.
    s3mock.on(ListObjectsV2Command, { Prefix: 'staging/lms/dt=2026-03-01/' }).resolves({
      Contents: [{ Key: 'staging/lms/dt=2026-03-01/a.ndjson.parquet' }],
    });
    s3mock.on(ListObjectsV2Command, { Prefix: 'quarantine/lms/dt=2026-03-01/' }).resolves({
      Contents: [
        { Key: 'quarantine/lms/dt=2026-03-01/a.ndjson.rejected.ndjson' },
        { Key: 'quarantine/lms/dt=2026-03-01/c.ndjson.gz' },
      ],
    });

    // Act: c.ndjson.gz was deleted; b.csv (video) is not in this run's scope.
    const removed = await removeStaleOutputs(
      s3,
      bucket,
      partitions(['raw/lms/dt=2026-03-01/a.ndjson']),
      'lms',
    );

    // Assess
    expect(removed).toEqual(['quarantine/lms/dt=2026-03-01/c.ndjson.gz']);
    expect(deleted()).toEqual(['quarantine/lms/dt=2026-03-01/c.ndjson.gz']);
    expect(
      s3mock
        .commandCalls(ListObjectsV2Command)
        .map((c) => c.args[0].input.Prefix)
        .sort(),
    ).toEqual(['quarantine/lms/dt=2026-03-01/', 'staging/lms/dt=2026-03-01/']);
  });
});

describe('runTransform after the object was fixed', () => {
  const row = (id: string) =>
    JSON.stringify({
      event_id: id,
      event_type: 'lesson_started',
      user_id: 'u1',
      course_id: 'c1',
      occurred_at: '2026-03-01T10:00:00Z',
    });
  const body = (text: string) => ({
    Body: Readable.from([Buffer.from(text)]) as unknown as GetObjectCommandOutput['Body'],
  });
  const input = {
    bucket,
    key: 'raw/lms/dt=2026-03-01/c.ndjson.gz',
    date: DATE,
    asOf: '2026-03-01T20:00:00Z',
  };

  /** The keys PutObject was called with, sorted. */
  const uploaded = () =>
    s3mock
      .commandCalls(PutObjectCommand)
      .map((c) => c.args[0].input.Key!)
      .sort();

  beforeEach(() => {
    s3mock.reset();
    s3mock.on(PutObjectCommand).resolves({});
    s3mock.on(DeleteObjectsCommand).resolves({});
    s3mock.on(CopyObjectCommand).resolves({});
  });

  it('removes the whole-object quarantine copy and the empty rejected-rows file', async () => {
    // Prepare: the object now reads (it was truncated on the first run).
    s3mock.on(GetObjectCommand).resolves(body(`${row('e1')}\n`));

    // Act
    const out = await runTransform(s3, input);

    // Assess
    expect(out.counts).toEqual({ input: 1, valid: 1, rejected: 0, duplicates: 0 });
    expect(deleted()).toEqual([
      'quarantine/lms/dt=2026-03-01/c.ndjson.gz',
      'quarantine/lms/dt=2026-03-01/c.ndjson.gz.rejected.ndjson',
    ]);
    expect(s3mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
    // No rejected row: the rejected-rows file is never uploaded (only deleted, in case an
    // earlier run left one).
    expect(uploaded()).toEqual(['staging/lms/dt=2026-03-01/c.ndjson.gz.parquet']);
  });

  it('keeps the rejected rows it just wrote, and still removes the whole-object copy', async () => {
    // Prepare
    s3mock.on(GetObjectCommand).resolves(body(`${row('e1')}\n{not json\n`));

    // Act
    const out = await runTransform(s3, input);

    // Assess
    expect(out.quarantineKey).toBe('quarantine/lms/dt=2026-03-01/c.ndjson.gz.rejected.ndjson');
    expect(deleted()).toEqual(['quarantine/lms/dt=2026-03-01/c.ndjson.gz']);
    expect(uploaded()).toEqual([
      'quarantine/lms/dt=2026-03-01/c.ndjson.gz.rejected.ndjson',
      'staging/lms/dt=2026-03-01/c.ndjson.gz.parquet',
    ]);
    const rejected = s3mock
      .commandCalls(PutObjectCommand)
      .find((c) => c.args[0].input.Key!.endsWith('.rejected.ndjson'))!;
    expect(String(rejected.args[0].input.Body)).toContain('"code":"MALFORMED_JSON"');
  });
});
