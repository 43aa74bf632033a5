import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { EventParseError } from '@slipway/events';
import { createObservability, instrumentHandler } from '../../src';

const context = {
  functionName: 'slipway-dev-demo',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-demo',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 1000,
} as unknown as Context;

const Input = z.object({ id: z.string(), n: z.number() });

/** Collects every JSON line Powertools writes (logs and EMF metrics). */
function captureStdout(): { lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(chunk.toString());
      return true;
    });
  }
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l)),
  };
}

describe('instrumentHandler', () => {
  // Lambda sets this for on-demand functions; Powertools reports cold starts only then.
  beforeEach(() => {
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  });
  afterEach(() => {
    delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  });

  it('parses input, adds context and correlation id, and emits the cold start metric once', async () => {
    const out = captureStdout();
    const obs = createObservability({ name: 'demo', domain: 'media' });
    const handler = instrumentHandler(
      obs,
      { input: Input, source: 'demo input' },
      async (event, { obs }) => {
        obs.logger.info('working', { n: event.n });
        return event.n * 2;
      },
    );

    const first = await handler({ id: 'evt-1', n: 2 }, context);
    const second = await handler({ id: 'evt-2', n: 3 }, context);

    expect([first, second]).toEqual([4, 6]);
    const logs = out.lines().filter((l) => l.message === 'working');
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({
      level: 'INFO',
      service: 'demo',
      domain: 'media',
      correlation_id: 'evt-1',
      function_request_id: 'req-1',
      cold_start: true,
    });
    expect(logs[1]).toMatchObject({ correlation_id: 'evt-2', cold_start: false });
    const coldStarts = out.lines().filter((l) => 'ColdStart' in l);
    expect(coldStarts).toHaveLength(1);
    expect(coldStarts[0]._aws).toMatchObject({
      CloudWatchMetrics: [{ Namespace: 'Slipway/media' }],
    });
  });

  it('logs a failure exactly once with its context and re-throws it', async () => {
    const out = captureStdout();
    const obs = createObservability({ name: 'demo', domain: 'media' });
    const handler = instrumentHandler(obs, { input: Input, source: 'demo input' }, async () => {
      throw new Error('disk on fire');
    });

    await expect(handler({ id: 'evt-9', n: 1 }, context)).rejects.toThrow('disk on fire');

    const errors = out.lines().filter((l) => l.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      message: 'Handler failed',
      correlation_id: 'evt-9',
      error: { name: 'Error', message: 'disk on fire' },
    });
  });

  it('rejects an event that breaks the schema with a named error, before the business code runs', async () => {
    captureStdout();
    const obs = createObservability({ name: 'demo', domain: 'media' });
    const business = jest.fn();
    const handler = instrumentHandler(obs, { input: Input, source: 'demo input' }, business);

    const failure = handler({ id: 'evt-3', n: 'two' }, context);

    await expect(failure).rejects.toBeInstanceOf(EventParseError);
    await expect(failure).rejects.toThrow(
      'Invalid demo input: n: Invalid input: expected number, received string',
    );
    expect(business).not.toHaveBeenCalled();
  });

  it('takes the correlation id from the raw event even when the schema strips it', async () => {
    const out = captureStdout();
    const obs = createObservability({ name: 'demo', domain: 'media' });
    const handler = instrumentHandler(
      obs,
      { input: z.object({ n: z.number() }), source: 'demo input' },
      async (event, { obs }) => obs.logger.info('stripped', { keys: Object.keys(event) }),
    );

    await handler({ n: 1, correlationId: 'exec-42' }, context);

    expect(out.lines().find((l) => l.message === 'stripped')).toMatchObject({
      correlation_id: 'exec-42',
      keys: ['n'],
    });
  });

  it('falls back to the Lambda request id as correlation id', async () => {
    const out = captureStdout();
    const obs = createObservability({ name: 'demo', domain: 'media' });
    const handler = instrumentHandler(
      obs,
      { input: z.object({ n: z.number() }), source: 'demo input' },
      async (_e, { obs }) => obs.logger.info('x'),
    );

    await handler({ n: 1 }, context);

    expect(out.lines().find((l) => l.message === 'x')).toMatchObject({ correlation_id: 'req-1' });
  });
});
