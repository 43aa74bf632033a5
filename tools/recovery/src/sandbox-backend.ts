import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { loadManifest, MANIFEST_FILE } from '@slipway/manifest';
import {
  AsyncInvoker,
  asyncTargetOf,
  awsRetryDelayMs,
  LOCAL_ENVIRONMENT,
  type ExecutionRecord,
  type FunctionDeadLetter,
  type LocalFlow,
  type Sandbox,
} from '@slipway/sandbox';
import type {
  DeadLetterMessage,
  ExecutionDescription,
  RecoveryBackend,
  ResendResult,
  StartedExecution,
} from './backend';
import { ExecutionNotFoundError, QueueNotFoundError, StartExecutionError } from './errors';
import { parseExecutionArn, parseFunctionArn, type QueueRef } from './names';

/** The flows the sandbox runs, by the name their state machine has (`slipway-local-<flow>`). */
export type SandboxFlow = 'media' | 'etl';

/** Options of {@link SandboxRecoveryBackend}. */
export interface SandboxRecoveryBackendOptions {
  /** The workspace root the sandbox was started on (apps/<name>/lambda.manifest.json). */
  root: string;
  /**
   * Milliseconds before retry `n` of a re-sent invocation: AWS's 1 and 2 minutes by default,
   * as the sandbox's own `asyncRetryDelayMs`; tests and `npm start` pass `() => 0`.
   */
  retryDelayMs?: (retry: number) => number;
  /** The sandbox's region and account (its ARNs); eu-west-1 and 000000000000 by default. */
  region?: string;
  accountId?: string;
}

/** An execution this backend knows of. */
interface Known {
  flow: SandboxFlow;
  name: string;
  input: unknown;
  record?: ExecutionRecord;
  done: Promise<ExecutionRecord>;
}

/**
 * The recovery backend of a running in-process sandbox ({@link Sandbox} of `@slipway/sandbox`).
 *
 * - Dead-letter queues are `sandbox.deadLetters` by `queue` (`<function>-dlq`). A message's id is
 *   the record's request id. A re-send is an asynchronous invocation of the target's packaged
 *   Lambda with its manifest's retries (the sandbox's `AsyncInvoker`, `asyncTargetOf`), and its
 *   outcome joins `sandbox.asyncInvocations`. Unlike AWS, where Invoke only queues the event,
 *   the re-send here runs to its end: it counts as accepted only if the function succeeded, so a
 *   still-failing event keeps its original record (and no second one is written).
 * - Executions are the sandbox's S3-started ones (`sandbox.executions`, media) once they have
 *   ended, plus those started through {@link SandboxRecoveryBackend.run} or by a rerun. Their
 *   ARNs are AWS's, as the records hold them:
 *   `arn:aws:states:<region>:<account>:execution:slipway-local-<flow>:<name>`.
 *
 * @example
 * const backend = new SandboxRecoveryBackend(sandbox, { root, retryDelayMs: () => 0 });
 * await redrive(backend, { queue: 'slipway-local-jobs-welcome-email-dlq' });
 */
export class SandboxRecoveryBackend implements RecoveryBackend {
  readonly where = 'the sandbox';
  private readonly invoker: AsyncInvoker;
  private readonly region: string;
  private readonly accountId: string;
  private readonly known = new Map<string, Known>();
  /** Messages received and neither deleted nor released (SQS's in-flight messages). */
  private readonly inFlight = new Set<FunctionDeadLetter>();

  constructor(
    private readonly sandbox: Sandbox,
    private readonly options: SandboxRecoveryBackendOptions,
  ) {
    this.invoker = new AsyncInvoker({ retryDelayMs: options.retryDelayMs ?? awsRetryDelayMs });
    this.region = options.region ?? 'eu-west-1';
    this.accountId = options.accountId ?? '000000000000';
  }

