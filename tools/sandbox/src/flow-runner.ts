import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { allStates, type AslDefinition } from '@slipway/flows';
import type { LocalEventBus } from './event-bus';
import type { LambdaError, LocalLambda } from './local-lambda';

/** One entry of the interpreter's execution history (the library does not export the type). */
export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** Runs a service integration locally (e.g. MediaConvert's createJob.sync) from the Task's resolved Parameters. */
export type ServiceHandler = (parameters: Record<string, unknown>) => Promise<unknown>;

/** Makes a Task fail on purpose, to exercise Retry and Catch: return an error to throw, or nothing. */
export type FaultInjector = (
  state: string,
  attempt: number,
) => { name: string; message: string } | undefined;

/** One state as it ran. */
export interface StateRun {
  state: string;
  type: string;
  status: 'succeeded' | 'failed' | 'caught' | 'retried';
  startedAt: number;
  durationMs: number;
  error?: string;
}

/** The outcome of one execution, with its history. */
export interface ExecutionRecord {
  name: string;
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: { error: string; cause: unknown };
  durationMs: number;
  /** States in the order they finished, with durations. */
  path: StateRun[];
  /** The raw event log of the interpreter. */
  history: EventLog[];
}

/** Everything a local execution needs. */
export interface LocalFlowOptions {
  /** The flow with placeholders resolved: Lambda ARNs end with `:function:<functionName>`. */
  definition: AslDefinition;
  /** Lambdas by deployed function name. */
  lambdas: ReadonlyMap<string, LocalLambda>;
  bus: LocalEventBus;
  /** Local stand-ins for service integrations, by Resource ARN. */
  services?: Record<string, ServiceHandler>;
  faults?: FaultInjector;
  /** Pause between retries, ms (the definition's backoff is for AWS; locally it only slows tests). */
  retryIntervalMs?: number;
  region?: string;
  accountId?: string;
}

/**
 * Runs the real ASL with aws-local-stepfunctions. Every Task is answered locally, keeping the
 * contract of its AWS integration: `lambda:invoke` gets `{ FunctionName, Payload }` and
 * returns `{ Payload, StatusCode }`; a function error becomes a Task error named after its
 * `errorType` with the runtime's JSON as `Cause`, exactly what Retry and Catch see in AWS.
 */
export class LocalFlow {
  private readonly machine: StateMachine;

  constructor(private readonly options: LocalFlowOptions) {
    // AslDefinition is deliberately loose; the interpreter validates the real shape at construction.
    this.machine = new StateMachine(options.definition as unknown as StateMachineDefinition);
  }

  /** Starts an execution and waits for it to end. */
  async run(input: unknown, name: string = randomUUID()): Promise<ExecutionRecord> {
    const {
      definition,
      region = 'eu-west-1',
      accountId = '000000000000',
      retryIntervalMs = 5,
    } = this.options;
    const attempts = new Map<string, number>();
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [state, def] of allStates(definition)) {
      if (def.Retry) retryIntervalOverrides[state] = retryIntervalMs;
      if (def.Type !== 'Task') continue;
      handlers[state] = async (taskInput) => {
        const attempt = (attempts.get(state) ?? 0) + 1;
        attempts.set(state, attempt);
        const fault = this.options.faults?.(state, attempt);
        if (fault) throw Object.assign(new Error(fault.message), { name: fault.name });
        return this.task(state, def.Resource ?? '', taskInput as Record<string, unknown>);
      };
    }
    const stateMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:local`;
    const started = Date.now();
    const execution = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides },
      context: {
        Execution: {
          Id: `arn:aws:states:${region}:${accountId}:execution:local:${name}`,
          Name: name,
          Input: input,
          StartTime: new Date(started).toISOString(),
          RoleArn: `arn:aws:iam::${accountId}:role/local`,
        },
        StateMachine: { Id: stateMachineArn, Name: 'local' },
      } as never,
    });
    const history: EventLog[] = [];
    const collecting = (async () => {
      for await (const event of execution.eventLogs) history.push(event);
    })();
    let record: Omit<ExecutionRecord, 'path' | 'history'>;
    try {
      const output = await execution.result;
      record = { name, status: 'SUCCEEDED', output, durationMs: Date.now() - started };
    } catch (error) {
      // The interpreter wraps the failing state's error (a Fail state's Error/Cause) as `cause`.
      const wrapper = error as {
        name?: string;
        message?: string;
        cause?: { name?: string; message?: string };
      };
      const e = wrapper.name === 'ExecutionError' && wrapper.cause ? wrapper.cause : wrapper;
      record = {
        name,
        status: 'FAILED',
        error: { error: e.name ?? 'Error', cause: e.message },
        durationMs: Date.now() - started,
      };
    }
    await collecting;
    return { ...record, path: pathOf(history), history };
  }

  private async task(
    state: string,
    resource: string,
    parameters: Record<string, unknown>,
  ): Promise<unknown> {
    if (resource === 'arn:aws:states:::lambda:invoke') {
      const arn = String(parameters.FunctionName);
      const fn = this.options.lambdas.get(arn.split(':').pop()!);
      if (!fn)
        throw Object.assign(new Error(`Function not found: ${arn}`), {
          name: 'Lambda.ResourceNotFoundException',
        });
      const result = await fn.invoke(parameters.Payload);
      if (!result.ok) throw lambdaTaskError(result.error);
      return { Payload: result.result, StatusCode: 200, ExecutedVersion: '$LATEST' };
    }
    if (resource === 'arn:aws:states:::events:putEvents') {
      return this.options.bus.put(parameters.Entries as never);
    }
    const service = this.options.services?.[resource];
    if (!service) {
      throw Object.assign(
        new Error(`${state}: the sandbox has no local stand-in for ${resource}`),
        { name: 'States.Runtime' },
      );
    }
    return service(parameters);
  }
}

/** A function error as Step Functions reports it: Error = errorType, Cause = the runtime's JSON. */
function lambdaTaskError(error: LambdaError): Error {
  return Object.assign(new Error(JSON.stringify(error)), { name: error.errorType });
}

/** Turns the interpreter's event log into the path through the states with durations. */
function pathOf(history: EventLog[]): StateRun[] {
  const entered = new Map<string, number>();
  const path: StateRun[] = [];
  for (const event of history) {
    if (!('state' in event)) continue;
    const key = `${event.state.name}#${event.index ?? ''}`;
    if (event.type === 'StateEntered') entered.set(key, event.timestamp);
    else {
      const startedAt = entered.get(key) ?? event.timestamp;
      const status =
        event.type === 'StateExited'
          ? 'succeeded'
          : event.type === 'StateFailed'
            ? 'failed'
            : event.type === 'StateCaught'
              ? 'caught'
              : 'retried';
      path.push({
        state: event.state.name,
        type: event.state.type,
        status,
        startedAt,
        durationMs: event.timestamp - startedAt,
        ...('Error' in event ? { error: String(event.Error) } : {}),
      });
    }
  }
  return path;
}
