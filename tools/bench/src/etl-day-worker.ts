/**
 * Child process of the ETL-day bench (run with tsx so `@slipway/*` resolve from source). One mode
 * per process, so each peak RSS is its own:
 *
 *   tsx etl-day-worker.ts flow <root> <objects>      the day through the sandbox's ETL flow
 *   tsx etl-day-worker.ts baseline <root> <objects>  transformObject on each object, in-process
 *
 * Both generate the same day (`generateSmallObjectsDay`, seed {@link ETL_DAY_SEED}) and print one
 * JSON line. `flow` uploads the day to the sandbox's S3, runs the real ASL (Distributed Map and
 * all) and **fails unless the day reconciles exactly**: the Map ran every object in batches, each
 * Transform output and the Reconcile totals equal the generator's expected counts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readMapResults, transformObject } from '@slipway/etl';
import type { MapResults } from '@slipway/events';
import { generateSmallObjectsDay, type GeneratedDay } from '@slipway/samples';
import { sandboxS3Client, startSandbox } from '@slipway/sandbox';
import {
  ETL_DAY_DATE,
  ETL_DAY_SEED,
  type EtlDayBaselineResult,
  type EtlDayFlowResult,
} from './etl-day';
import { discard } from './discard';

const [mode, root, objectsText] = process.argv.slice(2);
/** Step Functions' limit on a state's input or output (256 KiB). */
const STATE_PAYLOAD_LIMIT = 256 * 1024;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * The largest peak RSS (`VmHWM`) among this process's child processes (the sandbox's Lambda
 * execution environments, still alive until the sandbox stops). Linux only: elsewhere undefined.
 */
function childrenPeakRss(): number | undefined {
  try {
    const pids = readdirSync('/proc/self/task').flatMap((task) =>
      readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean),
    );
    let max = 0;
    for (const pid of pids) {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) max = Math.max(max, Number(match[1]) * 1024);
    }
    return max || undefined;
  } catch {
    return undefined;
  }
}

async function baseline(day: GeneratedDay): Promise<EtlDayBaselineResult> {
  const start = process.hrtime.bigint();
  let rows = 0;
  for (const object of day.objects) {
    const result = await transformObject(
      { body: object.open(), key: object.key, date: day.date, now: day.now },
      { staging: discard(), quarantine: discard() },
    );
    rows += result.counts.input;
  }
  return { objects: day.objects.length, rows, seconds: seconds(start), peakRssBytes: peakRss() };
}

async function flow(day: GeneratedDay): Promise<EtlDayFlowResult> {
  const sandbox = await startSandbox({
    root,
    workDir: join(root, 'dist/bench/sandbox-etl-day'),
  });
  try {
    const s3 = sandboxS3Client(sandbox.s3);
    const bucket = sandbox.buckets.data;
    const uploadStart = process.hrtime.bigint();
    const queue = [...day.objects];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let o = queue.shift(); o; o = queue.shift())
          await s3.send(
            new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: await buffer(o.open()) }),
          );
      }),
    );
    const uploadSeconds = seconds(uploadStart);
    const flowStart = process.hrtime.bigint();
    const record = await sandbox.etlFlow.run({ date: day.date, asOf: day.now.toISOString() });
    const flowSeconds = seconds(flowStart);
    const lambdaPeakRssBytes = childrenPeakRss();
    if (record.status !== 'SUCCEEDED')
      throw new Error(
        `The ${day.objects.length}-object day did not go through the ETL flow (${record.status}): ${JSON.stringify(record.error)}`,
      );
    const output = record.output as {
      transforms: MapResults;
      reconciled: { result: { completed: { counts: Record<string, number> } } };
    };
    const counts = output.reconciled.result.completed.counts;
    const mismatch = (what: string, actual: unknown, expected: unknown) => {
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        throw new Error(
          `The ${day.objects.length}-object day did not reconcile: ${what} is ${JSON.stringify(actual)}, the generator expects ${JSON.stringify(expected)}.`,
        );
    };
    mismatch('the Reconcile totals', counts, day.expected);
    const transforms = await readMapResults(s3, output.transforms);
    mismatch(
      "the Transform outputs' keys",
      transforms.map((t) => t.key),
      day.objects.map((o) => o.key),
    );
    mismatch(
      "the Transform outputs' counts",
      transforms.map((t) => t.counts),
      day.objects.map((o) => o.expected.counts),
    );
    // No state's input or output grows with the day (the inline Map's did, past 256 KiB).
    const largestStatePayloadBytes = Math.max(
      ...record.history.flatMap((e) => {
        const event = e as unknown as { state?: Record<string, unknown> } & Record<string, unknown>;
        return [event.input, event.output, event.state?.input, event.state?.output]
          .filter((value) => value !== undefined)
          .map((value) => Buffer.byteLength(JSON.stringify(value)));
      }),
    );
    if (largestStatePayloadBytes > STATE_PAYLOAD_LIMIT / 4)
      throw new Error(
        `A state's input or output of the ${day.objects.length}-object day is ${largestStatePayloadBytes} B, over a quarter of Step Functions' ${STATE_PAYLOAD_LIMIT} B limit: the payload grows with the day.`,
      );
    const [run] = record.mapRuns;
    mismatch(
      'the Map Run',
      [record.mapRuns.length, run?.status, run?.items],
      [1, 'SUCCEEDED', day.objects.length],
    );
    s3.destroy();
    return {
      objects: day.objects.length,
      rows: counts.input,
      batches: run.executions.length,
      uploadSeconds,
      flowSeconds,
      peakRssBytes: peakRss(),
      ...(lambdaPeakRssBytes ? { lambdaPeakRssBytes } : {}),
      largestStatePayloadBytes,
      reconciled: counts,
    };
  } finally {
    await sandbox.stop();
  }
}

async function main(): Promise<void> {
  const objects = Number(objectsText);
  const day = generateSmallObjectsDay(ETL_DAY_DATE, { objects, seed: ETL_DAY_SEED });
  const result = mode === 'flow' ? await flow(day) : await baseline(day);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
