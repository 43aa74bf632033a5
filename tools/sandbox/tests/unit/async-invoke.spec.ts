import type { LambdaManifest } from '@slipway/manifest';
import {
  AsyncInvoker,
  asyncTargetOf,
  awsRetryDelayMs,
  describeDeadLetters,
  type AsyncTarget,
} from '../../src/async-invoke';
import type { InvokeResult } from '../../src/local-lambda';

// Lambda's asynchronous invocation semantics, with a scripted function: retries, the record the
// on-failure destination gets, the request id kept across attempts, event age.

const EVENT = { version: '0', id: 'evt-1', 'detail-type': 'SessionConfirmed', detail: { n: 1 } };
const FAILED: InvokeResult = {
  ok: false,
  durationMs: 3,
  error: { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom', '    at handler'] },
};
const OK: InvokeResult = { ok: true, durationMs: 2, result: { sent: true } };

/** A target answering `results` in order, recording what each attempt received. */
function target(results: InvokeResult[], maximumRetryAttempts = 2, maximumEventAgeSeconds = 3600) {
  const calls: { event: unknown; requestId: string }[] = [];
  const t: AsyncTarget = {
    functionName: 'slipway-local-worker',
    functionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:slipway-local-worker',
    queue: 'slipway-local-worker-dlq',
    config: { maximumRetryAttempts, maximumEventAgeSeconds },
    invoke: async (event, { requestId }) => {
      calls.push({ event, requestId });
      (event as { detail: { n: number } }).detail.n += 100;
      return results[calls.length - 1] ?? OK;
    },
  };
  return { target: t, calls };
}

describe('AsyncInvoker', () => {
  it('waits as AWS does before the retries: 1 minute, then 2', () => {
    expect([awsRetryDelayMs(1), awsRetryDelayMs(2)]).toEqual([60_000, 120_000]);
  });

  it.each([
    ['succeeds first time', [OK], 2, 'succeeded', 1, []],
    ['succeeds on the first retry', [FAILED, OK], 2, 'succeeded', 2, ['Error: boom']],
    [
      'fails every attempt',
      [FAILED, FAILED, FAILED],
      2,
      'dead-lettered',
      3,
      Array(3).fill('Error: boom'),
    ],
    ['with no retries, fails once', [FAILED, OK], 0, 'dead-lettered', 1, ['Error: boom']],
    [
      'with one retry, fails twice',
      [FAILED, FAILED, OK],
      1,
      'dead-lettered',
      2,
      ['Error: boom', 'Error: boom'],
    ],
  ] as const)('%s', async (_case, results, retries, outcome, attempts, errors) => {
    // Prepare
    const delays: number[] = [];
    const invoker = new AsyncInvoker({ retryDelayMs: (n) => (delays.push(n), 0) });
    const { target: t, calls } = target([...results], retries);

    // Act
    const ended = await invoker.invoke(t, EVENT);

    // Assess
    expect(ended).toMatchObject({ outcome, attempts, errors, eventId: 'evt-1' });
    expect(delays).toEqual(Array.from({ length: attempts - 1 }, (_, i) => i + 1));
    expect(new Set(calls.map((c) => c.requestId))).toEqual(new Set([ended.requestId]));
    expect(invoker.invocations).toEqual([ended]);
    expect(invoker.deadLetters).toHaveLength(outcome === 'dead-lettered' ? 1 : 0);
  });

  it('sends the on-failure record AWS documents, holding the event as first received and the last error', async () => {
    // Prepare: the function mutates its input on every attempt.
    const invoker = new AsyncInvoker({ retryDelayMs: () => 0, now: () => Date.UTC(2026, 11, 8) });
    const { target: t, calls } = target([FAILED, FAILED, FAILED]);

    // Act
    const ended = await invoker.invoke(t, EVENT);

    // Assess
    expect(calls.map((c) => c.event)).toEqual(Array(3).fill({ ...EVENT, detail: { n: 101 } }));
    expect(invoker.deadLetters).toEqual([
      {
        functionName: 'slipway-local-worker',
        queue: 'slipway-local-worker-dlq',
        record: {
          version: '1.0',
          timestamp: '2026-12-08T00:00:00.000Z',
          requestContext: {
            requestId: ended.requestId,
            functionArn:
              'arn:aws:lambda:eu-west-1:000000000000:function:slipway-local-worker:$LATEST',
            condition: 'RetriesExhausted',
            approximateInvokeCount: 3,
          },
          requestPayload: EVENT,
          responseContext: {
            statusCode: 200,
            executedVersion: '$LATEST',
            functionError: 'Unhandled',
          },
          responsePayload: {
            errorType: 'Error',
            errorMessage: 'boom',
            trace: ['Error: boom', '    at handler'],
          },
        },
      },
    ]);
  });

  it('drops an event that outlived its maximum age instead of retrying it (EventAgeExceeded)', async () => {
    // Prepare: each attempt takes 61 s of the clock; events are kept 60 s.
    let clock = 0;
    const invoker = new AsyncInvoker({ retryDelayMs: () => 0, now: () => clock });
    const { target: t, calls } = target([FAILED, OK], 2, 60);
    const slow: AsyncTarget = {
      ...t,
      invoke: async (event, options) => {
        clock += 61_000;
        return t.invoke(event, options);
      },
    };

    // Act
    const ended = await invoker.invoke(slow, EVENT);

    // Assess
    expect([ended.outcome, ended.attempts, calls.length]).toEqual(['dead-lettered', 1, 1]);
    expect(invoker.deadLetters.map((d) => d.record.requestContext)).toEqual([
      {
        requestId: ended.requestId,
        functionArn: `${t.functionArn}:$LATEST`,
        condition: 'EventAgeExceeded',
        approximateInvokeCount: 1,
      },
    ]);
  });
  it('counts a function that fails to start as a failed attempt, not as a failure of the rule', async () => {
    // Prepare
    const invoker = new AsyncInvoker({ retryDelayMs: () => 0 });
    const broken: AsyncTarget = {
      ...target([]).target,
      invoke: async () => {
        throw new Error('jobs-welcome-email failed at init: Error: Cannot find module');
      },
    };

    // Act
    const ended = await invoker.invoke(broken, EVENT);

    // Assess
    expect([ended.outcome, ended.attempts, ended.errors]).toEqual([
      'dead-lettered',
      3,
      Array(3).fill(
        'Runtime.InitError: jobs-welcome-email failed at init: Error: Cannot find module',
      ),
    ]);
  });
});

describe('asyncTargetOf', () => {
  const lambda = { invoke: async () => OK };
  const arn = 'arn:aws:lambda:eu-west-1:000000000000:function:slipway-local-worker';

  it("takes the manifest's async settings and the function's dead-letter queue", () => {
    const manifest = {
      name: 'worker',
      triggers: [{ type: 'event' }],
      async: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 600 },
    } as unknown as LambdaManifest;

    const t = asyncTargetOf(lambda, manifest, 'slipway-local-worker', arn);

    expect([t.queue, t.config]).toEqual([
      'slipway-local-worker-dlq',
      { maximumRetryAttempts: 1, maximumEventAgeSeconds: 600 },
    ]);
  });

  it('refuses a function nothing invokes asynchronously, saying so', () => {
    const manifest = { name: 'worker', triggers: [] } as unknown as LambdaManifest;

    expect(() => asyncTargetOf(lambda, manifest, 'slipway-local-worker', arn)).toThrow(
      'worker has no event or schedule trigger, so nothing invokes it asynchronously: invoke it directly.',
    );
  });
});

describe('describeDeadLetters', () => {
  it('prints one line per record with the queue, the event, the attempts and the reason', async () => {
    // Prepare
    const invoker = new AsyncInvoker({ retryDelayMs: () => 0 });
    const { target: t } = target([FAILED, FAILED, FAILED]);
    const event = { ...EVENT, source: 'slipway.sessions' };

    // Act
    await invoker.invoke(t, event);

    // Assess
    expect(describeDeadLetters(invoker.deadLetters)).toBe(
      "Functions' dead-letter queues:\n  slipway-local-worker-dlq: slipway.sessions SessionConfirmed evt-1 after 3 attempts (RetriesExhausted): Error: boom",
    );
    expect(describeDeadLetters([])).toBe("Functions' dead-letter queues: empty");
  });
});
