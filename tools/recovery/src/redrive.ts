import type { DeadLetterMessage, RecoveryBackend } from './backend';
import { UsageError } from './errors';
import { parseFunctionArn, parseQueue, type FunctionArn } from './names';

/**
 * `slipway redrive`: re-sends the events a function's dead-letter queue holds to the function
 * they failed in, deleting each message only once its re-send was accepted and keeping (with the
 * reason) every message that could not be re-sent or is not an invocation record.
 *
 * The queue holds Lambda's on-failure destination records (terraform/modules/lambda-function,
 * async.tf): the body is the invocation record, `requestPayload` the original event and
 * `requestContext.functionArn` the function.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */

/** Options of {@link redrive}. */
export interface RedriveOptions {
  /** The dead-letter queue: `<function>-dlq` or its URL. */
  queue: string;
  /** List what would be re-sent; re-send and delete nothing. */
  dryRun?: boolean;
  /** Handle at most this many messages (a positive integer); all by default. */
  limit?: number;
}

/** What happened to one message. */
export type RedriveOutcome =
  /** Re-sent (the function accepted the event) and deleted from the queue. */
  | 'redriven'
  /** Dry run: would be re-sent; left in the queue. */
  | 'would redrive'
  /** Left in the queue; {@link RedriveRow.reason} says why. */
  | 'kept';

/** One row of the redrive table. */
export interface RedriveRow {
  messageId: string;
  /** The target function's name; absent when the body names none. */
  functionName?: string;
  /** The failed invocation's request id (`requestContext.requestId`). */
  requestId?: string;
  outcome: RedriveOutcome;
  /** Why a message was kept. */
  reason?: string;
}

/** The result of one redrive, message by message in the order they were received. */
export interface RedriveReport {
  /** The queue's address as the backend used it (a URL on AWS). */
  queue: string;
  dryRun: boolean;
  rows: RedriveRow[];
  /** Rows that are `redriven` (or `would redrive` in a dry run). */
  redriven: number;
  kept: number;
}

/** SQS answers at most 10 messages per ReceiveMessage. */
const BATCH = 10;

/**
 * Redrives a function's dead-letter queue through `backend`: receives messages until the queue
 * has no more visible ones (or `limit` is reached), re-sends each record's `requestPayload` to
 * its `requestContext.functionArn` as an asynchronous invocation, deletes what was re-sent, and
 * makes everything kept visible again at the end. A message seen twice (its visibility timeout
 * ran out during a long redrive) ends the run rather than being re-sent twice.
 *
 * @throws {UsageError} on bad options; {@link QueueNotFoundError} (from the backend) for a missing queue.
 * @example
 * const report = await redrive(new AwsRecoveryBackend({ region: 'eu-west-1' }), {
 *   queue: 'slipway-dev-jobs-welcome-email-dlq',
 *   dryRun: true,
 * });
 * console.log(formatRedriveTable(report));
 */
export async function redrive(
  backend: RecoveryBackend,
  options: RedriveOptions,
): Promise<RedriveReport> {
  const ref = parseQueue(options.queue);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (options.limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0))
    throw new UsageError(
      `limit ${options.limit} is not a positive integer: give how many messages to handle at most, e.g. 10.`,
    );
  const dryRun = options.dryRun ?? false;
  const queue = await backend.resolveQueue(ref);
  const rows: RedriveRow[] = [];
  const toRelease: DeadLetterMessage[] = [];
  const seen = new Set<string>();
  try {
    let wrapped = false;
    while (!wrapped && rows.length < limit) {
      const batch = await backend.receive(queue, Math.min(BATCH, limit - rows.length));
      if (!batch.length) break;
      for (const message of batch) {
        // Seen already: its visibility timeout ran out, so the queue has come round. Hand it
        // (and the rest of the batch) back untouched, as anything past the limit.
        if (seen.has(message.messageId)) wrapped = true;
        if (wrapped || rows.length >= limit) {
          toRelease.push(message);
          continue;
        }
        seen.add(message.messageId);
        const row = await handle(backend, queue, message, dryRun);
        rows.push(row);
        if (row.outcome !== 'redriven') toRelease.push(message);
      }
    }
  } finally {
    if (toRelease.length) await backend.release(queue, toRelease);
  }
  const redriven = rows.filter((r) => r.outcome !== 'kept').length;
  return { queue, dryRun, rows, redriven, kept: rows.length - redriven };
}

