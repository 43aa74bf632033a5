import type { RecoveryBackend } from './backend';
import { ExecutionInputUnavailableError, ExecutionNotRerunnableError } from './errors';
import { parseExecutionArn, rerunName } from './names';

/**
 * `slipway rerun`: starts a new execution of a failed one's state machine with the failed one's
 * input (DescribeExecution → StartExecution), named `<old name>-rerun-<UTC time>`. A Standard
 * workflow keeps every execution's input for 90 days after it closed, which is what makes this
 * possible. https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */

/** Options of {@link rerun}. */
export interface RerunOptions {
  /** The execution to re-run: `arn:aws:states:<region>:<account>:execution:<machine>:<name>`. */
  execution: string;
  /** Re-run a RUNNING or SUCCEEDED execution too (its work is then done twice). */
  force?: boolean;
  /** The clock of the new name (tests pin it). */
  now?: () => Date;
}

/** Statuses re-run without `force`: the execution ended without doing its work. */
export const RERUNNABLE_STATUSES: readonly string[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/** What {@link rerun} started. */
export interface RerunResult {
  /** The execution re-run, with the status it had. */
  from: { executionArn: string; status: string };
  stateMachineArn: string;
  /** The new execution. */
  executionArn: string;
  name: string;
  /** The input both executions got, as JSON text. */
  input: string;
  startDate: Date;
}

/**
 * Re-runs an execution through `backend`.
 *
 * @throws {UsageError} for an ARN that is not a Standard execution's.
 * @throws {ExecutionNotFoundError} (from the backend) when it does not exist.
 * @throws {ExecutionNotRerunnableError} when it is not FAILED, TIMED_OUT or ABORTED and `force` is off.
 * @throws {ExecutionInputUnavailableError} when Step Functions did not return its input.
 * @example
 * const started = await rerun(new AwsRecoveryBackend({ region: 'eu-west-1' }), {
 *   execution: 'arn:aws:states:eu-west-1:123456789012:execution:slipway-dev-etl:2026-03-03',
 * });
 * started.executionArn; // …:execution:slipway-dev-etl:2026-03-03-rerun-20261203T061500Z
 */
export async function rerun(backend: RecoveryBackend, options: RerunOptions): Promise<RerunResult> {
  const arn = parseExecutionArn(options.execution);
  const described = await backend.describeExecution(arn.arn);
  if (!options.force && !RERUNNABLE_STATUSES.includes(described.status))
    throw new ExecutionNotRerunnableError(arn.arn, described.status);
  if (described.input === undefined) throw new ExecutionInputUnavailableError(arn.arn);
  const name = rerunName(described.name || arn.name, (options.now ?? (() => new Date()))());
  const started = await backend.startExecution(described.stateMachineArn, name, described.input);
  return {
    from: { executionArn: arn.arn, status: described.status },
    stateMachineArn: described.stateMachineArn,
    executionArn: started.executionArn,
    name,
    input: described.input,
    startDate: started.startDate,
  };
}
