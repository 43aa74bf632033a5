import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { allStates, type AslDefinition } from '@slipway/flows';
import {
  batchesOf,
  exceedsTolerance,
  extractDistributedMaps,
  mapRunArns,
  readItems,
  stateError,
  writeResults,
  type ChildExecution,
  type DistributedMapParameters,
  type DistributedMapSpec,
} from './distributed-map';
import type { LocalEventBus } from './event-bus';
import type { LambdaError, LocalLambda } from './local-lambda';
import {
  newSegmentId,
  newTraceId,
  type SegmentWriter,
  type TraceContext,
  type XrayElement,
} from './xray-daemon';

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

/** One child execution of a Distributed Map, with its own history (not in the parent's, as in AWS). */
export interface ChildExecutionRecord {
  name: string;
  executionArn: string;
  status: 'SUCCEEDED' | 'FAILED';
  input: unknown;
  output?: unknown;
  error?: { error: string; cause: unknown };
  path: StateRun[];
  history: EventLog[];
}

/** One Map Run of a Distributed Map: its child executions in the order they started. */
export interface MapRunRecord {
  state: string;
  mapRunArn: string;
  /** Items read (from the ItemReader or the input). */
  items: number;
  executions: ChildExecutionRecord[];
  status: 'SUCCEEDED' | 'FAILED';
}

/** The outcome of one execution, with its history. */
export interface ExecutionRecord {
  name: string;
  /** `arn:aws:states:<region>:<account>:execution:<state machine>:<name>`. */
  executionArn: string;
  /** The X-Ray trace the execution belongs to, when the flow is traced. */
  traceId?: string;
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: { error: string; cause: unknown };
  durationMs: number;
  /** States in the order they finished, with durations. */
  path: StateRun[];
  /** The raw event log of the interpreter. */
  history: EventLog[];
  /** Map Runs of the Distributed Maps this execution ran, in the order they started. */
  mapRuns: MapRunRecord[];
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
  /** The local S3 a Distributed Map's ItemReader reads and ResultWriter writes. */
  s3?: S3Client;
  faults?: FaultInjector;
  /** Pause between retries, ms (the definition's backoff is for AWS; locally it only slows tests). */
  retryIntervalMs?: number;
  region?: string;
  accountId?: string;
  /** The state machine's name (`slipway-local-media`); `local` by default. */
  name?: string;
  /**
   * X-Ray tracing on, as the stacks turn it on: each execution writes its segment (one
   * subsegment per state run, the Lambda `Invoke`, `PutEvents` and service calls inside them)
   * and passes the trace to the functions it invokes and the events it puts.
   */
  tracing?: SegmentWriter;
}

/** A service call a Task made, as the subsegment X-Ray shows under the state's. */
interface TaskCall {
  state: string;
  element: XrayElement;
}

/**
 * Runs the real ASL with aws-local-stepfunctions. Every Task is answered locally, keeping the
 * contract of its AWS integration: `lambda:invoke` gets `{ FunctionName, Payload }` and
 * returns `{ Payload, StatusCode }`; a function error becomes a Task error named after its
 * `errorType` with the runtime's JSON as `Cause`, exactly what Retry and Catch see in AWS.
 */
