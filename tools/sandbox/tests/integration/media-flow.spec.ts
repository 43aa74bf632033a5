/**
 * The media flow end to end on the local cloud: the real ASL (libs/flows/media.asl.json) in the
 * Step Functions interpreter, the packaged Lambda zips in their own processes, an embedded S3
 * server, and executions started by S3 events through the rule's own pattern and transformer.
 * Assertions are on the objects in S3, the events on the bus and the execution history.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { MediaManifestSchema, type MediaManifest } from '@slipway/events';
import {
  buildServiceGraph,
  buildWaterfall,
  writeTraceReport,
  type SegmentDocument,
} from '@slipway/traces';
import { sandboxS3Client, startSandbox, type ExecutionRecord, type Sandbox } from '../../src';

const REPO = join(__dirname, '../../../..');
const FIXTURES = join(REPO, 'libs/media/tests/fixtures');
let faults: Record<string, (attempt: number) => { name: string; message: string } | undefined> = {};
let sandbox: Sandbox;
let s3: S3Client;
let bucket: string;
/** Every execution an upload started, by key (the traces section reads them back). */
const runs = new Map<string, ExecutionRecord>();
const WORK_DIR = join(REPO, 'dist/sandbox-test');

beforeAll(async () => {
  sandbox = await startSandbox({
    root: REPO,
    workDir: WORK_DIR,
    faults: (state, attempt) => faults[state]?.(attempt),
    functionEnvironment: {
      FFMPEG_PATH: require.resolve('@ffmpeg-installer/linux-x64/ffmpeg'),
      FFPROBE_PATH: require.resolve('@ffprobe-installer/linux-x64/ffprobe'),
    },
  });
  s3 = sandboxS3Client(sandbox.s3);
  bucket = sandbox.buckets.media;
});
afterAll(async () => sandbox?.stop());
afterEach(() => {
  faults = {};
});

/** Uploads a fixture under `key` and returns the execution the S3 event started. */
async function upload(fixture: string, key: string): Promise<ExecutionRecord> {
  const before = sandbox.executions.length;
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(join(FIXTURES, fixture)) }),
  );
  await waitFor(() => sandbox.executions.length > before);
  const record = await sandbox.executions[before].record;
  runs.set(key, record);
  return record;
}

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end)
      throw new Error('timed out waiting for the S3 event to start an execution');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const keysUnder = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? [])
    .map((o) => o.Key!)
    .sort();
const bytesOf = async (key: string) =>
  Buffer.from(
    await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    ).Body!.transformToByteArray(),
  );
const statesOf = (r: ExecutionRecord) => r.path.map((p) => p.state);
const mediaIdOf = (r: ExecutionRecord) =>
  (r.output as { validation?: { mediaId: string } }).validation?.mediaId;

