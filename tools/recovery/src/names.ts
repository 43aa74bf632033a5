import { UsageError } from './errors';

/**
 * The names and ARNs the recovery tools read: a function's dead-letter queue (a name or an SQS
 * queue URL), a Lambda function ARN (from an invocation record) and a Step Functions execution
 * ARN. Each parser says what was wrong and what a good value looks like.
 */

/** A dead-letter queue as `--queue` names it. */
export interface QueueRef {
  /** The queue's name, `<function>-dlq`. */
  name: string;
  /** The queue URL, when `--queue` was one. */
  url?: string;
  /** The region of an `sqs.<region>.amazonaws.com` URL. */
  region?: string;
  /** The function whose dead-letter queue it is (the name without `-dlq`). */
  functionName: string;
}

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html:
// up to 80 characters, alphanumerics, hyphens and underscores (a FIFO queue ends with .fifo).
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Reads `--queue`: a dead-letter queue name `<function>-dlq` or its URL
 * (`https://sqs.<region>.amazonaws.com/<account>/<function>-dlq`, or any `http(s)://host/<account>/<name>`
 * of a local endpoint).
 *
 * @throws {UsageError} for anything else, saying what a function's dead-letter queue looks like.
 * @example
 * parseQueue('https://sqs.eu-west-1.amazonaws.com/123456789012/slipway-dev-jobs-welcome-email-dlq');
 * // { name: 'slipway-dev-jobs-welcome-email-dlq', url: '…', region: 'eu-west-1', functionName: 'slipway-dev-jobs-welcome-email' }
 */
export function parseQueue(queue: string): QueueRef {
  const hint =
    'give a function\'s dead-letter queue: its name "<function>-dlq" (e.g. slipway-dev-jobs-welcome-email-dlq) or its URL https://sqs.<region>.amazonaws.com/<account>/<function>-dlq';
  if (/^https?:\/\//.test(queue)) {
    let url: URL;
    try {
      url = new URL(queue);
    } catch {
      throw new UsageError(`--queue ${JSON.stringify(queue)} is not a valid URL: ${hint}`);
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length !== 2 || !/^\d{12}$/.test(parts[0]!))
      throw new UsageError(
        `--queue ${JSON.stringify(queue)} is not an SQS queue URL (expected the path /<12-digit account>/<queue name>): ${hint}`,
      );
    const ref = nameOf(parts[1]!, queue, hint);
    const region = /^sqs\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1];
    return { ...ref, url: queue, ...(region ? { region } : {}) };
  }
  return nameOf(queue, queue, hint);
}

function nameOf(name: string, given: string, hint: string): QueueRef {
  if (!QUEUE_NAME.test(name))
    throw new UsageError(
      `--queue ${JSON.stringify(given)} is not a queue name (up to 80 letters, digits, - and _): ${hint}`,
    );
  if (!name.endsWith('-dlq') || name === '-dlq')
    throw new UsageError(
      `--queue ${JSON.stringify(given)} is not a function's dead-letter queue (the name must end with -dlq): ${hint}`,
    );
  return { name, functionName: name.slice(0, -'-dlq'.length) };
}

/**
 * Checks `--region`.
 *
 * @throws {UsageError} when it is not a region code like `eu-west-1`.
 */
export function checkRegion(region: string): string {
  if (!REGION.test(region))
    throw new UsageError(
      `--region ${JSON.stringify(region)} is not an AWS region code: give one like eu-west-1 or us-east-1.`,
    );
  return region;
}

/** A Lambda function ARN, as an invocation record's `requestContext.functionArn` holds it. */
export interface FunctionArn {
  arn: string;
  region: string;
  account: string;
  functionName: string;
  /** `$LATEST`, a version or an alias, when the ARN is qualified. */
  qualifier?: string;
}

/** Reads a Lambda function ARN; `undefined` when `arn` is not one. */
export function parseFunctionArn(arn: string): FunctionArn | undefined {
  const match =
    /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,140})(?::(\$LATEST|[A-Za-z0-9_-]+))?$/.exec(
      arn,
    );
  if (!match) return undefined;
  const [, region, account, functionName, qualifier] = match as unknown as [
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  return { arn, region, account, functionName, ...(qualifier ? { qualifier } : {}) };
}

/** A Step Functions execution ARN. */
export interface ExecutionArn {
  arn: string;
  partition: string;
  region: string;
  account: string;
  stateMachine: string;
  name: string;
}

/**
 * Reads `--execution`: `arn:aws:states:<region>:<account>:execution:<state machine>:<name>`.
 *
 * @throws {UsageError} for anything else (an Express execution's ARN included: Step Functions
 *   keeps no input for it to re-run from).
 */
export function parseExecutionArn(arn: string): ExecutionArn {
  const match =
    /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):(execution|express):([A-Za-z0-9_.-]{1,80}):([A-Za-z0-9_.-]{1,80})$/.exec(
      arn,
    );
  if (!match)
    throw new UsageError(
      `--execution ${JSON.stringify(arn)} is not a Step Functions execution ARN: give arn:aws:states:<region>:<account>:execution:<state machine>:<execution name>, as the console or DescribeExecution shows it.`,
    );
  const [, partition, region, account, kind, stateMachine, name] = match as unknown as string[];
  if (kind === 'express')
    throw new UsageError(
      `--execution ${arn} is an Express execution: Step Functions keeps no history or input of it to re-run from. Start a new one with the input from its logs.`,
    );
  return {
    arn,
    partition: partition!,
    region: region!,
    account: account!,
    stateMachine: stateMachine!,
    name: name!,
  };
}

/**
 * The name of the execution that re-runs `name`: `<name>-rerun-<UTC time>`, within Step
 * Functions' 80 characters. A rerun of a rerun replaces the old suffix instead of stacking them.
 *
 * @example
 * rerunName('etl-2026-03-03', new Date('2026-12-03T06:15:00Z')); // 'etl-2026-03-03-rerun-20261203T061500Z'
 */
export function rerunName(name: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  const suffix = `-rerun-${stamp}`;
  const base = name.replace(/-rerun-\d{8}T\d{6}Z$/, '');
  return `${base.slice(0, 80 - suffix.length)}${suffix}`;
}
