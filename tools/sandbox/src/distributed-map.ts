/**
 * The parts of a Distributed Map (Map with `ProcessorConfig.Mode: DISTRIBUTED`) that
 * aws-local-stepfunctions 3.0 lacks, following AWS's documented semantics:
 * - `ItemReader` over `arn:aws:states:::s3:getObject` with `ReaderConfig.InputType: JSON` (and
 *   `MaxItems`): the items are the JSON array of that object
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html);
 * - `ItemBatcher` (`MaxItemsPerBatch`, `MaxInputBytesPerBatch`, `BatchInput`): each child
 *   execution gets `{ Items, BatchInput }`
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html);
 * - `ToleratedFailurePercentage` / `ToleratedFailureCount`: the Map Run fails with
 *   `States.ExceedToleratedFailureThreshold` once more child executions failed than tolerated;
 * - `ResultWriter` over `arn:aws:states:::s3:putObject`: `<Prefix>/<map run id>/manifest.json`
 *   and `SUCCEEDED_0.json` / `FAILED_0.json` files of child execution records, the Map's output
 *   being `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
 *
 * {@link LocalFlow} replaces each Distributed Map with a Task of {@link DISTRIBUTED_MAP_RESOURCE}
 * whose Parameters carry the reader's, writer's and batcher's parameters, so the interpreter
 * resolves their paths (`$.`, `$$.`, intrinsics) as AWS would, and its ResultSelector, ResultPath,
 * Retry and Catch stay the Map's. The functions here do the rest; `tools/sandbox/README.md`
 * ("What differs from AWS") lists what is not emulated.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AslDefinition, AslState } from '@slipway/flows';

/** The Task resource a Distributed Map becomes in the definition the interpreter runs. */
export const DISTRIBUTED_MAP_RESOURCE = 'arn:aws:states:::sandbox:distributedMap';

/** What the interpreter resolves for a Distributed Map (the replacement Task's Parameters). */
export interface DistributedMapParameters {
  /** Resolved `ItemReader.Parameters` (`Bucket`, `Key`), when the Map has an ItemReader. */
  ItemReader?: { Bucket: string; Key: string };
  /** The items from the state input (`ItemsPath`, default `$`), without an ItemReader. */
  Items?: unknown;
  /** Resolved `ItemBatcher.BatchInput`. */
  BatchInput?: unknown;
  /** Resolved `ResultWriter.Parameters` (`Bucket`, `Prefix`). */
  ResultWriter?: { Bucket: string; Prefix?: string };
}

/** A Distributed Map of the definition, as the sandbox runs it. */
export interface DistributedMapSpec {
  state: string;
  processor: AslDefinition;
  maxConcurrency: number;
  maxItemsPerBatch?: number;
  maxInputBytesPerBatch?: number;
  /** The JSON reader's `ReaderConfig.MaxItems`. */
  maxItems?: number;
  /** Absent when the Map sets neither: then no failure is tolerated. */
  toleratedFailurePercentage?: number;
  toleratedFailureCount?: number;
  batched: boolean;
  writesResults: boolean;
}