export class LocalFlow {
  private readonly machine: StateMachine;
  private readonly maps: MapGates;
  private readonly distributed: Map<string, DistributedMapSpec & { machine: StateMachine }>;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: LocalFlowOptions) {
    // AslDefinition is deliberately loose; the interpreter validates the real shape at construction.
    new StateMachine(options.definition as unknown as StateMachineDefinition);
    // Distributed Maps become Tasks the runner answers (distributed-map.ts); their processors
    // run as child state machines.
    const { definition, maps } = extractDistributedMaps(options.definition);
    this.distributed = new Map(
      [...maps].map(([name, spec]) => [
        name,
        {
          ...spec,
          machine: new StateMachine(spec.processor as unknown as StateMachineDefinition),
        },
      ]),
    );
    this.maps = gateMaps(definition);
    // The same definition plus the iteration-failure markers (validated above without them).
    this.machine = new StateMachine(this.maps.definition as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
  }

  /**
   * Resolves when every Task call that any execution of this flow started has ended. As in AWS,
   * a Lambda invoked by a Map iteration that was still running when its Map failed runs to
   * completion after the execution has ended (its result is discarded): a test that looks at
   * what such invocations wrote awaits this first.
   */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Starts an execution and waits for it to end. `trace` is the caller's (a `StartExecution`
   * made inside a trace); without it a traced execution starts its own trace, as one started by
   * an S3 event through EventBridge does in AWS.
   */
  async run(
    input: unknown,
    name: string = randomUUID(),
    trace?: TraceContext,
  ): Promise<ExecutionRecord> {
    const {
      definition,
      region = 'eu-west-1',
      accountId = '000000000000',
      retryIntervalMs = 5,
      name: machine = 'local',
      tracing,
    } = this.options;
    const started = Date.now();
    const traceId = tracing ? (trace?.traceId ?? newTraceId(started)) : undefined;
    const calls: TaskCall[] = [];
    const attempts = new Map<string, number>();
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    // Map states of this execution that have failed: their iterations start no more Tasks.
    const failedMaps = new Set<string>();
    const mapRuns: MapRunRecord[] = [];
    for (const [marker, map] of this.maps.markers) {
      handlers[marker] = async (error) => {
        failedMaps.add(map);
        const { Error: name, Cause: cause } = error as { Error: string; Cause: unknown };
        throw Object.assign(new Error(String(cause)), { name });
      };
    }
    for (const [state, def] of allStates(definition)) {
      if (def.Retry) retryIntervalOverrides[state] = retryIntervalMs;
      if (def.Type !== 'Task') continue;
      const enclosing = this.maps.enclosing.get(state) ?? [];
      handlers[state] = async (taskInput) => {
        const failed = enclosing.find((map) => failedMaps.has(map));
        if (failed)
          throw Object.assign(
            new Error(
              `${failed} failed before this iteration started; Step Functions starts no more iterations of a failed Map.`,
            ),
            { name: NOT_STARTED },
          );
        const attempt = (attempts.get(state) ?? 0) + 1;
        attempts.set(state, attempt);
        const fault = this.options.faults?.(state, attempt);
        if (fault) throw Object.assign(new Error(fault.message), { name: fault.name });
        const call = this.task(
          state,
          def.Resource ?? '',
          taskInput as Record<string, unknown>,
          traceId ? (c) => calls.push(c) : undefined,
          traceId,
        );
        this.inFlight.add(call);
        try {
          return await call;
        } finally {
          this.inFlight.delete(call);
        }
      };
    }
    for (const [state, spec] of this.distributed)
      handlers[state] = (parameters) =>
        this.distributedMap(spec, parameters as DistributedMapParameters, {
          handlers,
          retryIntervalOverrides,
          mapRuns,
        });
    const stateMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:${machine}`;
    const executionArn = `arn:aws:states:${region}:${accountId}:execution:${machine}:${name}`;
    const execution = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides },
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          Input: input,
          StartTime: new Date(started).toISOString(),
          RoleArn: `arn:aws:iam::${accountId}:role/local`,
        },
        StateMachine: { Id: stateMachineArn, Name: machine },
      } as never,
    });
    const history: EventLog[] = [];
    const collecting = (async () => {
      for await (const event of execution.eventLogs) history.push(event);
    })();
    let record: Omit<ExecutionRecord, 'path' | 'history' | 'executionArn' | 'mapRuns'>;
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
    history.splice(0, history.length, ...withoutMarkers(history, this.maps));
    const path = pathOf(history).map((p) =>
      this.distributed.has(p.state) ? { ...p, type: 'Map' } : p,
    );
    if (tracing && traceId) {
      tracing.write(
        executionSegment({
          machine,
          executionArn,
          traceId,
          parentId: trace?.parentId,
          started,
          ended: started + record.durationMs,
          failed: record.status === 'FAILED' ? record.error : undefined,
          // The child executions' states hold the calls their Tasks made.
          history: [...history, ...mapRuns.flatMap((r) => r.executions.flatMap((e) => e.history))],
          calls,
        }),
      );
    }
    return { ...record, executionArn, ...(traceId ? { traceId } : {}), path, history, mapRuns };
  }

  /**
   * One Map Run of a Distributed Map: reads the items, batches them, runs one child execution
   * of the ItemProcessor per batch (at most MaxConcurrency at a time), and writes the results.
   * Once more children failed than the Map tolerates, the Map fails with
   * `States.ExceedToleratedFailureThreshold`, no further child starts, and the running ones
   * start no further Task (in AWS they are stopped; a Lambda invocation already running
   * finishes, its result discarded, and {@link settled} waits for it).
   */
  private async distributedMap(
    spec: DistributedMapSpec & { machine: StateMachine },
    parameters: DistributedMapParameters,
    run: {
      handlers: Record<string, (input: unknown) => Promise<unknown>>;
      retryIntervalOverrides: Record<string, number>;
      mapRuns: MapRunRecord[];
    },
  ): Promise<unknown> {
    const {
      region = 'eu-west-1',
      accountId = '000000000000',
      name: machine = 'local',
    } = this.options;
    const s3 = this.options.s3;
    if (!s3 && (parameters.ItemReader || parameters.ResultWriter))
      throw stateError(
        'States.Runtime',
        `${spec.state}: a Distributed Map with an ItemReader or ResultWriter needs the sandbox's S3 (LocalFlowOptions.s3).`,
      );
    const items = await readItems(s3!, spec, parameters);
    const inputs = batchesOf(spec, items, parameters.BatchInput);
    const arns = mapRunArns(region, accountId, machine, spec.state);
    const record: MapRunRecord = {
      state: spec.state,
      mapRunArn: arns.mapRunArn,
      items: items.length,
      executions: [],
      status: 'SUCCEEDED',
    };
    run.mapRuns.push(record);
    let stopped = false;
    const handlers = Object.fromEntries(
      Object.entries(run.handlers).map(([state, handler]) => [
        state,
        async (input: unknown) => {
          if (stopped)
            throw stateError(
              'States.Aborted',
              `${spec.state}'s Map Run failed: Step Functions stopped this child execution.`,
            );
          return handler(input);
        },
      ]),
    );
    const children: ChildExecution[] = new Array(inputs.length);
    let failed = 0;
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let running = 0;
      const launch = (): void => {
        if (stopped) return;
        if (next >= inputs.length && running === 0) return resolve();
        while (running < spec.maxConcurrency && next < inputs.length) {
          const index = next++;
          running++;
          const child = this.childExecution(spec, arns, inputs[index], handlers, run)
            .then(({ result, execution }) => {
              record.executions.push(execution);
              if (stopped) return;
              children[index] = result;
              if (result.Status === 'FAILED' && exceedsTolerance(spec, ++failed, inputs.length)) {
                stopped = true;
                record.status = 'FAILED';
                reject(
                  stateError(
                    'States.ExceedToleratedFailureThreshold',
                    `The Map Run ${arns.mapRunArn} failed: ${failed} of ${inputs.length} child execution(s) failed, more than the Map tolerates. First failure: ${result.Error}: ${result.Cause}`,
                  ),
                );
              }
            })
            .finally(() => {
              running--;
              this.inFlight.delete(child);
              launch();
            });
          this.inFlight.add(child);
        }
      };
      launch();
    });
    if (!spec.writesResults)
      return children.map((c) => (c.Output === undefined ? null : JSON.parse(c.Output)));
    return writeResults(s3!, parameters.ResultWriter!, arns, children);
  }

  /** One child execution of a Map Run; never rejects (a failure is its record's status). */
  private async childExecution(
    spec: DistributedMapSpec & { machine: StateMachine },
    arns: ReturnType<typeof mapRunArns>,
    input: unknown,
    handlers: Record<string, (input: unknown) => Promise<unknown>>,
    run: { retryIntervalOverrides: Record<string, number> },
  ): Promise<{ result: ChildExecution; execution: ChildExecutionRecord }> {
    const name = randomUUID();
    const executionArn = arns.executionArn(name);
    const started = new Date();
    const execution = spec.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        retryIntervalOverrides: run.retryIntervalOverrides,
      },
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          Input: input,
          StartTime: started.toISOString(),
          RoleArn: `arn:aws:iam::${this.options.accountId ?? '000000000000'}:role/local`,
        },
        StateMachine: { Id: arns.stateMachineArn, Name: arns.stateMachineArn.split(':').pop() },
      } as never,
    });
    const history: EventLog[] = [];
    const collecting = (async () => {
      for await (const event of execution.eventLogs) history.push(event);
    })();
    let outcome: Pick<ChildExecutionRecord, 'status' | 'output' | 'error'>;
    try {
      outcome = { status: 'SUCCEEDED', output: await execution.result };
    } catch (error) {
      const wrapper = error as {
        name?: string;
        message?: string;
        cause?: { name?: string; message?: string };
      };
      const e = wrapper.name === 'ExecutionError' && wrapper.cause ? wrapper.cause : wrapper;
      outcome = { status: 'FAILED', error: { error: e.name ?? 'Error', cause: e.message } };
    }
    await collecting;
    const stopped = new Date().toISOString();
    const result: ChildExecution = {
      ExecutionArn: executionArn,
      Name: name,
      Input: JSON.stringify(input),
      InputDetails: { Included: true },
      ...(outcome.status === 'SUCCEEDED'
        ? { Output: JSON.stringify(outcome.output), OutputDetails: { Included: true as const } }
        : { Error: outcome.error!.error, Cause: String(outcome.error!.cause) }),
      RedriveCount: 0,
      RedriveStatus: outcome.status === 'SUCCEEDED' ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
      StartDate: started.toISOString(),
      StateMachineArn: arns.stateMachineArn,
      Status: outcome.status,
      StopDate: stopped,
    };
    return {
      result,
      execution: { name, executionArn, input, ...outcome, path: pathOf(history), history },
    };
  }

  private async task(
    state: string,
    resource: string,
    parameters: Record<string, unknown>,
    record: ((call: TaskCall) => void) | undefined,
    traceId: string | undefined,
  ): Promise<unknown> {
    const id = newSegmentId();
    const begun = Date.now();
    const trace = traceId ? { traceId, parentId: id } : undefined;
    // The call's subsegment, as Step Functions records it under the state's.
    const traced = async <T>(
      name: string,
      aws: Record<string, unknown>,
      call: () => Promise<T>,
      failure: (result: T) => { type: string; message: string } | undefined = () => undefined,
    ): Promise<T> => {
      let failed: { type: string; message: string } | undefined;
      try {
        const result = await call();
        failed = failure(result);
        return result;
      } catch (error) {
        const e = error as Error;
        failed = { type: e.name, message: e.message };
        throw error;
      } finally {
        record?.({
          state,
          element: {
            name,
            id,
            namespace: 'aws',
            start_time: begun / 1000,
            end_time: Date.now() / 1000,
            aws: { ...aws, region: this.options.region ?? 'eu-west-1' },
            ...(failed
              ? {
                  fault: true,
                  cause: { exceptions: [{ id: newSegmentId(), ...failed }] },
                }
              : {}),
          },
        });
      }
    };
    if (resource === 'arn:aws:states:::lambda:invoke') {
      const arn = String(parameters.FunctionName);
      const functionName = arn.split(':').pop()!;
      const fn = this.options.lambdas.get(functionName);
      const result = await traced(
        'Lambda',
        { operation: 'Invoke', function_name: functionName },
        async () => {
          if (!fn)
            throw Object.assign(new Error(`Function not found: ${arn}`), {
              name: 'Lambda.ResourceNotFoundException',
            });
          return fn.invoke(parameters.Payload, trace ? { trace } : {});
        },
        (r) => (r.ok ? undefined : { type: r.error.errorType, message: r.error.errorMessage }),
      );
      if (!result.ok) throw lambdaTaskError(result.error);
      return { Payload: result.result, StatusCode: 200, ExecutedVersion: '$LATEST' };
    }
    if (resource === 'arn:aws:states:::events:putEvents') {
      return traced('EventBridge', { operation: 'PutEvents' }, async () =>
        this.options.bus.put(parameters.Entries as never, trace),
      );
    }
    const service = this.options.services?.[resource];
    if (!service) {
      throw Object.assign(
        new Error(`${state}: the sandbox has no local stand-in for ${resource}`),
        { name: 'States.Runtime' },
      );
    }
    // arn:aws:states:::mediaconvert:createJob.sync → MediaConvert CreateJob
    const [, api = resource, action = ''] =
      /^arn:aws:states:::([^:]+):([^.]+)/.exec(resource) ?? [];
    return traced(
      SERVICE_NAMES[api] ?? api,
      { operation: action.charAt(0).toUpperCase() + action.slice(1) },
      () => service(parameters),
    );
  }
}