describe('media flow: image happy path', () => {
  let run: ExecutionRecord;
  let manifest: MediaManifest;

  beforeAll(async () => {
    run = await upload('images/exif-gps.jpg', 'uploads/2026/11/eiffel.jpg');
    manifest = MediaManifestSchema.parse(
      JSON.parse((await bytesOf(`derived/${mediaIdOf(run)}/manifest.json`)).toString()),
    );
  });

  it('succeeds through Validate, the image branch, Finalize and PublishProcessed', () => {
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run)).toEqual(
      expect.arrayContaining([
        'Validate',
        'RouteByKind',
        'GenerateThumbnails',
        'ExtractMetadata',
        'ProcessImage',
        'Finalize',
        'PublishProcessed',
        'Processed',
      ]),
    );
    expect(statesOf(run)).not.toContain('Quarantine');
  });

  it('writes WebP and JPEG thumbnails with long edges 256, 1024 and 2048', async () => {
    const thumbs = manifest.derived.filter((d) => d.role === 'thumbnail');

    expect(thumbs.map((t) => t.key.split('/').pop()).sort()).toEqual([
      'thumb-1024.jpg',
      'thumb-1024.webp',
      'thumb-2048.jpg',
      'thumb-2048.webp',
      'thumb-256.jpg',
      'thumb-256.webp',
    ]);
    for (const t of thumbs) {
      const meta = await sharp(await bytesOf(t.key)).metadata();
      const edge = Number(/thumb-(\d+)/.exec(t.key)![1]);
      expect(Math.max(meta.width!, meta.height!)).toBe(edge);
      expect(meta.format).toBe(t.key.endsWith('.webp') ? 'webp' : 'jpeg');
      expect(meta.exif).toBeUndefined();
      expect([meta.width, meta.height]).toEqual([t.width, t.height]);
    }
  });

  it('writes metadata.json with the known EXIF and GPS values', async () => {
    const metadata = JSON.parse(
      (await bytesOf(`derived/${mediaIdOf(run)}/metadata.json`)).toString(),
    );

    expect(metadata).toMatchObject({
      format: 'jpeg',
      make: 'Slipway',
      model: 'Test Camera',
      captureTime: {
        value: '2024-05-01T14:03:22+02:00',
        offset: '+02:00',
        local: false,
        source: 'exif',
      },
    });
    expect(metadata.gps.latitude).toBeCloseTo(48.8583, 4);
    expect(metadata.gps.longitude).toBeCloseTo(2.2945, 4);
    expect(metadata.gps.altitude).toBeCloseTo(35, 0);
  });

  it('lists every derived object in the manifest with its real size and SHA-256', async () => {
    const keys = (await keysUnder(`derived/${mediaIdOf(run)}/`)).filter(
      (k) => !k.endsWith('manifest.json'),
    );

    expect(manifest.derived.map((d) => d.key)).toEqual(keys);
    for (const d of manifest.derived) {
      const body = await bytesOf(d.key);
      expect(d.bytes).toBe(body.length);
      expect(d.sha256).toBe(createHash('sha256').update(body).digest('base64'));
    }
  });

  it('announces MediaProcessed with the manifest', () => {
    const event = sandbox.bus.events.find(
      (e) =>
        e.detailType === 'MediaProcessed' &&
        (e.detail as { mediaId: string }).mediaId === mediaIdOf(run),
    );

    expect(event).toMatchObject({ source: 'slipway.media', busName: 'slipway-local-platform' });
    expect(event!.detail).toMatchObject({ kind: 'image', derivedCount: manifest.derived.length });
  });

  it('re-run of the same upload leaves byte-identical derived objects, manifest and event id', async () => {
    const prefix = `derived/${mediaIdOf(run)}/`;
    const before = Object.fromEntries(
      await Promise.all((await keysUnder(prefix)).map(async (k) => [k, await bytesOf(k)])),
    );
    const firstEvent = sandbox.bus.events.filter((e) => e.detailType === 'MediaProcessed').at(-1)!;

    const again = await sandbox.mediaFlow.run(sandbox.executions[0].input);

    expect(again.status).toBe('SUCCEEDED');
    const after = Object.fromEntries(
      await Promise.all((await keysUnder(prefix)).map(async (k) => [k, await bytesOf(k)])),
    );
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const key of Object.keys(before)) expect(after[key].equals(before[key])).toBe(true);
    const secondEvent = sandbox.bus.events.filter((e) => e.detailType === 'MediaProcessed').at(-1)!;
    expect((secondEvent.detail as { eventId: string }).eventId).toBe(
      (firstEvent.detail as { eventId: string }).eventId,
    );
  });
});

describe('media flow: video happy path', () => {
  let run: ExecutionRecord;
  let manifest: MediaManifest;

  beforeAll(async () => {
    run = await upload('videos/clip.mp4', 'uploads/2026/11/course-intro.mp4');
    manifest = MediaManifestSchema.parse(
      JSON.parse((await bytesOf(`derived/${mediaIdOf(run)}/manifest.json`)).toString()),
    );
  });

  it('succeeds through probe, poster and rendition in parallel', () => {
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run)).toEqual(
      expect.arrayContaining([
        'ProbeVideo',
        'ExtractPoster',
        'RenderRendition',
        'ProcessVideo',
        'Finalize',
        'Processed',
      ]),
    );
  });

  it('writes probe.json, a poster with thumbnails and the 720p rendition at their deterministic keys', async () => {
    const id = mediaIdOf(run);
    const names = manifest.derived.map((d) => d.key.replace(`derived/${id}/`, '')).sort();

    expect(names).toEqual(
      [
        'poster-thumb-256.jpg',
        'poster-thumb-256.webp',
        'poster.jpg',
        'probe.json',
        'rendition-720p.mp4',
      ].sort(),
    );
    expect(JSON.parse((await bytesOf(`derived/${id}/probe.json`)).toString())).toMatchObject({
      container: 'mp4',
      video: { codec: 'h264', width: 640, height: 360 },
    });
    expect(manifest.derived.find((d) => d.role === 'rendition')).toMatchObject({
      contentType: 'video/mp4',
    });
    const rendition = await bytesOf(`derived/${id}/rendition-720p.mp4`);
    expect(rendition.subarray(4, 8).toString()).toBe('ftyp');
  });
});

