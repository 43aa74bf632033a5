/**
 * The ETL flow end to end on the local cloud: the real ASL (libs/flows/etl.asl.json, with its
 * Distributed Map: ItemReader, ItemBatcher and ResultWriter emulated by the sandbox) in the Step
 * Functions interpreter, the packaged etl-* Lambdas, the embedded S3 server, a generated day
 * holding every bad-input case of the issue, and a day of 600 small objects (6 batches; the
 * 10,000-object day is `npm run bench`'s, reconciled exactly there). Curated tables are read back with
 * parquet-wasm (arrow-rs, independent of the writer) and compared with an aggregation computed
 * here from the staging files; quarantine, reconciliation and reruns are checked on S3 itself.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CuratedManifestSchema,
  QuarantinedRowSchema,
  type MapResults,
  type TransformOutput,
} from '@slipway/events';
import { readMapResults } from '@slipway/etl';
import { generateDay, generateSmallObjectsDay, type GeneratedDay } from '@slipway/samples';
// Test support of the etl lib: the independent Parquet reader (no runtime code depends on it).
// eslint-disable-next-line @nx/enforce-module-boundaries -- shared test helper, not production code
import { readParquetWithWasm } from '../../../../libs/etl/tests/unit/support/parquet-wasm';
import { buildServiceGraph, type SegmentDocument } from '@slipway/traces';
import { sandboxS3Client, startSandbox, type ExecutionRecord, type Sandbox } from '../../src';

const REPO = join(__dirname, '../../../..');
let faults: Record<string, (attempt: number) => { name: string; message: string } | undefined> = {};
let sandbox: Sandbox;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    root: REPO,
    workDir: join(REPO, 'dist/sandbox-etl-test'),
    faults: (state, attempt) => faults[state]?.(attempt),
  });
  s3 = sandboxS3Client(sandbox.s3);
  bucket = sandbox.buckets.data;
});
afterAll(async () => sandbox?.stop());
afterEach(() => {
  faults = {};
});

async function upload(day: GeneratedDay): Promise<void> {
  // 16 uploads at a time: a day of 10,000 objects uploads in seconds.
  const queue = [...day.objects];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let object = queue.shift(); object; object = queue.shift())
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: object.key,
            Body: await buffer(object.open()),
          }),
        );
    }),
  );
}
const run = (day: GeneratedDay) =>
  sandbox.etlFlow.run({ date: day.date, asOf: day.now.toISOString() });
const bytesOf = async (key: string) =>
  Buffer.from(
    await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    ).Body!.transformToByteArray(),
  );
const keysUnder = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? [])
    .map((o) => o.Key!)
    .sort();
/** Every staging, quarantine and curated key of one day, sorted. */
const outputsOf = async (date: string) =>
  (await Promise.all(['staging/', 'quarantine/', 'curated/'].map(keysUnder)))
    .flat()
    .filter((key) => key.includes(`/dt=${date}/`))
    .sort();
/** The day's outputs, each with its bytes as base64 (so a difference prints the key). */
const snapshotOf = async (date: string) =>
  Object.fromEntries(
    await Promise.all(
      (await outputsOf(date)).map(async (key) => [key, (await bytesOf(key)).toString('base64')]),
    ),
  );
/** Removes every output of the day: the bucket as before a first run over today's raw objects. */
async function forgetOutputs(date: string): Promise<void> {
  for (const key of await outputsOf(date))
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}
const statesOf = (r: ExecutionRecord) =>
  r.path.filter((p) => p.status === 'succeeded').map((p) => p.state);
type Output = {
  partitions: { result: Record<string, unknown> };
  /** The Distributed Map's output: where its ResultWriter put the results. */
  transforms: MapResults;
  reconciled: {
    result: {
      completed: { counts: Record<string, number>; manifest: { key: string; sha256: string } };
    };
  };
};

