import type { QueueRef } from './names';

/**
 * What `redrive` and `rerun` need of a cloud: the AWS APIs they call, cut down to the calls
 * themselves so AWS ({@link AwsRecoveryBackend}) and the in-process sandbox
 * ({@link SandboxRecoveryBackend}) answer the same questions.
 */
export interface RecoveryBackend {
  /** Where the backend looks, for messages (`eu-west-1`, `the sandbox`). */
  readonly where: string;
  /**
   * The queue's address for the calls below (the queue URL on AWS).
   *
   * @throws {QueueNotFoundError} when there is no such queue.
   */
  resolveQueue(queue: QueueRef): Promise<string>;
  /**
   * Up to `max` (at most 10) messages, hidden from other readers until deleted or released
   * (SQS's visibility timeout); none when the queue has no more visible messages.
   */
  receive(queueUrl: string, max: number): Promise<DeadLetterMessage[]>;
  /** Re-sends `payload` to the function as an asynchronous (`Event`) invocation. */
  resend(functionArn: string, payload: unknown): Promise<ResendResult>;
  /** Deletes a message that was re-sent. */
  delete(queueUrl: string, message: DeadLetterMessage): Promise<void>;
  /** Makes kept (or dry-run) messages visible again at once, so the next redrive sees them. */
  release(queueUrl: string, messages: readonly DeadLetterMessage[]): Promise<void>;
  /**
   * The execution's state machine, status and input.
   *
   * @throws {ExecutionNotFoundError} when there is no such execution.
   */
  describeExecution(executionArn: string): Promise<ExecutionDescription>;
  /**
   * Starts an execution of `stateMachineArn` named `name` with `input` (a JSON text).
   *
   * @throws {StartExecutionError} when Step Functions refuses it.
   */
  startExecution(stateMachineArn: string, name: string, input: string): Promise<StartedExecution>;
}

/** One message received from a dead-letter queue. */
export interface DeadLetterMessage {
  /** SQS's message id (the sandbox: the record's request id). */
  messageId: string;
  /** What {@link RecoveryBackend.delete} and {@link RecoveryBackend.release} need (SQS's receipt handle). */
  receipt: string;
  /** The message body: Lambda's invocation record as JSON. */
  body: string;
}

/** How a re-send went: accepted, or refused with the reason (`<error name>: <message>`). */
export type ResendResult = { ok: true } | { ok: false; reason: string };

/** What {@link RecoveryBackend.describeExecution} returns (DescribeExecution, cut down). */
export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  /** `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED` or `PENDING_REDRIVE`. */
  status: string;
  /** The input as JSON text; absent when Step Functions did not include it. */
  input?: string;
}

/** What {@link RecoveryBackend.startExecution} returns. */
export interface StartedExecution {
  executionArn: string;
  startDate: Date;
}
