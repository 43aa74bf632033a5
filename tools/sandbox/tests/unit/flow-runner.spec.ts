import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AslDefinition } from '@slipway/flows';
import { LocalEventBus, LocalFlow, type InvokeResult, type LocalLambda } from '../../src';

const definition: AslDefinition = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/invoke-and-publish.asl.json'), 'utf8'),
);

/** A stand-in for a packaged function: records what it receives and answers as told. */
function worker(answer: (event: unknown) => InvokeResult) {
  const calls: unknown[] = [];
  const fn = {
    invoke: async (event: unknown) => (calls.push(event), answer(event)),
  } as unknown as LocalLambda;
  return { fn, calls };
}

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

describe('LocalEventBus', () => {
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