describe('media flow: playable phone and camera videos are processed, not quarantined', () => {
  it.each([
    // Header durations of 10 hours on 2 s of frames: Poster finds its frame at 1 s.
    ['a clip whose header overstates its duration', 'videos/overstated-duration.mp4', 'mp4'],
    // H.264 + AAC in 3GPP with Android's brand.
    ['an Android 3GPP clip (brand 3gp5)', 'videos/phone.3gp', '3gp'],
  ])('%s', async (_label, fixture, container) => {
    // Act
    const run = await upload(fixture, `uploads/2026/12/${fixture.split('/').pop()}`);

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run)).toEqual(expect.arrayContaining(['Finalize', 'Processed']));
    expect(statesOf(run)).not.toContain('Quarantine');
    const id = mediaIdOf(run);
    expect(JSON.parse((await bytesOf(`derived/${id}/probe.json`)).toString())).toMatchObject({
      container,
      video: { codec: 'h264' },
    });
    const poster = await bytesOf(`derived/${id}/poster.jpg`);
    expect([poster[0], poster[1]]).toEqual([0xff, 0xd8]);
    const rendition = await bytesOf(`derived/${id}/rendition-720p.mp4`);
    expect(rendition.subarray(4, 8).toString()).toBe('ftyp');
  });
});

describe('media flow: bad input is quarantined with a reason and announced', () => {
  it.each([
    ['a zero-byte file', 'empty.jpg', 'uploads/bad/empty.jpg', 'EMPTY'],
    ['a PDF named .jpg', 'invoice.jpg', 'uploads/bad/invoice.jpg', 'TYPE_NOT_ALLOWED'],
    ['an unsupported type', 'random.bin', 'uploads/bad/random.png', 'UNKNOWN_TYPE'],
    ['an HTML/JPEG polyglot', 'images/polyglot.jpg', 'uploads/bad/polyglot.jpg', 'CORRUPT_IMAGE'],
    ['a truncated JPEG', 'images/truncated.jpg', 'uploads/bad/truncated.jpg', 'CORRUPT_IMAGE'],
    ['a decompression bomb', 'images/bomb.png', 'uploads/bad/bomb.png', 'DECOMPRESSION_BOMB'],
    ['a corrupt MP4', 'videos/corrupt.mp4', 'uploads/bad/corrupt.mp4', 'CORRUPT_VIDEO'],
    [
      'MPEG-4 Part 2 in 3GPP (an old phone)',
      'videos/mpeg4-part2.3gp',
      'uploads/bad/old-phone.3gp',
      'UNSUPPORTED_VIDEO',
    ],
  ])('%s', async (_label, fixture, key, code) => {
    const run = await upload(fixture, key);

    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run)).toEqual(
      expect.arrayContaining(['Quarantine', 'PublishRejected', 'Rejected']),
    );
    const mediaId = (run.output as { quarantine: { event: { mediaId: string } } }).quarantine.event
      .mediaId;
    const sidecar = JSON.parse((await bytesOf(`quarantine/${mediaId}/reason.json`)).toString());
    expect(sidecar).toMatchObject({ code, outcome: 'rejected' });
    expect(sidecar.reason.length).toBeGreaterThan(10);
    const copy = await s3.send(
      new HeadObjectCommand({
        Bucket: bucket,
        Key: `quarantine/${mediaId}/${key.split('/').pop()}`,
      }),
    );
    expect(copy.Metadata).toMatchObject({ 'reason-code': code });
    expect(await keysUnder(`derived/${mediaId}/`)).toEqual([]);
    const event = sandbox.bus.events.find(
      (e) =>
        e.detailType === 'MediaRejected' && (e.detail as { mediaId: string }).mediaId === mediaId,
    );
    expect(event?.detail).toMatchObject({ code, outcome: 'rejected' });
  });

  it('an object deleted before processing starts', async () => {
    const run = await sandbox.mediaFlow.run({
      object: { bucket, key: 'uploads/bad/vanished.jpg' },
    });

    expect(run.status).toBe('SUCCEEDED');
    const detail = (run.output as { quarantine: { event: Record<string, unknown> } }).quarantine
      .event;
    expect(detail).toMatchObject({ code: 'NOT_FOUND', outcome: 'rejected' });
    expect(detail.quarantine).toEqual({ sidecar: `quarantine/${detail.mediaId}/reason.json` });
  });

  it('an event for a key outside uploads/: the rule ignores it, and a hand-started run refuses it untouched', async () => {
    const before = sandbox.executions.length;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'incoming/photo.jpg',
        Body: readFileSync(join(FIXTURES, 'photo.jpg')),
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(sandbox.executions.length).toBe(before);

    const run = await sandbox.mediaFlow.run({ object: { bucket, key: 'incoming/photo.jpg' } });

    expect((run.output as { quarantine: { event: { code: string } } }).quarantine.event.code).toBe(
      'OUTSIDE_UPLOADS',
    );
    expect(await keysUnder('quarantine/')).not.toContain(expect.stringContaining('incoming'));
  });
});

