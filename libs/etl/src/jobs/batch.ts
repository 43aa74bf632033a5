import type { S3Client } from '@aws-sdk/client-s3';
import type { RunObject, TransformBatchInput, TransformOutput } from '@slipway/events';
import { runTransform } from './transform';

/** Objects up to this size share the function with others of the batch; bigger ones run alone. */
export const SMALL_OBJECT_BYTES = 16 * 1024 * 1024;
/** How many small objects of a batch are transformed at the same time. */
export const SMALL_OBJECT_CONCURRENCY = 4;

/**
 * `Transform` for one batch of the Distributed Map (`{ Items, BatchInput }`, GitHub issue 17):
 * {@link runTransform} on each object, one output per item in item order. A small object
 * (≤ {@link SMALL_OBJECT_BYTES}) spends most of its time waiting for S3 (a GET, two uploads, a
 * delete), so up to {@link SMALL_OBJECT_CONCURRENCY} of them run at once; a bigger object runs
 * alone, so the function's memory and `/tmp` hold one big object's work, as before batching. An
 * object that cannot be read is quarantined whole and reported in its output like before; any
 * other error fails the whole batch (the Map's Retry reruns it; each object's outputs are
 * overwritten, so rerunning a batch is idempotent).
 *
 * @example
 * const { outputs } = await runTransformBatch(s3, {
 *   Items: [{ key: 'raw/lms/dt=2026-03-01/a.ndjson', size: 120 }],
 *   BatchInput: { bucket, date: '2026-03-01', asOf: '2026-03-02T01:30:00Z', runId: 'nightly' },
 * });
 */
export async function runTransformBatch(
  s3: S3Client,
  batch: TransformBatchInput,
  onObject: (output: TransformOutput) => void = () => undefined,
): Promise<{ outputs: TransformOutput[] }> {
  const { bucket, date, asOf, runId } = batch.BatchInput;
  const outputs: TransformOutput[] = new Array(batch.Items.length);
  const one = async (item: RunObject, index: number) => {
    const { result: _detail, ...output } = await runTransform(s3, {
      bucket,
      key: item.key,
      date,
      asOf,
      runId,
    });
    onObject(output);
    outputs[index] = output;
  };
  let small: { item: RunObject; index: number }[] = [];
  const drain = async () => {
    const queue = small;
    small = [];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await one(next.item, next.index);
    };
    await Promise.all(Array.from({ length: SMALL_OBJECT_CONCURRENCY }, worker));
  };
  for (const [index, item] of batch.Items.entries()) {
    if (item.size <= SMALL_OBJECT_BYTES) {
      small.push({ item, index });
      continue;
    }
    await drain();
    await one(item, index);
  }
  await drain();
  return { outputs };
}
