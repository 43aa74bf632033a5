import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  ChildExecutionResultSchema,
  ResultWriterManifestSchema,
  TransformBatchOutputSchema,
  type MapResults,
  type TransformOutput,
} from '@slipway/events';
import * as z from 'zod';
import { EtlMapResultsError } from '../errors';

async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = await object.Body!.transformToString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EtlMapResultsError(
      `s3://${bucket}/${key} is not JSON (${(error as Error).message}): it is not a file Step Functions' ResultWriter wrote. Rerun the day.`,
      { cause: error },
    );
  }
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new EtlMapResultsError(
      `${what} is not what Step Functions' ResultWriter writes: ${z.prettifyError(result.error)}. Rerun the day; if it persists, compare the file with https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html.`,
      { cause: result.error },
    );
  return result.data;
}

/** The Transform outputs of one `SUCCEEDED_<n>.json` result file, in its order. */
async function outputsOf(s3: S3Client, bucket: string, key: string): Promise<TransformOutput[]> {
  const entries = parsed(
    z.array(ChildExecutionResultSchema),
    await readJson(s3, bucket, key),
    `The result file s3://${bucket}/${key}`,
  );
  const outputs: TransformOutput[] = [];
  for (const entry of entries) {
    const what = `Child execution ${entry.ExecutionArn} in s3://${bucket}/${key}`;
    if (entry.Status !== 'SUCCEEDED' || entry.Output === undefined)
      throw new EtlMapResultsError(
        `${what} is ${entry.Status}${entry.Output === undefined ? ' without an Output' : ''}: its objects were not transformed. Rerun the day.`,
      );
    let output: unknown;
    try {
      output = JSON.parse(entry.Output);
    } catch (error) {
      throw new EtlMapResultsError(`${what} has an Output that is not JSON. Rerun the day.`, {
        cause: error,
      });
    }
    outputs.push(...parsed(TransformBatchOutputSchema, output, `The Output of ${what}`).outputs);
  }
  return outputs;
}

/**
 * Every Transform output of a run, read from the Transform Map's results on S3 (the
 * ResultWriter's `manifest.json` → its `SUCCEEDED_<n>.json` files → each child execution's
 * `Output`, a `{ outputs }` batch), sorted by object key. Aggregate and Reconcile read the
 * outputs here, never from the state payload, so the day's size is not bound by the 256 KiB
 * state limit.
 *
 * Nothing may be missing: a manifest that lists FAILED or PENDING result files (a batch that did
 * not succeed; the Map tolerates none), a child execution that did not succeed, or an object
 * key that appears twice fails with {@link EtlMapResultsError}. Reconcile also checks the number
 * of outputs against the listing.
 *
 * @example
 * const outputs = await readMapResults(s3, input.transforms); // input.transforms: the Map's output
 */
export async function readMapResults(
  s3: S3Client,
  results: MapResults,
): Promise<TransformOutput[]> {
  const { Bucket: bucket, Key: key } = results.ResultWriterDetails;
  const where = `s3://${bucket}/${key}`;
  const manifest = parsed(
    ResultWriterManifestSchema,
    await readJson(s3, bucket, key),
    `The Map results manifest ${where}`,
  );
  const { FAILED, PENDING, SUCCEEDED } = manifest.ResultFiles;
  if (FAILED.length || PENDING.length)
    throw new EtlMapResultsError(
      `The Map results manifest ${where} lists ${FAILED.length} FAILED and ${PENDING.length} PENDING result file(s) (${[...FAILED, ...PENDING].map((f) => f.Key).join(', ')}): some batches did not transform their objects. Do not publish this run: read those files for the errors and rerun the day.`,
    );
  // Up to 8 result files at a time: a day of 100,000 objects is ~1,000 child executions.
  const perFile: TransformOutput[][] = new Array(SUCCEEDED.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < SUCCEEDED.length; index = next++)
      perFile[index] = await outputsOf(s3, manifest.DestinationBucket, SUCCEEDED[index].Key);
  };
  await Promise.all(Array.from({ length: Math.min(8, SUCCEEDED.length) }, worker));
  const outputs = perFile.flat();
  outputs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const repeated = outputs
    .filter((o, i) => i > 0 && outputs[i - 1].key === o.key)
    .map((o) => o.key);
  if (repeated.length)
    throw new EtlMapResultsError(
      `The Map results ${where} hold more than one output for ${[...new Set(repeated)].slice(0, 10).join(', ')}: the object list named an object twice or results of two runs were mixed. Rerun the day.`,
    );
  return outputs;
}