/** Thrown as a Task error: `name` is the Step Functions error a Catch matches. */
export function stateError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** True for a Map state whose ItemProcessor runs in DISTRIBUTED mode. */
export function isDistributedMap(state: AslState): boolean {
  const processor = state.ItemProcessor as
    { ProcessorConfig?: { Mode?: string; ExecutionType?: string } } | undefined;
  return state.Type === 'Map' && processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

const UNSUPPORTED = ['ItemSelector', 'Parameters', 'Iterator', 'MaxConcurrencyPath', 'Label'];

/**
 * Replaces every top-level Distributed Map of `definition` by a Task of
 * {@link DISTRIBUTED_MAP_RESOURCE} (same name, Next/End, ResultSelector, ResultPath, OutputPath,
 * InputPath, Retry, Catch) and returns the specs the runner needs.
 *
 * @throws when a Distributed Map uses a field the sandbox does not emulate, naming it.
 */
export function extractDistributedMaps(definition: AslDefinition): {
  definition: AslDefinition;
  maps: Map<string, DistributedMapSpec>;
} {
  const copy = JSON.parse(JSON.stringify(definition)) as AslDefinition;
  const maps = new Map<string, DistributedMapSpec>();
  for (const [name, state] of Object.entries(copy.States)) {
    if (!isDistributedMap(state)) continue;
    const used = UNSUPPORTED.filter((field) => field in state);
    const reader = state.ItemReader as
      | {
          Resource?: string;
          ReaderConfig?: { InputType?: string; MaxItems?: number };
          Parameters?: unknown;
        }
      | undefined;
    const writer = state.ResultWriter as { Resource?: string; Parameters?: unknown } | undefined;
    const batcher = state.ItemBatcher as
      | { MaxItemsPerBatch?: number; MaxInputBytesPerBatch?: number; BatchInput?: unknown }
      | undefined;
    if (
      reader &&
      (reader.Resource !== 'arn:aws:states:::s3:getObject' ||
        reader.ReaderConfig?.InputType !== 'JSON')
    )
      used.push('ItemReader other than s3:getObject with InputType JSON');
    if (writer && writer.Resource !== 'arn:aws:states:::s3:putObject')
      used.push('ResultWriter other than s3:putObject');
    if (used.length)
      throw new Error(
        `${name}: the sandbox's Distributed Map does not emulate ${used.join(', ')} (tools/sandbox/README.md, "What differs from AWS"); use the fields it emulates or extend tools/sandbox/src/distributed-map.ts.`,
      );
    const processor = state.ItemProcessor as AslDefinition & { ProcessorConfig?: unknown };
    const { ProcessorConfig: _config, ...machine } = processor;
    maps.set(name, {
      state: name,
      processor: machine as AslDefinition,
      // 0 or absent: AWS runs up to 10,000 child executions at once; locally that is a fork bomb.
      maxConcurrency: Number(state.MaxConcurrency) > 0 ? Number(state.MaxConcurrency) : 40,
      maxItemsPerBatch: batcher?.MaxItemsPerBatch,
      maxInputBytesPerBatch: batcher?.MaxInputBytesPerBatch,
      maxItems: reader?.ReaderConfig?.MaxItems,
      ...(state.ToleratedFailurePercentage !== undefined
        ? { toleratedFailurePercentage: Number(state.ToleratedFailurePercentage) }
        : {}),
      ...(state.ToleratedFailureCount !== undefined
        ? { toleratedFailureCount: Number(state.ToleratedFailureCount) }
        : {}),
      batched: batcher !== undefined,
      writesResults: writer !== undefined,
    });
    const parameters: Record<string, unknown> = {};
    if (reader?.Parameters) parameters.ItemReader = reader.Parameters;
    else parameters['Items.$'] = typeof state.ItemsPath === 'string' ? state.ItemsPath : '$';
    if (batcher?.BatchInput) parameters.BatchInput = batcher.BatchInput;
    if (writer?.Parameters) parameters.ResultWriter = writer.Parameters;
    const task: AslState = {
      Type: 'Task',
      Resource: DISTRIBUTED_MAP_RESOURCE,
      Parameters: parameters,
      // A Map has no timeout of its own, but the interpreter gives a Task 60 s by default: 23
      // days instead (its timer is a 32-bit setTimeout, at most 2^31 - 1 ms ≈ 24.8 days).
      TimeoutSeconds: 2_000_000,
    };
    for (const field of [
      'Comment',
      'InputPath',
      'ResultSelector',
      'ResultPath',
      'OutputPath',
      'Retry',
      'Catch',
      'Next',
      'End',
    ])
      if (field in state) task[field] = state[field];
    copy.States[name] = task;
  }
  return { definition: copy, maps };
}

/** The Map's items: the ItemReader's JSON array on S3, or the input's array. */
export async function readItems(
  s3: S3Client,
  spec: DistributedMapSpec,
  parameters: DistributedMapParameters,
): Promise<unknown[]> {
  let items: unknown;
  if (parameters.ItemReader) {
    const { Bucket, Key } = parameters.ItemReader;
    let text: string;
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
      text = await object.Body!.transformToString('utf8');
    } catch (error) {
      throw stateError(
        'States.ItemReaderFailed',
        `${spec.state}: the ItemReader could not read s3://${Bucket}/${Key}: ${(error as Error).message}`,
      );
    }
    try {
      items = JSON.parse(text);
    } catch (error) {
      throw stateError(
        'States.ItemReaderFailed',
        `${spec.state}: s3://${Bucket}/${Key} is not JSON (${(error as Error).message}); the ItemReader's InputType JSON needs a JSON array.`,
      );
    }
    if (!Array.isArray(items))
      throw stateError(
        'States.ItemReaderFailed',
        `${spec.state}: s3://${Bucket}/${Key} holds JSON that is not an array; the ItemReader's InputType JSON needs a JSON array.`,
      );
  } else items = parameters.Items;
  if (!Array.isArray(items))
    throw stateError('States.Runtime', `${spec.state}: the Map's items are not an array.`);
  return spec.maxItems ? items.slice(0, spec.maxItems) : items;
}

/**
 * The child executions' inputs: one per item without an ItemBatcher; with one, consecutive items
 * in batches of at most `MaxItemsPerBatch` items and `MaxInputBytesPerBatch` bytes of the
 * batch's JSON (`{ Items, BatchInput }`), in item order.
 *
 * @throws `States.ItemBatcherFailed`-named error when one item alone exceeds the byte limit.
 */
