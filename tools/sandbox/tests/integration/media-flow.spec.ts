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
import { sandboxS3Client, startSandbox, type ExecutionRecord, type Sandbox } from '../../src';

const REPO = join(__dirname, '../../../..');
const FIXTURES = join(REPO, 'libs/media/tests/fixtures');
let faults: Record<string, (attempt: number) => { name: string; message: string } | undefined> = {};
let sandbox: Sandbox;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    root: REPO,
    workDir: join(REPO, 'dist/sandbox-test'),
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
  return sandbox.executions[before].record;
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
      captureTime: { value: '2024-05-01T14:03:22+02:00', offset: '+02:00', local: false },
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

describe('media flow: bad input is quarantined with a reason and announced', () => {
  it.each([
    ['a zero-byte file', 'empty.jpg', 'uploads/bad/empty.jpg', 'EMPTY'],
    ['a PDF named .jpg', 'invoice.jpg', 'uploads/bad/invoice.jpg', 'TYPE_NOT_ALLOWED'],
    ['an unsupported type', 'random.bin', 'uploads/bad/random.png', 'UNKNOWN_TYPE'],
    ['an HTML/JPEG polyglot', 'images/polyglot.jpg', 'uploads/bad/polyglot.jpg', 'CORRUPT_IMAGE'],
    ['a truncated JPEG', 'images/truncated.jpg', 'uploads/bad/truncated.jpg', 'CORRUPT_IMAGE'],
    ['a decompression bomb', 'images/bomb.png', 'uploads/bad/bomb.png', 'DECOMPRESSION_BOMB'],
    ['a corrupt MP4', 'videos/corrupt.mp4', 'uploads/bad/corrupt.mp4', 'CORRUPT_VIDEO'],
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
      workDir: join(REPO, 'dist/sandbox-test'),
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