describe('media flow: faults', () => {
  it('a transient Lambda error is retried and the execution still succeeds', async () => {
    faults = {
      GenerateThumbnails: (attempt) =>
        attempt === 1
          ? { name: 'Lambda.TooManyRequestsException', message: 'Rate exceeded' }
          : undefined,
    };

    const run = await upload('images/exif-gps.jpg', 'uploads/2026/11/retry.jpg');

    expect(run.status).toBe('SUCCEEDED');
    expect(
      run.history
        .filter((e) => e.type === 'StateRetried')
        .map((e) => ('state' in e ? e.state.name : '')),
    ).toEqual(['GenerateThumbnails']);
  });

  it('a permanent failure goes to Quarantine, is announced, and ends the execution in Fail', async () => {
    faults = {
      ExtractMetadata: () => ({
        name: 'Runtime.ExitError',
        message: 'Runtime exited: out of memory',
      }),
    };

    const run = await upload('images/exif-gps.jpg', 'uploads/2026/11/fault.jpg');

    expect(run.status).toBe('FAILED');
    expect(run.error?.error).toBe('MediaProcessingFailed');
    expect(statesOf(run)).toEqual(
      expect.arrayContaining(['Quarantine', 'PublishRejected', 'RejectedOrFailed']),
    );
    const rejected = sandbox.bus.events.filter((e) => e.detailType === 'MediaRejected').at(-1)!;
    expect(rejected.detail).toMatchObject({ outcome: 'failed', code: 'PROCESSING_FAILED' });
    expect(await keysUnder(`derived/${(rejected.detail as { mediaId: string }).mediaId}/`)).toEqual(
      [],
    );
  });
});