export function batchesOf(
  spec: DistributedMapSpec,
  items: unknown[],
  batchInput: unknown,
): unknown[] {
  if (!spec.batched) return items;
  const maxItems = spec.maxItemsPerBatch ?? Number.POSITIVE_INFINITY;
  const maxBytes = spec.maxInputBytesPerBatch ?? 262_144;
  const bytes = (batch: unknown[]) =>
    Buffer.byteLength(
      JSON.stringify(
        batchInput === undefined ? { Items: batch } : { Items: batch, BatchInput: batchInput },
      ),
    );
  const wrap = (batch: unknown[]) =>
    batchInput === undefined ? { Items: batch } : { Items: batch, BatchInput: batchInput };
  const batches: unknown[] = [];
  let current: unknown[] = [];
  for (const item of items) {
    const next = [...current, item];
    if (current.length > 0 && (next.length > maxItems || bytes(next) > maxBytes)) {
      batches.push(wrap(current));
      current = [item];
    } else current = next;
    if (bytes(current) > maxBytes)
      throw stateError(
        'States.ItemBatcherFailed',
        `${spec.state}: one item makes a batch of ${bytes(current)} bytes, over MaxInputBytesPerBatch ${maxBytes}.`,
      );
  }
  if (current.length) batches.push(wrap(current));
  return batches;
}

/**
 * Whether `failed` of `total` child executions exceed the Map's tolerance: either threshold that
 * is set, or any failure when neither is.
 */
export function exceedsTolerance(spec: DistributedMapSpec, failed: number, total: number): boolean {
  const { toleratedFailurePercentage: pct, toleratedFailureCount: count } = spec;
  if (pct === undefined && count === undefined) return failed > 0;
  return (
    (pct !== undefined && (failed * 100) / Math.max(total, 1) > pct) ||
    (count !== undefined && failed > count)
  );
}

/** One child execution as the ResultWriter records it. */
export interface ChildExecution {
  ExecutionArn: string;
  Name: string;
  Input: string;
  InputDetails: { Included: true };
  Output?: string;
  OutputDetails?: { Included: true };
  Error?: string;
  Cause?: string;
  RedriveCount: 0;
  RedriveStatus: 'NOT_REDRIVABLE' | 'REDRIVABLE';
  RedriveStatusReason?: string;
  StartDate: string;
  StateMachineArn: string;
  Status: 'SUCCEEDED' | 'FAILED';
  StopDate: string;
}

/** ARNs of a Map Run and of its child executions, in AWS's formats. */
export function mapRunArns(
  region: string,
  accountId: string,
  machine: string,
  state: string,
): {
  id: string;
  mapRunArn: string;
  stateMachineArn: string;
  executionArn: (name: string) => string;
} {
  const id = randomUUID();
  return {
    id,
    mapRunArn: `arn:aws:states:${region}:${accountId}:mapRun:${machine}/${state}:${id}`,
    stateMachineArn: `arn:aws:states:${region}:${accountId}:stateMachine:${machine}/${state}`,
    executionArn: (name) =>
      `arn:aws:states:${region}:${accountId}:execution:${machine}/${state}:${name}`,
  };
}

/**
 * Writes the Map Run's results as the ResultWriter does: `SUCCEEDED_0.json` and `FAILED_0.json`
 * (JSON arrays of child execution records; one file per status here, AWS splits files at 5 GB),
 * then `manifest.json`, under `<Prefix>/<map run id>/`.
 *
 * @returns the Map's output, `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`.
 */
export async function writeResults(
  s3: S3Client,
  writer: { Bucket: string; Prefix?: string },
  run: { id: string; mapRunArn: string },
  children: ChildExecution[],
): Promise<{ MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } }> {
  const folder = [writer.Prefix?.replace(/\/+$/, ''), run.id].filter(Boolean).join('/');
  const files: Record<'FAILED' | 'PENDING' | 'SUCCEEDED', { Key: string; Size: number }[]> = {
    FAILED: [],
    PENDING: [],
    SUCCEEDED: [],
  };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const records = children.filter((c) => c.Status === status);
    if (!records.length) continue;
    const Key = `${folder}/${status}_0.json`;
    const Body = JSON.stringify(records);
    await s3.send(
      new PutObjectCommand({ Bucket: writer.Bucket, Key, Body, ContentType: 'application/json' }),
    );
    files[status].push({ Key, Size: Buffer.byteLength(Body) });
  }
  const Key = `${folder}/manifest.json`;
  await s3.send(
    new PutObjectCommand({
      Bucket: writer.Bucket,
      Key,
      Body: JSON.stringify({
        DestinationBucket: writer.Bucket,
        MapRunArn: run.mapRunArn,
        ResultFiles: files,
      }),
      ContentType: 'application/json',
    }),
  );
  return { MapRunArn: run.mapRunArn, ResultWriterDetails: { Bucket: writer.Bucket, Key } };
}
