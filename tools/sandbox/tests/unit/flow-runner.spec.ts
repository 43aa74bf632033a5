import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AslDefinition } from '@slipway/flows';
import {
  LocalEventBus,
  LocalFlow,
  type InvokeOptions,
  type InvokeResult,
  type LocalLambda,
  type XrayElement,
  type XraySegmentDocument,
} from '../../src';

const definition: AslDefinition = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/invoke-and-publish.asl.json'), 'utf8'),
);

/** A stand-in for a packaged function: records what it receives and answers as told. */
function worker(answer: (event: unknown) => InvokeResult) {
  const calls: unknown[] = [];
  const options: InvokeOptions[] = [];
  const fn = {
    invoke: async (event: unknown, o: InvokeOptions = {}) => (
      calls.push(event),
      options.push(o),
      answer(event)
    ),
  } as unknown as LocalLambda;
  return { fn, calls, options };
}

/** A traced flow over `worker`, collecting what it writes to the daemon. */
function tracedFlow(answer: (event: unknown) => InvokeResult) {
  const { fn, options } = worker(answer);
  const written: XraySegmentDocument[] = [];
  const bus = new LocalEventBus();
  const traces: unknown[] = [];
  bus.addRule({
    name: 'done',
    busName: 'bus',
    pattern: { 'detail-type': ['Done'] },
    target: 'test',
    deliver: async (_event, trace) => void traces.push(trace),
  });
  const flow = new LocalFlow({
    definition,
    lambdas: new Map([['worker', fn]]),
    bus,
    name: 'slipway-local-test',
    tracing: { write: (d) => written.push(d) },
  });
  return { flow, written, options, bus, traces };
}
const child = (e: XrayElement, name: string) => e.subsegments!.find((s) => s.name === name)!;

describe('LocalFlow', () => {
  it('invokes with the Payload and answers with the { Payload, StatusCode } envelope, then publishes', async () => {
    const { fn, calls } = worker((event) => ({
      ok: true,
      result: { doubled: (event as { n: number }).n * 2 },
      durationMs: 1,
    }));
    const bus = new LocalEventBus();
    const flow = new LocalFlow({ definition, lambdas: new Map([['worker', fn]]), bus });

    const run = await flow.run({ n: 21 }, 'exec-1');

    expect(run.status).toBe('SUCCEEDED');
    expect(calls).toEqual([{ n: 21 }]);
    // No ResultPath: the selected result replaces the state's input, as in AWS.
    expect(run.output).toEqual({ result: { doubled: 42 } });
    expect(bus.events).toMatchObject([
      { busName: 'bus', source: 'test', detailType: 'Done', detail: { doubled: 42 } },
    ]);
    expect(run.path.map((p) => [p.state, p.status])).toEqual([
      ['Work', 'succeeded'],
      ['Publish', 'succeeded'],
    ]);
  });

  it('turns a function error into a Task error named after errorType with the runtime JSON as Cause', async () => {
    const error = {
      errorType: 'MediaInputError',
      errorMessage: 'CORRUPT_IMAGE: truncated',
      trace: ['at x'],
    };
    const { fn } = worker(() => ({ ok: false, error, durationMs: 1 }));
    const flow = new LocalFlow({
      definition,
      lambdas: new Map([['worker', fn]]),
      bus: new LocalEventBus(),
    });

    const run = await flow.run({ n: 1 });

    expect(run.status).toBe('FAILED');
    expect(run.error).toEqual({ error: 'WorkFailed', cause: 'see history' });
    const caught = run.history.find(
      (e) => e.type === 'StateCaught' || e.type === 'StateFailed',
    ) as { Error?: string; Cause?: unknown };
    expect(caught.Error).toBe('MediaInputError');
    expect(JSON.parse(String(caught.Cause))).toEqual(error);
  });

  it('retries injected transient faults like the definition says', async () => {
    const { fn, calls } = worker(() => ({ ok: true, result: { ok: 1 }, durationMs: 1 }));
    const flow = new LocalFlow({
      definition,
      lambdas: new Map([['worker', fn]]),
      bus: new LocalEventBus(),
      faults: (state, attempt) =>
        state === 'Work' && attempt === 1
          ? { name: 'Lambda.ServiceException', message: 'x' }
          : undefined,
    });

    const run = await flow.run({ n: 1 });

    expect(run.status).toBe('SUCCEEDED');
    expect(calls).toHaveLength(1);
    expect(run.path.map((p) => [p.state, p.status])).toEqual([
      ['Work', 'failed'],
      ['Work', 'retried'],
      ['Work', 'succeeded'],
      ['Publish', 'succeeded'],
    ]);
  });
});

