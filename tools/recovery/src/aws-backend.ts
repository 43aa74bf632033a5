import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  DeadLetterMessage,
  ExecutionDescription,
  RecoveryBackend,
  ResendResult,
  StartedExecution,
} from './backend';
import { ExecutionNotFoundError, QueueNotFoundError, StartExecutionError } from './errors';
import type { QueueRef } from './names';

/** Options of {@link AwsRecoveryBackend}. */
export interface AwsRecoveryBackendOptions {
  /** The region of every client (default: the SDK's chain, `AWS_REGION` first). */
  region?: string;
  /** Clients to use instead of new ones (tests pass mocked clients). */
  sqs?: SQSClient;
  lambda?: LambdaClient;
  sfn?: SFNClient;
  /**
   * Seconds a received message stays hidden while it is re-sent (default 300): long enough for
   * a batch of 10 re-sends, short enough that a crashed redrive's messages come back soon.
   */
  visibilityTimeoutSeconds?: number;
  /** ReceiveMessage's long poll (default 2 s): short polling may answer empty for a queue that is not. */
  waitTimeSeconds?: number;
}

/**
 * The recovery backend of a real account: SQS for the functions' dead-letter queues, Lambda's
 * asynchronous Invoke to re-send, Step Functions to re-run. The permissions it needs are in the
 * README (sqs:GetQueueUrl, ReceiveMessage, DeleteMessage, ChangeMessageVisibility;
 * lambda:InvokeFunction; states:DescribeExecution, StartExecution).
 *
 * @example
 * const backend = new AwsRecoveryBackend({ region: 'eu-west-1' });
 * await redrive(backend, { queue: 'slipway-dev-jobs-welcome-email-dlq', limit: 10 });
 */
export class AwsRecoveryBackend implements RecoveryBackend {
  readonly where: string;
  private readonly sqs: SQSClient;
  private readonly lambda: LambdaClient;
  private readonly sfn: SFNClient;
  private readonly visibilityTimeout: number;
  private readonly waitTime: number;

  constructor(options: AwsRecoveryBackendOptions = {}) {
    const config = options.region ? { region: options.region } : {};
    this.sqs = options.sqs ?? new SQSClient(config);
    this.lambda = options.lambda ?? new LambdaClient(config);
    this.sfn = options.sfn ?? new SFNClient(config);
    this.where = options.region ?? process.env.AWS_REGION ?? 'the default region';
    this.visibilityTimeout = options.visibilityTimeoutSeconds ?? 300;
    this.waitTime = options.waitTimeSeconds ?? 2;
  }

  async resolveQueue(queue: QueueRef): Promise<string> {
    if (queue.url) return queue.url;
    try {
      const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: queue.name }));
      if (!QueueUrl) throw new QueueNotFoundError(queue.name, this.where);
      return QueueUrl;
    } catch (error) {
      if (isNamed(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'))
        throw new QueueNotFoundError(queue.name, this.where, { cause: error });
      throw error;
    }
  }

  async receive(queueUrl: string, max: number): Promise<DeadLetterMessage[]> {
    try {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
          VisibilityTimeout: this.visibilityTimeout,
          WaitTimeSeconds: this.waitTime,
        }),
      );
      return Messages.map((m) => ({
        messageId: m.MessageId ?? '',
        receipt: m.ReceiptHandle ?? '',
        body: m.Body ?? '',
      }));
    } catch (error) {
      if (isNamed(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'))
        throw new QueueNotFoundError(queueUrl, this.where, { cause: error });
      throw error;
    }
  }

  async resend(functionArn: string, payload: unknown): Promise<ResendResult> {
    try {
      // InvocationType Event: Lambda queues the event (202) and runs it with the function's own
      // retries and on-failure destination, as the original delivery did.
      const { StatusCode } = await this.lambda.send(
        new InvokeCommand({
          FunctionName: functionArn,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(payload)),
        }),
      );
      if (StatusCode !== 202)
        return { ok: false, reason: `Invoke answered ${StatusCode}, not 202 (queued)` };
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: describe(error) };
    }
  }

  async delete(queueUrl: string, message: DeadLetterMessage): Promise<void> {
    await this.sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.receipt }),
    );
  }

  async release(queueUrl: string, messages: readonly DeadLetterMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      try {
        // An entry that fails (its receipt expired) comes back by itself when its timeout ends.
        await this.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.slice(i, i + 10).map((m, n) => ({
              Id: String(i + n),
              ReceiptHandle: m.receipt,
              VisibilityTimeout: 0,
            })),
          }),
        );
      } catch {
        // Same: the messages reappear once their visibility timeout ends.
      }
    }
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    try {
      const out = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return {
        executionArn,
        stateMachineArn: out.stateMachineArn ?? '',
        name: out.name ?? '',
        status: out.status ?? 'UNKNOWN',
        ...(out.input !== undefined && out.inputDetails?.included !== false
          ? { input: out.input }
          : {}),
      };
    } catch (error) {
      if (isNamed(error, 'ExecutionDoesNotExist'))
        throw new ExecutionNotFoundError(executionArn, this.where, { cause: error });
      throw error;
    }
  }

  async startExecution(
    stateMachineArn: string,
    name: string,
    input: string,
  ): Promise<StartedExecution> {
    try {
      const out = await this.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
      return { executionArn: out.executionArn ?? '', startDate: out.startDate ?? new Date() };
    } catch (error) {
      if (
        isNamed(
          error,
          'ExecutionAlreadyExists',
          'StateMachineDoesNotExist',
          'StateMachineDeleting',
          'ExecutionLimitExceeded',
          'InvalidName',
          'InvalidExecutionInput',
        )
      )
        throw new StartExecutionError(stateMachineArn, name, describe(error), { cause: error });
      throw error;
    }
  }
}

function isNamed(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