/** The error a Task of a Map iteration gets when that Map has already failed (never in the history). */
const NOT_STARTED = 'Sandbox.MapIterationNotStarted';
const MARKER_RESOURCE = 'arn:aws:states:::sandbox:mapIterationFailed';

/** What {@link gateMaps} adds to a definition so that a failed Map starts no more iterations. */
interface MapGates {
  /** The definition the interpreter runs: the flow plus one marker state per Map. */
  definition: AslDefinition;
  /** Marker state name → the Map it belongs to. */
  markers: Map<string, string>;
  /** Task state name → the Maps it runs inside, outermost first. */
  enclosing: Map<string, string[]>;
  /** Map state name → the states of its ItemProcessor (not of nested Maps). */
  members: Map<string, Set<string>>;
}

/**
 * In AWS, when a Map iteration fails the Map fails at once: iterations still waiting for a
 * MaxConcurrency slot never start, and the Lambda invocations already running finish with their
 * results discarded ([Map state](https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html),
 * [error handling](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)).
 * aws-local-stepfunctions 3.0 aborts the running iterations but leaves the waiting ones queued in
 * its p-limit, so they start one by one afterwards, even after the execution has ended, and
 * their Lambdas write to S3 (issue 17).
 *
 * The interpreter offers no hook for that, so each state of a Map's ItemProcessor that can catch
 * (Task, Map, Parallel) gets a last `States.ALL` catcher to a marker Task: its local handler is the
 * one place that learns, before the Map does, that an iteration is failing. It records the Map
 * as failed and rethrows the same error (name and cause), so the iteration, the Map, its Catch
 * and the history see what they would without it; {@link withoutMarkers} removes the marker's
 * events. A Task of an iteration of a failed Map then refuses to start ({@link NOT_STARTED}), so
 * no Lambda is invoked for it, and the events of that iteration that reached the history before
 * the execution ended are dropped when they carry that error (a `MapIterationStarted` or
 * `StateEntered` of it can remain: the interpreter had started it). States that already
 * catch `States.ALL` cannot fail their iteration and are left as they are. Not gated (no flow of
 * Slipway has them): a Map with its own Retry, a Map entered twice in one execution, errors the
 * interpreter marks uncatchable, and failures of Choice or Fail states inside an iteration.
 */