/** The run's Transform outputs, read from the Map's results on S3 as Aggregate and Reconcile do. */
const transformsOf = (r: ExecutionRecord): Promise<TransformOutput[]> =>
  readMapResults(s3, (r.output as Output).transforms);
/** The states the Distributed Map's child executions went through, each batch's in order. */
const childStatesOf = (r: ExecutionRecord) =>
  r.mapRuns.flatMap((run) => run.executions.map((e) => e.path.map((p) => [p.state, p.status])));

/** The aggregation the curated tables must hold, computed here from the staging Parquet files. */
function expectedCourseDaily(stagingFiles: Buffer[]): Map<string, Record<string, number | null>> {
  const seen = new Set<string>();
  const courses = new Map<
    string,
    { learners: Set<string>; completed: number; scores: number[]; watch: number; events: number }
  >();
  for (const file of stagingFiles) {
    const { rows, columns } = readParquetWithWasm(file);
    for (let i = 0; i < rows; i++) {
      const id = columns.event_id.values[i] as string;
      if (seen.has(id)) continue;
      seen.add(id);
      const course = columns.course_id.values[i] as string;
      const c = courses.get(course) ?? {
        learners: new Set(),
        completed: 0,
        scores: [],
        watch: 0,
        events: 0,
      };
      courses.set(course, c);
      c.events++;
      c.learners.add(columns.user_id.values[i] as string);
      const type = columns.event_type.values[i];
      if (type === 'lesson_completed') c.completed++;
      if (type === 'quiz_submitted')
        c.scores.push(
          (columns.score.values[i] as number) / (columns.max_score.values[i] as number),
        );
      if (type === 'video_progress') c.watch += columns.seconds_watched.values[i] as number;
    }
  }
  return new Map(
    [...courses].map(([course, c]) => [
      course,
      {
        active_learners: c.learners.size,
        lessons_completed: c.completed,
        avg_quiz_score: c.scores.length
          ? c.scores.reduce((a, b) => a + b, 0) / c.scores.length
          : null,
        watch_seconds: c.watch,
        events: c.events,
      },
    ]),
  );
}