describe('LocalFlow: a Map whose iteration fails', () => {
  const mapDefinition: AslDefinition = JSON.parse(
    readFileSync(join(__dirname, '../fixtures/map-fails.asl.json'), 'utf8'),
  );
  const error = { errorType: 'EtlSpillError', errorMessage: 'no space left', trace: [] };

  /** 'bad' fails at once; 'slow' answers only when released; the others at once. */
  function items() {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const { fn, calls } = worker(() => ({ ok: true, result: null, durationMs: 1 }));
    // The Payload is a nested template ({ "item.$": "$" }): resolved in the rewritten definition too.
    const invoke = async (event: { item: string }): Promise<InvokeResult> => {
      calls.push(event.item);
      if (event.item === 'bad') return { ok: false, error, durationMs: 1 };
      if (event.item === 'slow') await released;
      return { ok: true, result: event, durationMs: 1 };
    };
    Object.assign(fn, { invoke });
    const flow = new LocalFlow({
      definition: mapDefinition,
      lambdas: new Map([['worker', fn]]),
      bus: new LocalEventBus(),
    });
    return { flow, calls, release };
  }

  it('fails the execution while an invocation is in flight, and starts none of the waiting iterations', async () => {
    // Prepare: two at a time; 'c', 'd' and 'e' wait for a slot when 'bad' fails.
    const { flow, calls, release } = items();

    // Act
    const run = await flow.run({ items: ['slow', 'bad', 'c', 'd', 'e'] });
    const whenEnded = [...calls];
    release();
    await flow.settled();

    // Assess: 'slow' was invoked and finished after the end (its result discarded), as in AWS.
    expect(run.status).toBe('FAILED');
    expect(run.error).toEqual({ error: 'MapFailed', cause: 'see history' });
    expect(whenEnded).toEqual(['slow', 'bad']);
    expect(calls).toEqual(['slow', 'bad']);
    // The Map's Catch sees the iteration's own error, not the sandbox's marker.
    const caught = run.history.find((e) => e.type === 'StateCaught') as {
      state: { name: string };
    };
    expect(caught.state.name).toBe('EachItem');
    expect(run.path.map((p) => [p.state, p.status, p.error])).toEqual([
      ['Work', 'failed', 'EtlSpillError'],
      ['EachItem', 'failed', 'EtlSpillError'],
      ['EachItem', 'caught', undefined],
      ['EachItem', 'succeeded', undefined],
      ['Failed', 'failed', 'MapFailed'],
    ]);
    // Neither the sandbox's marker state nor the refused iterations' Tasks are in the history.
    expect(JSON.stringify(run.history)).not.toContain('·IterationFailed');
    expect(JSON.stringify(run.history)).not.toContain('Sandbox.MapIterationNotStarted');
  });

  it('runs every iteration when none fails (the gate changes nothing else)', async () => {
    // Prepare
    const { flow, calls, release } = items();
    release();

    // Act
    const run = await flow.run({ items: ['slow', 'c', 'd'] });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(calls).toEqual(['slow', 'c', 'd']);
    expect(run.output).toEqual({ items: ['slow', 'c', 'd'], results: ['slow', 'c', 'd'] });
  });
});