function gateMaps(original: AslDefinition): MapGates {
  // JSON, not structuredClone: the interpreter's isPlainObj compares prototypes, and under Jest
  // structuredClone builds objects of another realm, so nested Parameters were left unresolved.
  const definition = JSON.parse(JSON.stringify(original)) as AslDefinition;
  const markers = new Map<string, string>();
  const enclosing = new Map<string, string[]>();
  const members = new Map<string, Set<string>>();
  const walk = (machine: AslDefinition, maps: string[]): void => {
    for (const [name, state] of Object.entries(machine.States)) {
      if (state.Type === 'Task') enclosing.set(name, maps);
      for (const branch of state.Branches ?? []) walk(branch, maps);
      const processor = (state.ItemProcessor ?? state.Iterator) as AslDefinition | undefined;
      // A Map that retries itself re-runs its iterations: the gate would refuse the new ones.
      if (state.Type !== 'Map' || !processor || state.Retry?.length) continue;
      const marker = `${name}·IterationFailed`;
      members.set(name, new Set(Object.keys(processor.States)));
      for (const inner of Object.values(processor.States)) {
        if (!['Task', 'Map', 'Parallel'].includes(inner.Type)) continue;
        if (inner.Catch?.some((c) => c.ErrorEquals.includes('States.ALL'))) continue;
        inner.Catch = [...(inner.Catch ?? []), { ErrorEquals: ['States.ALL'], Next: marker }];
      }
      walk(processor, [...maps, name]);
      processor.States[marker] = { Type: 'Task', Resource: MARKER_RESOURCE, End: true };
      markers.set(marker, name);
    }
  };
  walk(definition, []);
  return { definition, markers, enclosing, members };
}