describe('etl flow: a day with every kind of bad input', () => {
  const day = generateDay('2026-03-01', { rows: 300, seed: 7 });
  let record: ExecutionRecord;
  let output: Output;
  let transforms: TransformOutput[];

  beforeAll(async () => {
    // Prepare + Act
    await upload(day);
    record = await run(day);
    output = record.output as Output;
    transforms = await transformsOf(record);
  });

  it('runs every state and succeeds, the 7 objects in one batch of the Distributed Map', () => {
    expect(record.status).toBe('SUCCEEDED');
    expect(statesOf(record)).toEqual([
      'ListPartitions',
      'TransformObjects',
      'Aggregate',
      'Publish',
      'Reconcile',
      'AnnounceCompleted',
      'Completed',
    ]);
    expect(record.path.find((p) => p.state === 'TransformObjects')?.type).toBe('Map');
    expect(record.mapRuns.map((r) => [r.state, r.status, r.items, r.executions.length])).toEqual([
      ['TransformObjects', 'SUCCEEDED', 7, 1],
    ]);
    expect(childStatesOf(record)).toEqual([[['Transform', 'succeeded']]]);
    // ItemBatcher's input: the items as ListPartitions listed them, and the BatchInput.
    expect(record.mapRuns[0].executions[0].input).toEqual({
      Items: day.objects.map((o) => ({ key: o.key, size: expect.any(Number) })),
      BatchInput: { bucket, date: day.date, asOf: day.now.toISOString(), runId: record.name },
    });
  });

  it('carries pointers, not objects, in the state payload', () => {
    expect(output.partitions.result).toEqual({
      bucket,
      key: `staging/_runs/${day.date}/${record.name}/objects.json`,
      count: 7,
      date: day.date,
      asOf: day.now.toISOString(),
      runId: record.name,
      resultsPrefix: `staging/_runs/${day.date}/${record.name}/results`,
    });
    expect(output.transforms).toEqual({
      MapRunArn: record.mapRuns[0].mapRunArn,
      ResultWriterDetails: {
        Bucket: bucket,
        Key: expect.stringMatching(
          new RegExp(
            `^staging/_runs/${day.date}/${record.name}/results/[0-9a-f-]{36}/manifest\\.json$`,
          ),
        ),
      },
    });
  });

  it('is one trace whose service map has exactly the execution, the etl functions, the bucket and the bus', async () => {
    const docs = (await sandbox.xray.segments()) as SegmentDocument[];
    const trace = docs.filter((d) => d.trace_id === record.traceId);
    const graph = buildServiceGraph(trace);
    const SM = 'AWS::StepFunctions::StateMachine|slipway-local-etl';
    const BUCKET = 'AWS::S3::Bucket|slipway-local-data';
    const fns = ['aggregate', 'list-partitions', 'publish', 'reconcile', 'transform'];
    const L = (n: string) => `AWS::Lambda|slipway-local-etl-${n}`;
    const F = (n: string) => `AWS::Lambda::Function|slipway-local-etl-${n}`;

    expect(graph.nodes.map((n) => [n.id, n.health])).toEqual([
      ['client|client', 'ok'],
      ['AWS::EventBridge|EventBridge', 'ok'],
      [BUCKET, 'ok'],
      [SM, 'ok'],
      ...fns.flatMap((n) => [
        [L(n), 'ok'],
        [F(n), 'ok'],
      ]),
    ]);
    // One Transform invocation for the one batch of the Distributed Map (the 7 objects);
    // objects it rejects are handled, not faults.
    const transforms = 1;
    expect(day.objects).toHaveLength(7);
    expect(graph.edges.map((e) => [e.from, e.to, e.stats.count, e.stats.fault])).toEqual([
      ['client|client', SM, 1, 0],
      [SM, 'AWS::EventBridge|EventBridge', 1, 0],
      ...fns.map((n) => [SM, L(n), n === 'transform' ? transforms : 1, 0]),
      [L('aggregate'), F('aggregate'), 1, 0],
      // The Map's results (manifest.json, SUCCEEDED_0.json), one GET per staging file (5: small
      // files are read whole), and the two tables.
      [F('aggregate'), BUCKET, 9, 0],
      [L('list-partitions'), F('list-partitions'), 1, 0],
      // raw/, staging/ and quarantine/ listed (a first run has no stale output to delete), and
      // the run's object list written for the ItemReader.
      [F('list-partitions'), BUCKET, 4, 0],
      [L('publish'), F('publish'), 1, 0],
      [F('publish'), BUCKET, 5, 0],
      [L('reconcile'), F('reconcile'), 1, 0],
      // The Map's results: manifest.json and SUCCEEDED_0.json.
      [F('reconcile'), BUCKET, 2, 0],
      [L('transform'), F('transform'), transforms, 0],
      // Per readable object a GET, the staging PUT, a rejected-rows PUT only when it has
      // rejected rows (empty.ndjson and export-0005.json have none), and one DeleteObjects for
      // what an earlier run may have left; the unreadable ones are copied to quarantine.
      [F('transform'), BUCKET, 24, 0],
    ]);
  });

  it('counts every object exactly as the generator planted it', () => {
    expect(transforms.map((t) => t.key)).toEqual(day.objects.map((o) => o.key));
    for (const object of day.objects) {
      const got = transforms.find((t) => t.key === object.key);
      expect({ key: object.key, counts: got?.counts, error: got?.objectError?.code }).toEqual({
        key: object.key,
        counts: object.expected.counts,
        error: object.expected.objectError,
      });
    }
  });

  it('quarantines exactly the bad rows with their reasons, and unreadable objects whole', async () => {
    for (const object of day.objects) {
      const { rejections, objectError } = object.expected;
      const name = object.key.replace(/^raw\//, 'quarantine/');
      if (objectError) {
        expect(await bytesOf(name)).toEqual(await buffer(object.open()));
        continue;
      }
      const keys = await keysUnder(`${name}.rejected`);
      if (rejections.length === 0) {
        expect(keys).toEqual([]);
        continue;
      }
      const rows = (await bytesOf(`${name}.rejected.ndjson`))
        .toString('utf8')
        .trim()
        .split('\n')
        .map((line) => QuarantinedRowSchema.parse(JSON.parse(line)));
      expect(rows.map((r) => ({ line: r.line, code: r.code }))).toEqual(rejections);
      expect(rows.every((r) => r.error.length > 0)).toBe(true);
    }
  });

  it('publishes curated tables equal to an independent aggregation of the staging files', async () => {
    // Prepare: staging files in key order, as Aggregate reads them.
    const staging = await Promise.all((await keysUnder('staging/lms/')).map(bytesOf));
    const expected = expectedCourseDaily(staging);

    // Act
    const curated = readParquetWithWasm(
      await bytesOf('curated/course_daily/dt=2026-03-01/part-00000.parquet'),
    );

    // Assess
    expect(curated.rows).toBe(expected.size);
    for (let i = 0; i < curated.rows; i++) {
      const course = curated.columns.course_id.values[i] as string;
      const want = expected.get(course)!;
      expect({
        course,
        learners: curated.columns.active_learners.values[i],
        completed: curated.columns.lessons_completed.values[i],
        events: curated.columns.events.values[i],
      }).toEqual({
        course,
        learners: want.active_learners,
        completed: want.lessons_completed,
        events: want.events,
      });
      expect(curated.columns.watch_seconds.values[i]).toBeCloseTo(want.watch_seconds as number, 3);
      if (want.avg_quiz_score === null) expect(curated.columns.avg_quiz_score.values[i]).toBeNull();
      else expect(curated.columns.avg_quiz_score.values[i]).toBeCloseTo(want.avg_quiz_score, 6);
    }
  });

  it('reconciles the day and announces EtlCompleted with the counts and the manifest written last', async () => {
    const { counts, manifest } = output.reconciled.result.completed;
    expect(counts).toEqual(day.expected);
    expect(counts.input).toBe(counts.valid + counts.rejected + counts.duplicates);
    const event = sandbox.bus.events.find((e) => e.detailType === 'EtlCompleted');
    expect(event?.detail).toMatchObject({
      date: day.date,
      counts: day.expected,
      manifest: { key: manifest.key },
    });
    const body = await bytesOf(manifest.key);
    expect(createHash('sha256').update(body).digest('hex')).toBe(manifest.sha256);
    const parsed = CuratedManifestSchema.parse(JSON.parse(body.toString('utf8')));
    for (const file of parsed.files)
      expect(
        createHash('sha256')
          .update(await bytesOf(file.key))
          .digest('hex'),
      ).toBe(file.sha256);
  });

  it('gives byte-identical curated files and manifest on a rerun', async () => {
    // Prepare
    const keys = (await keysUnder('curated/')).sort();
    const before = await Promise.all(keys.map(bytesOf));

    // Act
    const again = await run(day);

    // Assess
    expect(again.status).toBe('SUCCEEDED');
    expect(await keysUnder('curated/')).toEqual(keys);
    expect(await Promise.all(keys.map(bytesOf))).toEqual(before);
  });
});

describe('etl flow: retries and failures', () => {
  it('ends in success when a Transform fails once with a transient Lambda error', async () => {
    // Prepare
    const day = generateDay('2026-03-02', { rows: 40, badRows: false });
    await upload(day);
    faults.Transform = (attempt) =>
      attempt === 1
        ? { name: 'Lambda.TooManyRequestsException', message: 'Rate exceeded' }
        : undefined;

    // Act
    const record = await run(day);

    // Assess
    expect(record.status).toBe('SUCCEEDED');
    expect(childStatesOf(record)).toEqual([
      [
        ['Transform', 'failed'],
        ['Transform', 'retried'],
        ['Transform', 'succeeded'],
      ],
    ]);
    expect((record.output as Output).reconciled.result.completed.counts.valid).toBe(40);
  });

  it('announces EtlFailed and fails when Aggregate keeps failing', async () => {
    // Prepare
    const day = generateDay('2026-03-03', { rows: 20, badRows: false });
    await upload(day);
    faults.Aggregate = () => ({ name: 'Lambda.ServiceException', message: 'Service unavailable' });
    const before = sandbox.bus.events.filter((e) => e.detailType === 'EtlFailed').length;

    // Act
    const record = await run(day);

    // Assess
    expect(record.status).toBe('FAILED');
    expect(record.error?.error).toBe('EtlFailed');
    expect(statesOf(record)).toEqual(expect.arrayContaining(['AnnounceFailure']));
    expect(sandbox.bus.events.filter((e) => e.detailType === 'EtlFailed')).toHaveLength(before + 1);
    expect(await keysUnder('curated/_manifest/dt=2026-03-03/')).toEqual([]);
  });

  it('reports zeros for a day with no objects', async () => {
    // Act
    const record = await sandbox.etlFlow.run({ date: '2026-02-28' });

    // Assess
    expect(record.status).toBe('SUCCEEDED');
    expect((record.output as Output).reconciled.result.completed.counts).toMatchObject({
      objects: 0,
      input: 0,
      valid: 0,
    });
  });
});

describe('etl flow: a rerun over a changed day', () => {
  const day = generateDay('2026-03-05', { rows: 60, seed: 11 });
  const raw = (name: string) => `raw/lms/dt=${day.date}/${name}`;

  it('leaves exactly what a first run over the final raw objects leaves', async () => {
    // Prepare: a first run over the day as generated (truncated.ndjson.gz is quarantined whole).
    await upload(day);
    const first = await run(day);
    expect(first.status).toBe('SUCCEEDED');
    expect(await outputsOf(day.date)).toEqual(
      expect.arrayContaining([
        `quarantine/lms/dt=${day.date}/truncated.ndjson.gz`,
        `staging/lms/dt=${day.date}/events-0003.csv.parquet`,
        `quarantine/lms/dt=${day.date}/events-0003.csv.rejected.ndjson`,
      ]),
    );
    // The producer re-sends truncated.ndjson.gz complete and withdraws events-0003.csv.
    const fixedLines = Array.from({ length: 5 }, (_, i) =>
      JSON.stringify({
        event_id: `fixed-${i}`,
        event_type: 'lesson_started',
        user_id: `u-fixed-${i}`,
        course_id: 'c-fixed',
        occurred_at: `${day.date}T08:0${i}:00Z`,
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: raw('truncated.ndjson.gz'),
        Body: gzipSync(`${fixedLines.join('\n')}\n`),
      }),
    );
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: raw('events-0003.csv') }));

    // Act: the rerun, then a first run over the same raw objects on a bucket without outputs.
    const rerun = await run(day);
    const afterRerun = await snapshotOf(day.date);
    await forgetOutputs(day.date);
    const fresh = await run(day);
    const afterFirstRun = await snapshotOf(day.date);

    // Assess: the same keys with the same bytes, and none of the two stale outputs.
    expect([rerun.status, fresh.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(Object.keys(afterRerun)).toEqual(Object.keys(afterFirstRun));
    expect(afterRerun).toEqual(afterFirstRun);
    expect(Object.keys(afterRerun)).toEqual([
      `curated/_manifest/dt=${day.date}/_manifest.json`,
      `curated/course_daily/dt=${day.date}/part-00000.parquet`,
      `curated/learner_progress/dt=${day.date}/part-00000.parquet`,
      `quarantine/lms/dt=${day.date}/bad-header.csv`,
      `quarantine/lms/dt=${day.date}/events-0001.ndjson.gz.rejected.ndjson`,
      `quarantine/lms/dt=${day.date}/events-0002.ndjson.rejected.ndjson`,
      `staging/_aggregate/dt=${day.date}/course_daily.parquet`,
      `staging/_aggregate/dt=${day.date}/learner_progress.parquet`,
      `staging/lms/dt=${day.date}/empty.ndjson.parquet`,
      `staging/lms/dt=${day.date}/events-0001.ndjson.gz.parquet`,
      `staging/lms/dt=${day.date}/events-0002.ndjson.parquet`,
      `staging/lms/dt=${day.date}/export-0005.json.parquet`,
      `staging/lms/dt=${day.date}/truncated.ndjson.gz.parquet`,
    ]);
    const counts = (rerun.output as Output).reconciled.result.completed.counts;
    expect({ objects: counts.objects, objectErrors: counts.objectErrors }).toEqual({
      objects: 6,
      objectErrors: 1,
    });
  });
});