async function handle(
  backend: RecoveryBackend,
  queue: string,
  message: DeadLetterMessage,
  dryRun: boolean,
): Promise<RedriveRow> {
  const read = readInvocationRecord(message.body);
  const base = {
    messageId: message.messageId,
    ...(read.functionName ? { functionName: read.functionName } : {}),
    ...(read.requestId ? { requestId: read.requestId } : {}),
  };
  if (!read.ok) return { ...base, outcome: 'kept', reason: read.reason };
  if (dryRun) return { ...base, outcome: 'would redrive' };
  const sent = await backend.resend(read.function.arn, read.payload);
  if (!sent.ok) return { ...base, outcome: 'kept', reason: `re-send failed: ${sent.reason}` };
  try {
    await backend.delete(queue, message);
  } catch (error) {
    return {
      ...base,
      outcome: 'kept',
      reason: `re-sent, but DeleteMessage failed (${describe(error)}): the next redrive will send it again`,
    };
  }
  return { ...base, outcome: 'redriven' };
}

/** What {@link readInvocationRecord} makes of a message body. */
export type ReadRecord =
  | {
      ok: true;
      function: FunctionArn;
      functionName: string;
      requestId: string;
      /** The original event (`requestPayload`). */
      payload: unknown;
    }
  | { ok: false; reason: string; functionName?: string; requestId?: string };

/**
 * Reads a dead-letter message body as Lambda's invocation record: it must be JSON with
 * `requestContext.functionArn` (a Lambda function ARN), `requestContext.requestId`, a failure
 * `condition` and a `requestPayload`. Never throws: a body that is not such a record is kept, and
 * the reason says what is missing.
 */
export function readInvocationRecord(body: string): ReadRecord {
  let record: unknown;
  try {
    record = JSON.parse(body);
  } catch (error) {
    return {
      ok: false,
      reason: `body is not JSON (${describe(error)}): not a Lambda invocation record`,
    };
  }
  const context = (record as { requestContext?: unknown } | null)?.requestContext as
    Record<string, unknown> | undefined;
  const requestId = typeof context?.requestId === 'string' ? context.requestId : undefined;
  const arn = typeof context?.functionArn === 'string' ? context.functionArn : undefined;
  const fn = arn ? parseFunctionArn(arn) : undefined;
  const known = {
    ...(fn ? { functionName: fn.functionName } : {}),
    ...(requestId ? { requestId } : {}),
  };
  const notRecord = (what: string) => ({
    ok: false as const,
    reason: `not a Lambda invocation record: ${what}`,
    ...known,
  });
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return notRecord('the body is not a JSON object');
  if (!context || typeof context !== 'object') return notRecord('no requestContext');
  if (!arn) return notRecord('no requestContext.functionArn');
  if (!fn)
    return notRecord(
      `requestContext.functionArn ${JSON.stringify(arn)} is not a Lambda function ARN`,
    );
  if (!requestId) return notRecord('no requestContext.requestId');
  if (context.condition === 'Success')
    return {
      ok: false,
      reason: 'condition is Success: an on-success record, there is nothing to redrive',
      ...known,
    };
  if (!('requestPayload' in record)) return notRecord('no requestPayload');
  return {
    ok: true,
    function: fn,
    functionName: fn.functionName,
    requestId,
    payload: (record as { requestPayload: unknown }).requestPayload,
  };
}

/**
 * The redrive as a table: one row per message (message id, function, request id, outcome; a
 * kept message's reason after its outcome), then a summary line.
 *
 * @example
 * formatRedriveTable(report);
 * // MESSAGE ID  FUNCTION                         REQUEST ID  OUTCOME
 * // 1f0c…       slipway-dev-jobs-welcome-email   7a1e…       redriven
 * // 1 redriven, 0 kept (slipway-dev-jobs-welcome-email-dlq)
 */
export function formatRedriveTable(report: RedriveReport): string {
  const header = ['MESSAGE ID', 'FUNCTION', 'REQUEST ID', 'OUTCOME'];
  const cells = report.rows.map((r) => [
    r.messageId,
    r.functionName ?? '-',
    r.requestId ?? '-',
    r.reason ? `${r.outcome}: ${r.reason}` : r.outcome,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const verb = report.dryRun ? 'would redrive' : 'redriven';
  const summary = report.rows.length
    ? `${report.redriven} ${verb}, ${report.kept} kept (${report.queue})`
    : `no messages in ${report.queue}`;
  return [...(report.rows.length ? [line(header), ...cells.map(line)] : []), summary].join('\n');
}

function describe(error: unknown): string {
  if (error instanceof Error)
    return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