/**
 * The history as AWS would record it: no marker states or catches to them, and no events of
 * iterations that started after their Map had failed.
 */
function withoutMarkers(history: EventLog[], gates: MapGates): EventLog[] {
  type Loose = {
    type: string;
    index?: number;
    state?: { name: string };
    parentState?: { name: string };
    catch?: { catcher?: { Next?: string } };
    Error?: unknown;
  };
  const mapOf = (event: Loose): string | undefined => {
    if (event.parentState) return event.parentState.name;
    for (const [map, states] of gates.members)
      if (event.state && states.has(event.state.name)) return map;
    return undefined;
  };
  const notStarted = new Set<string>();
  for (const event of history as Loose[])
    if (event.Error === NOT_STARTED && event.index !== undefined)
      notStarted.add(`${mapOf(event)}#${event.index}`);
  // A state caught to a marker is then "exited" by the interpreter: in AWS it failed its iteration.
  const caughtToMarker = new Set<string>();
  return history.filter((e) => {
    const event = e as Loose;
    if (event.state && gates.markers.has(event.state.name)) return false;
    const next = event.catch?.catcher?.Next;
    const key = `${event.state?.name}#${event.index}`;
    if (event.type === 'StateCaught' && next && gates.markers.has(next)) {
      caughtToMarker.add(key);
      return false;
    }
    if (event.type === 'StateExited' && caughtToMarker.delete(key)) return false;
    if (event.index === undefined || notStarted.size === 0) return true;
    return !notStarted.has(`${mapOf(event)}#${event.index}`);
  });
}