  /** The state machine ARN of a sandbox flow, as the stacks name it. */
  stateMachineArn(flow: SandboxFlow): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:slipway-${LOCAL_ENVIRONMENT}-${flow}`;
  }

  /** The ARN of execution `name` of `flow`. */
  executionArn(flow: SandboxFlow, name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:execution:slipway-${LOCAL_ENVIRONMENT}-${flow}:${name}`;
  }

  /**
   * Runs `flow` by hand with `input` (as `sandbox.etlFlow.run` does), known to `rerun` by the
   * returned ARN.
   */
  run(
    flow: SandboxFlow,
    input: unknown,
    name: string = randomUUID(),
  ): { executionArn: string; record: Promise<ExecutionRecord> } {
    const record = this.flow(flow).run(input, name);
    this.track(flow, name, input, record);
    return { executionArn: this.executionArn(flow, name), record };
  }

  /**
   * The record of an execution this backend knows, once it has ended.
   *
   * @throws {ExecutionNotFoundError} for an unknown ARN.
   */
  async settled(executionArn: string): Promise<ExecutionRecord> {
    const known = (await this.find(executionArn)) ?? this.notFound(executionArn);
    return known.done;
  }

  async resolveQueue(queue: QueueRef): Promise<string> {
    if (!this.sandbox.lambdas.has(queue.functionName))
      throw new QueueNotFoundError(queue.name, this.where);
    return queue.name;
  }

  async receive(queue: string, max: number): Promise<DeadLetterMessage[]> {
    const visible = this.sandbox.deadLetters
      .filter((d) => d.queue === queue && !this.inFlight.has(d))
      .slice(0, max);
    for (const d of visible) this.inFlight.add(d);
    return visible.map((d) => ({
      messageId: d.record.requestContext.requestId,
      receipt: d.record.requestContext.requestId,
      body: JSON.stringify(d.record),
    }));
  }

  async resend(functionArn: string, payload: unknown): Promise<ResendResult> {
    const arn = parseFunctionArn(functionArn);
    const lambda = arn && this.sandbox.lambdas.get(arn.functionName);
    if (!arn || !lambda)
      return {
        ok: false,
        reason: `ResourceNotFoundException: Function not found: ${functionArn} (the sandbox runs ${[...this.sandbox.lambdas.keys()].join(', ')})`,
      };
    const manifest = loadManifest(
      join(this.options.root, 'apps', lambda.name, MANIFEST_FILE),
      this.options.root,
    );
    const base = `arn:aws:lambda:${arn.region}:${arn.account}:function:${arn.functionName}`;
    let target;
    try {
      target = asyncTargetOf(lambda, manifest, arn.functionName, base);
    } catch (error) {
      return { ok: false, reason: `InvalidParameterValueException: ${(error as Error).message}` };
    }
    const outcome = await this.invoker.invoke(target, payload);
    this.sandbox.asyncInvocations.push(outcome);
    if (outcome.outcome === 'succeeded') return { ok: true };
    // The invoker wrote a new record of the same event: the original stays instead.
    this.invoker.deadLetters.splice(0);
    return {
      ok: false,
      reason: `still failing after ${outcome.attempts} attempts: ${outcome.errors.at(-1) ?? 'unknown error'}`,
    };
  }

  async delete(queue: string, message: DeadLetterMessage): Promise<void> {
    const letters = this.sandbox.deadLetters;
    const at = letters.findIndex(
      (d) => d.queue === queue && d.record.requestContext.requestId === message.receipt,
    );
    if (at < 0)
      throw new Error(`ReceiptHandleIsInvalid: no message ${message.receipt} in ${queue}`);
    this.inFlight.delete(letters[at]!);
    letters.splice(at, 1);
  }

  async release(queue: string, messages: readonly DeadLetterMessage[]): Promise<void> {
    const receipts = new Set(messages.map((m) => m.receipt));
    for (const d of [...this.inFlight])
      if (d.queue === queue && receipts.has(d.record.requestContext.requestId))
        this.inFlight.delete(d);
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    const known = (await this.find(executionArn)) ?? this.notFound(executionArn);
    return {
      executionArn: this.executionArn(known.flow, known.name),
      stateMachineArn: this.stateMachineArn(known.flow),
      name: known.name,
      status: known.record?.status ?? 'RUNNING',
      input: JSON.stringify(known.input),
    };
  }

  async startExecution(
    stateMachineArn: string,
    name: string,
    input: string,
  ): Promise<StartedExecution> {
    const flow = (['media', 'etl'] as const).find(
      (f) => this.stateMachineArn(f) === stateMachineArn,
    );
    if (!flow)
      throw new StartExecutionError(
        stateMachineArn,
        name,
        `StateMachineDoesNotExist: the sandbox runs ${this.stateMachineArn('media')} and ${this.stateMachineArn('etl')}`,
      );
    if (this.known.has(this.executionArn(flow, name)))
      throw new StartExecutionError(
        stateMachineArn,
        name,
        'ExecutionAlreadyExists: an execution of that name exists',
      );
    const { executionArn } = this.run(flow, JSON.parse(input), name);
    return { executionArn, startDate: new Date() };
  }

  private flow(flow: SandboxFlow): LocalFlow {
    return flow === 'media' ? this.sandbox.mediaFlow : this.sandbox.etlFlow;
  }

  private track(
    flow: SandboxFlow,
    name: string,
    input: unknown,
    done: Promise<ExecutionRecord>,
  ): Known {
    const known: Known = { flow, name, input, done };
    void done.then((r) => (known.record = r)).catch(() => undefined);
    this.known.set(this.executionArn(flow, name), known);
    return known;
  }

  /** A known execution by ARN; the sandbox's ended S3-started executions are learnt on the way. */
  private async find(executionArn: string): Promise<Known | undefined> {
    parseExecutionArn(executionArn);
    const pending = Symbol('pending');
    for (const e of this.sandbox.executions) {
      // A running execution's record (and so its name) is not known yet.
      const record = await Promise.race([e.record, Promise.resolve(pending)]);
      if (record === pending || this.known.has(record.executionArn)) continue;
      this.track('media', record.name, e.input, e.record).record = record;
    }
    return this.known.get(executionArn);
  }

  private notFound(executionArn: string): never {
    throw new ExecutionNotFoundError(executionArn, this.where);
  }
}