describe('media flow: an upload above the configured size limit', () => {
  it('is refused by Validate from its size alone and quarantined', async () => {
    const small = await startSandbox({
      root: REPO,
      // Its own work dir: a sandbox starts its traces file afresh, the main one's stays whole.
      workDir: join(REPO, 'dist/sandbox-test-small'),
      // The limit a platform team would set per environment; tiny here so a test photo exceeds it.
      functionEnvironment: { MAX_IMAGE_BYTES: '10000' },
    });
    try {
      const client = sandboxS3Client(small.s3);
      await client.send(
        new PutObjectCommand({
          Bucket: small.buckets.media,
          Key: 'uploads/big.jpg',
          Body: readFileSync(join(FIXTURES, 'images/exif-gps.jpg')),
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
      const [run] = await small.idle();

      expect(run.status).toBe('SUCCEEDED');
      const detail = (run.output as { quarantine: { event: { code: string; reason: string } } })
        .quarantine.event;
      expect(detail.code).toBe('TOO_LARGE');
      expect(detail.reason).toMatch(/limit/i);
      // The bucket's event on the default bus started the flow through its rule; the flow announced the rejection.
      // The quarantine's own writes reach the default bus too, and match no rule.
      const keyOf = (e: { detail: unknown }) =>
        (e.detail as { object?: { key: string } }).object?.key;
      expect(
        small.bus.events.map((e) => [e.busName, e.source, e.detailType, keyOf(e) ?? '']),
      ).toEqual([
        ['default', 'aws.s3', 'Object Created', 'uploads/big.jpg'],
        ['default', 'aws.s3', 'Object Created', expect.stringMatching(/^quarantine\//)],
        ['default', 'aws.s3', 'Object Created', expect.stringMatching(/^quarantine\//)],
        ['slipway-local-platform', 'slipway.media', 'MediaRejected', ''],
      ]);
      expect(small.bus.routed.map((r) => [r.detailType, r.rule, r.target, r.outcome])).toEqual([
        [
          'Object Created',
          'slipway-local-media-trigger',
          'states:slipway-local-media',
          'delivered',
        ],
      ]);
    } finally {
      await small.stop();
    }
  });
});

describe('media flow: traces', () => {
  const F = 'AWS::Lambda::Function|slipway-local-media-';
  const L = 'AWS::Lambda|slipway-local-media-';
  const SM = 'AWS::StepFunctions::StateMachine|slipway-local-media';
  const BUCKET = 'AWS::S3::Bucket|slipway-local-media';
  let docs: SegmentDocument[];
  const ofTrace = (run: ExecutionRecord) => docs.filter((d) => d.trace_id === run.traceId);

  beforeAll(async () => {
    docs = (await sandbox.xray.segments()) as SegmentDocument[];
  });

  it('one image upload is one trace: the execution, every function it invoked and their SDK calls', () => {
    const run = runs.get('uploads/2026/11/eiffel.jpg')!;
    const trace = ofTrace(run);

    const functions = trace.filter((d) => d.origin === 'AWS::Lambda::Function');
    expect(functions.map((f) => f.name).sort()).toEqual(
      ['finalize', 'metadata', 'thumbnails', 'validate'].map((n) => `slipway-local-media-${n}`),
    );
    // Powertools' handler subsegments joined the trace under their function's segment.
    const handlers = trace.filter((d) => d.name === '## handler.handler');
    expect(handlers.map((h) => h.parent_id).sort()).toEqual(functions.map((f) => f.id).sort());
    expect(
      trace.filter((d) => d.origin === 'AWS::StepFunctions::StateMachine').map((d) => d.aws),
    ).toEqual([{ execution_arn: run.executionArn }]);
  });

  it("the upload's service map has exactly the execution, its functions, the bucket and the bus", () => {
    const graph = buildServiceGraph(ofTrace(runs.get('uploads/2026/11/eiffel.jpg')!));

    expect(graph.nodes.map((n) => [n.id, n.health])).toEqual([
      ['client|client', 'ok'],
      ['AWS::EventBridge|EventBridge', 'ok'],
      [BUCKET, 'ok'],
      [SM, 'ok'],
      ...['finalize', 'metadata', 'thumbnails', 'validate'].flatMap((n) => [
        [`${L}${n}`, 'ok'],
        [`${F}${n}`, 'ok'],
      ]),
    ]);
    expect(graph.edges.map((e) => [e.from, e.to, e.stats.count, e.stats.fault])).toEqual([
      ['client|client', SM, 1, 0],
      [SM, 'AWS::EventBridge|EventBridge', 1, 0],
      ...['finalize', 'metadata', 'thumbnails', 'validate'].map((n) => [SM, `${L}${n}`, 1, 0]),
      [`${L}finalize`, `${F}finalize`, 1, 0],
      [`${F}finalize`, BUCKET, 9, 0],
      [`${L}metadata`, `${F}metadata`, 1, 0],
      [`${F}metadata`, BUCKET, 2, 0],
      [`${L}thumbnails`, `${F}thumbnails`, 1, 0],
      [`${F}thumbnails`, BUCKET, 7, 0],
      [`${L}validate`, `${F}validate`, 1, 0],
      [`${F}validate`, BUCKET, 1, 0],
    ]);
  });

  it('a failing Task is a fault on the edge from the state machine to its function', () => {
    const graph = buildServiceGraph(ofTrace(runs.get('uploads/bad/truncated.jpg')!));

    const faulty = graph.edges
      .filter((e) => e.stats.fault > 0)
      .map((e) => [e.from, e.to, e.stats.count, e.stats.fault]);
    expect(faulty).toEqual([
      [SM, `${L}thumbnails`, 1, 1],
      [`${L}thumbnails`, `${F}thumbnails`, 1, 1],
    ]);
    expect(graph.nodes.find((n) => n.id === `${F}thumbnails`)?.health).toBe('fault');
  });

  it('the waterfall shows Validate, then the image branches side by side, then Finalize, with their S3 calls', () => {
    const run = runs.get('uploads/2026/11/eiffel.jpg')!;
    const { rows } = buildWaterfall(docs, run.traceId!);

    const state = (name: string) => rows.find((r) => r.depth === 1 && r.label === name)!;
    const end = (r: { offsetMs: number; durationMs: number }) => r.offsetMs + r.durationMs;
    const [validate, thumbs, metadata, finalize] = [
      'Validate',
      'GenerateThumbnails',
      'ExtractMetadata',
      'Finalize',
    ].map(state);
    expect(thumbs.offsetMs).toBeGreaterThanOrEqual(end(validate));
    expect(metadata.offsetMs).toBeGreaterThanOrEqual(end(validate));
    // Side by side: each branch starts before the other ends.
    expect(thumbs.offsetMs).toBeLessThan(end(metadata));
    expect(metadata.offsetMs).toBeLessThan(end(thumbs));
    expect(finalize.offsetMs).toBeGreaterThanOrEqual(Math.max(end(thumbs), end(metadata)));
    // Each function's S3 calls sit under it, in time order.
    const s3Under = (fn: string) => {
      const at = rows.findIndex(
        (r) => r.label === `slipway-local-media-${fn} (AWS::Lambda::Function)`,
      );
      const depth = rows[at].depth;
      const next = rows.findIndex((r, i) => i > at && r.depth <= depth);
      return rows
        .slice(at + 1, next === -1 ? undefined : next)
        .filter((r) => r.label.startsWith('S3 '));
    };
    expect(s3Under('validate').map((r) => r.label)).toEqual(['S3 GetObject slipway-local-media']);
    for (const fn of ['validate', 'thumbnails', 'metadata', 'finalize']) {
      const calls = s3Under(fn);
      expect(calls.map((c) => c.offsetMs)).toEqual(
        [...calls.map((c) => c.offsetMs)].sort((a, b) => a - b),
      );
    }
    // Finalize lists the derived objects, reads each one (its size and SHA-256), writes the manifest.
    expect(s3Under('finalize').map((r) => r.label.split(' ')[1])).toEqual([
      'ListObjectsV2',
      ...Array(7).fill('GetObject'),
      'PutObject',
    ]);
    expect(s3Under('thumbnails').map((r) => r.label.split(' ')[1])).toEqual([
      'GetObject',
      ...Array(6).fill('PutObject'),
    ]);
  });

  it('writes the service map of the run as SVG, PNG and Mermaid', async () => {
    const report = await writeTraceReport({
      workDir: WORK_DIR,
      out: join(WORK_DIR, 'traces-report'),
    });

    const png = readFileSync(report.serviceMap.png);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(10_000);
    // Graphviz writes a label's dashes as &#45;.
    const svg = readFileSync(report.serviceMap.svg, 'utf8').replaceAll('&#45;', '-');
    expect(svg).toContain('slipway-local-media-validate');
    expect(svg).toContain('slipway-local-media-thumbnails');
  });
});