/** X-Ray's names of the services a Task may call through an optimized integration. */
const SERVICE_NAMES: Record<string, string> = {
  mediaconvert: 'MediaConvert',
  sqs: 'SQS',
  sns: 'SNS',
  dynamodb: 'DynamoDB',
  s3: 'S3',
  events: 'EventBridge',
};

/**
 * The segment Step Functions writes for a traced execution: one subsegment per state run, in
 * the order they started (parallel branches overlap in time), each holding the calls its Task
 * made; a state that failed (or whose error was caught or retried) is a fault with its error.
 */
function executionSegment(run: {
  machine: string;
  executionArn: string;
  traceId: string;
  parentId?: string;
  started: number;
  ended: number;
  failed?: { error: string; cause: unknown };
  history: EventLog[];
  calls: TaskCall[];
}) {
  const states = stateRunsOf(run.history).map((r) => ({
    run: r,
    element: {
      name: r.state,
      id: newSegmentId(),
      start_time: r.startedAt / 1000,
      end_time: r.endedAt / 1000,
      ...(r.error
        ? { fault: true, cause: { exceptions: [{ id: newSegmentId(), type: r.error }] } }
        : {}),
      subsegments: [] as XrayElement[],
    },
  }));
  const loose: XrayElement[] = [];
  for (const call of run.calls) {
    const start = call.element.start_time * 1000;
    const end = (call.element.end_time ?? call.element.start_time) * 1000;
    // The shortest run of the same state that holds the call (retries re-enter the state).
    const home = states
      .filter(
        (s) =>
          s.run.state === call.state && s.run.startedAt <= start + 1 && s.run.endedAt >= end - 1,
      )
      .sort((a, b) => a.run.endedAt - a.run.startedAt - (b.run.endedAt - b.run.startedAt))[0];
    (home ? home.element.subsegments : loose).push(call.element);
  }
  const subsegments = [...states.map((s) => s.element), ...loose]
    .map((e) => (e.subsegments?.length === 0 ? { ...e, subsegments: undefined } : e))
    .sort((a, b) => a.start_time - b.start_time);
  return {
    name: run.machine,
    id: newSegmentId(),
    trace_id: run.traceId,
    ...(run.parentId ? { parent_id: run.parentId } : {}),
    origin: 'AWS::StepFunctions::StateMachine',
    start_time: run.started / 1000,
    end_time: run.ended / 1000,
    aws: { execution_arn: run.executionArn },
    ...(run.failed
      ? {
          fault: true,
          cause: {
            exceptions: [
              { id: newSegmentId(), type: run.failed.error, message: String(run.failed.cause) },
            ],
          },
        }
      : {}),
    subsegments: subsegments.map((e) =>
      Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)),
    ) as XrayElement[],
  };
}

/** A function error as Step Functions reports it: Error = errorType, Cause = the runtime's JSON. */
function lambdaTaskError(error: LambdaError): Error {
  return Object.assign(new Error(JSON.stringify(error)), { name: error.errorType });
}

/**
 * One entry per time a state was entered (a Map iteration's states count per iteration), ended
 * by its last event; `error` when it ended failed or its error was caught (a retried attempt
 * that later succeeded is not a failure of the state).
 */
function stateRunsOf(
  history: EventLog[],
): { state: string; startedAt: number; endedAt: number; error?: string }[] {
  const open = new Map<
    string,
    { state: string; startedAt: number; endedAt: number; error?: string }
  >();
  const runs: { state: string; startedAt: number; endedAt: number; error?: string }[] = [];
  for (const event of history) {
    if (!('state' in event)) continue;
    const key = `${event.state.name}#${event.index ?? ''}`;
    if (event.type === 'StateEntered') {
      const run = { state: event.state.name, startedAt: event.timestamp, endedAt: event.timestamp };
      open.set(key, run);
      runs.push(run);
      continue;
    }
    const run = open.get(key);
    if (!run) continue;
    run.endedAt = event.timestamp;
    const error = 'Error' in event ? String(event.Error) : 'States.TaskFailed';
    if (event.type === 'StateFailed' || event.type === 'StateCaught') run.error = error;
    // A retry clears the previous attempt's failure: only the last attempt decides.
    if (event.type === 'StateRetried') delete run.error;
  }
  return runs;
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