describe('LocalFlow with tracing on', () => {
  it('writes the execution segment with one subsegment per state and passes the trace to the function and the bus', async () => {
    const { flow, written, options, bus, traces } = tracedFlow(() => ({
      ok: true,
      result: { doubled: 2 },
      durationMs: 1,
    }));

    const run = await flow.run({ n: 1 }, 'exec-1');
    await bus.idle();

    expect(written).toHaveLength(1);
    const [segment] = written;
    expect(segment).toMatchObject({
      name: 'slipway-local-test',
      trace_id: run.traceId,
      origin: 'AWS::StepFunctions::StateMachine',
      aws: {
        execution_arn: 'arn:aws:states:eu-west-1:000000000000:execution:slipway-local-test:exec-1',
      },
    });
    expect(run.executionArn).toBe(segment.aws!.execution_arn);
    expect(segment.parent_id).toBeUndefined();
    expect(segment.fault).toBeUndefined();
    expect(run.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(segment.subsegments!.map((s) => s.name)).toEqual(['Work', 'Publish']);
    const invoke = child(segment.subsegments![0], 'Lambda');
    expect(invoke).toMatchObject({
      namespace: 'aws',
      aws: { operation: 'Invoke', function_name: 'worker', region: 'eu-west-1' },
    });
    expect(options).toEqual([{ trace: { traceId: run.traceId, parentId: invoke.id } }]);
    const put = child(segment.subsegments![1], 'EventBridge');
    expect(put).toMatchObject({ namespace: 'aws', aws: { operation: 'PutEvents' } });
    expect(traces).toEqual([{ traceId: run.traceId, parentId: put.id }]);
    // Every element lies inside its parent's time span.
    for (const state of segment.subsegments!) {
      expect(state.start_time).toBeGreaterThanOrEqual(segment.start_time);
      expect(state.end_time).toBeLessThanOrEqual(segment.end_time!);
    }
  });

  it('marks the failing Task and its Invoke as faults with the function error, and joins the caller trace', async () => {
    const { flow, written } = tracedFlow(() => ({
      ok: false,
      error: { errorType: 'MediaInputError', errorMessage: 'CORRUPT_IMAGE', trace: [] },
      durationMs: 1,
    }));
    const caller = { traceId: '1-6b110000-0123456789abcdef01234567', parentId: 'aaaaaaaaaaaaaaaa' };

    const run = await flow.run({ n: 1 }, 'exec-2', caller);

    expect(run.traceId).toBe(caller.traceId);
    const [segment] = written;
    expect(segment.parent_id).toBe(caller.parentId);
    expect(segment.subsegments!.map((s) => [s.name, s.fault ?? false])).toEqual([
      ['Work', true],
      ['Failed', true],
    ]);
    expect(child(segment.subsegments![0], 'Lambda')).toMatchObject({
      fault: true,
      cause: { exceptions: [{ type: 'MediaInputError', message: 'CORRUPT_IMAGE' }] },
    });
    expect(segment).toMatchObject({
      fault: true,
      cause: { exceptions: [{ type: 'WorkFailed', message: 'see history' }] },
    });
  });

  it('writes nothing and passes no trace when tracing is off', async () => {
    const { fn, options } = worker(() => ({ ok: true, result: {}, durationMs: 1 }));
    const flow = new LocalFlow({
      definition,
      lambdas: new Map([['worker', fn]]),
      bus: new LocalEventBus(),
    });

    const run = await flow.run({ n: 1 });

    expect(run.traceId).toBeUndefined();
    expect(options).toEqual([{}]);
  });
});

describe('LocalEventBus', () => {
  it("hands an entry's TraceHeader, else the caller's trace, to the rule's delivery", async () => {
    const bus = new LocalEventBus();
    const traces: unknown[] = [];
    bus.addRule({
      name: 'all',
      busName: 'default',
      pattern: { source: ['s'] },
      target: 'test',
      deliver: async (_e, trace) => void traces.push(trace),
    });

    bus.put([
      {
        Source: 's',
        DetailType: 'A',
        Detail: '{}',
        TraceHeader: 'Root=1-6b110000-aaaaaaaaaaaaaaaaaaaaaaaa;Parent=1111111111111111;Sampled=1',
      },
    ]);
    bus.put([{ Source: 's', DetailType: 'B', Detail: '{}' }], {
      traceId: '1-6b110000-bbbbbbbbbbbbbbbbbbbbbbbb',
      parentId: '2222222222222222',
    });
    bus.put([{ Source: 's', DetailType: 'C', Detail: '{}' }]);
    await bus.idle();

    expect(traces).toEqual([
      { traceId: '1-6b110000-aaaaaaaaaaaaaaaaaaaaaaaa', parentId: '1111111111111111' },
      { traceId: '1-6b110000-bbbbbbbbbbbbbbbbbbbbbbbb', parentId: '2222222222222222' },
      undefined,
    ]);
  });

  it('gives identical entries their own ids, as EventBridge does, and tells subscribers', () => {
    const bus = new LocalEventBus();
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(e.detailType));

    const a = bus.put([{ Source: 's', DetailType: 'T', Detail: '{"x":1}' }]);
    const b = bus.put([{ Source: 's', DetailType: 'T', Detail: { x: 1 } }]);

    expect(a.Entries[0].EventId).not.toBe(b.Entries[0].EventId);
    expect(bus.events.map((e) => e.detail)).toEqual([{ x: 1 }, { x: 1 }]);
    expect(a.FailedEntryCount).toBe(0);
    expect(seen).toEqual(['T', 'T']);
  });
});