describe('etl flow: a Map that fails while Transforms are running', () => {
  // 600 small objects: 6 batches of 100, 4 child executions at a time (MaxConcurrency).
  const day = generateSmallObjectsDay('2026-03-07', { objects: 600, rowsPerObject: 1, seed: 5 });
  const transformInvocations = async (traceId: string | undefined) =>
    ((await sandbox.xray.segments()) as SegmentDocument[]).filter(
      (d) =>
        d.trace_id === traceId &&
        d.origin === 'AWS::Lambda' &&
        d.name === 'slipway-local-etl-transform',
    ).length;
  /** The staging and rejected-rows keys Transform writes for objects [from, to). */
  const outputsOfObjects = (from: number, to: number) =>
    day.objects
      .slice(from, to)
      .flatMap((o) => [
        o.key.replace(/^raw\//, 'staging/') + '.parquet',
        ...(o.expected.counts.rejected
          ? [o.key.replace(/^raw\//, 'quarantine/') + '.rejected.ndjson']
          : []),
      ])
      .sort();

  it('ends FAILED, starts no waiting batch, and a later run reads nothing the failed run left', async () => {
    // Prepare: the 5th batch fails with an error no Retry matches, once the 4 first batches
    // have started; the 6th is still waiting for a MaxConcurrency slot.
    await upload(day);
    faults.Transform = (attempt) =>
      attempt === 5 ? { name: 'EtlSpillError', message: 'no space left on /tmp' } : undefined;

    // Act
    const failed = await run(day);
    await sandbox.etlFlow.settled();

    // Assess: as in AWS, the four batches started ran to completion (their outputs discarded)
    // and the waiting one never started.
    expect(failed.status).toBe('FAILED');
    expect(failed.error?.error).toBe('EtlFailed');
    expect(statesOf(failed)).not.toContain('Aggregate');
    expect(
      failed.path
        .filter((p) => p.state === 'TransformObjects' && p.status !== 'succeeded')
        .map((p) => [p.type, p.status, p.error]),
    ).toEqual([
      ['Map', 'failed', 'States.ExceedToleratedFailureThreshold'],
      ['Map', 'caught', undefined],
    ]);
    expect(failed.mapRuns.map((r) => [r.status, r.items, r.executions.length])).toEqual([
      ['FAILED', 600, 5],
    ]);
    expect(await transformInvocations(failed.traceId)).toBe(4);
    expect(await outputsOf(day.date)).toEqual(outputsOfObjects(0, 400));

    // Act: small-00000 is withdrawn (its staging file from the failed run must not be read),
    // the day is rerun, then run again from a bucket without outputs.
    faults = {};
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: day.objects[0].key }));
    const rerun = await run(day);
    const afterRerun = await snapshotOf(day.date);
    await forgetOutputs(day.date);
    const fresh = await run(day);

    // Assess
    expect([rerun.status, fresh.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(afterRerun).toEqual(await snapshotOf(day.date));
    expect(Object.keys(afterRerun)).not.toContain(
      `staging/lms/dt=${day.date}/small-00000.ndjson.parquet`,
    );
    expect((rerun.output as Output).reconciled.result.completed.counts.objects).toBe(599);
  });
});
