import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { sandboxS3Client, startSandbox } from '@slipway/sandbox';
import { ratio, summarize, type Summary } from './stats';

/** The 12-megapixel JPEG (4000 × 3000, EXIF and GPS) every media measurement uses. */
export const MEDIA_BENCH_IMAGE = 'libs/media/tests/fixtures/images/exif-gps.jpg';

/** What one `media-worker.ts` child printed. */
export interface WorkerResult {
  step: number[];
  raw: number[];
  maxRssBytes: number;
  outputs: Record<string, number>;
}

/** Raw media samples, as {@link measureMedia} collects them. */
export interface MediaSamples {
  image: string;
  /** Alternating step/raw timings (ms) from one process. */
  paired: { step: number[]; raw: number[] };
  /** Peak RSS (bytes) of a process running only the step, and only the baseline. */
  peakRss: { step: number; raw: number };
  /** Per image through the local cloud: S3 put until the execution ended (ms). */
  sandbox: number[];
  /** Encoded images per call, step and baseline (must match for the ratio to mean anything). */
  outputs: { step: number; raw: number };
}

/** The media section of the report. */
export interface MediaReport {
  image: string;
  step: Summary;
  raw: Summary;
  /** Median step / median raw sharp, same process. */
  stepRatio: number;
  peakRss: { step: number; raw: number; ratio: number };
  sandbox: Summary;
  /** Median sandbox end-to-end / median step: what the flow adds around its heaviest Task. */
  sandboxRatio: number;
}

/** Summarizes the media samples. Pure, for the unit tests. */
export function buildMediaReport(samples: MediaSamples): MediaReport {
  if (samples.outputs.step !== samples.outputs.raw)
    throw new Error(
      `The thumbnail step made ${samples.outputs.step} images and the raw sharp baseline ${samples.outputs.raw}: ` +
        'they must produce the same set for the ratio to compare like with like.',
    );
  const step = summarize(samples.paired.step);
  const raw = summarize(samples.paired.raw);
  const sandbox = summarize(samples.sandbox);
  return {
    image: samples.image,
    step,
    raw,
    stepRatio: ratio(step.median, raw.median),
    peakRss: { ...samples.peakRss, ratio: ratio(samples.peakRss.step, samples.peakRss.raw) },
    sandbox,
    sandboxRatio: ratio(sandbox.median, step.median),
  };
}

/** Runs `media-worker.ts` in a fresh process and parses its one JSON line. */
export function runMediaWorker(
  root: string,
  mode: 'both' | 'step' | 'raw',
  iterations: number,
): WorkerResult {
  const stdout = execFileSync(
    join(root, 'node_modules/.bin/tsx'),
    [
      join(root, 'tools/bench/src/media-worker.ts'),
      join(root, MEDIA_BENCH_IMAGE),
      mode,
      String(iterations),
    ],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as WorkerResult;
}

/** Uploads the bench image `runs` times (after one cold warm-up) and times each execution. */
export async function measureSandbox(root: string, runs: number): Promise<number[]> {
  const sandbox = await startSandbox({ root, workDir: join(root, 'dist/bench/sandbox') });
  try {
    const s3 = sandboxS3Client(sandbox.s3);
    const body = readFileSync(join(root, MEDIA_BENCH_IMAGE));
    const samples: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const before = sandbox.executions.length;
      const start = process.hrtime.bigint();
      // A new key each time: a new mediaId, so every run does the full work.
      await s3.send(
        new PutObjectCommand({
          Bucket: sandbox.buckets.media,
          Key: `uploads/bench/photo-${i}.jpg`,
          Body: body,
        }),
      );
      while (sandbox.executions.length === before) await new Promise((r) => setTimeout(r, 5));
      const record = await sandbox.executions[before].record;
      if (record.status !== 'SUCCEEDED' || !(record.output as { finalized?: unknown }).finalized)
        throw new Error(
          `The bench image did not go through the flow (${record.status}): ${JSON.stringify(record.error ?? record.output)}`,
        );
      if (i > 0) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    s3.destroy();
    return samples;
  } finally {
    await sandbox.stop();
  }
}

/** Every media measurement: paired step/baseline timings, peak RSS of each, the sandbox. */
export async function measureMedia(
  root: string,
  options: { iterations: number; sandboxRuns: number },
): Promise<MediaSamples> {
  const paired = runMediaWorker(root, 'both', options.iterations);
  const stepOnly = runMediaWorker(root, 'step', 3);
  const rawOnly = runMediaWorker(root, 'raw', 3);
  return {
    image: MEDIA_BENCH_IMAGE,
    paired: { step: paired.step, raw: paired.raw },
    peakRss: { step: stepOnly.maxRssBytes, raw: rawOnly.maxRssBytes },
    sandbox: await measureSandbox(root, options.sandboxRuns),
    outputs: { step: paired.outputs['step'], raw: paired.outputs['raw'] },
  };
}
