import {
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { LocalEventBus, startEventBusEndpoint, type EventBusEndpoint } from '../../src/event-bus';

// The sandbox's PutEvents endpoint with the real EventBridge client over loopback: what a
// Lambda's SDK call (the webhook's PaymentSucceeded) does locally.
let bus: LocalEventBus;
let endpoint: EventBusEndpoint;
let client: EventBridgeClient;

beforeAll(async () => {
  bus = new LocalEventBus();
  endpoint = await startEventBusEndpoint(bus);
  client = new EventBridgeClient({
    endpoint: endpoint.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await endpoint?.close();
});

beforeEach(() => bus.events.splice(0));

const VALID: PutEventsRequestEntry = {
  EventBusName: 'slipway-local-platform',
  Source: 'slipway.edge',
  DetailType: 'PaymentSucceeded',
  Detail: JSON.stringify({ stripeEventId: 'evt_1', amount: 4900 }),
};

describe('AWSEvents.PutEvents on the local bus', () => {
  it('puts every entry on the bus in order, a bus ARN named by its name, with the ids it answers', async () => {
    // Prepare
    const second = {
      ...VALID,
      EventBusName: 'arn:aws:events:eu-west-1:000000000000:event-bus/slipway-local-platform',
      Detail: JSON.stringify({ stripeEventId: 'evt_2', amount: 100 }),
    };

    // Act
    const answer = await client.send(new PutEventsCommand({ Entries: [VALID, second] }));

    // Assess
    expect(answer.FailedEntryCount).toBe(0);
    expect(answer.Entries).toEqual(bus.events.map((e) => ({ EventId: e.id })));
    expect(bus.events.map(({ time: _time, ...e }) => e)).toEqual([
      {
        id: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        busName: 'slipway-local-platform',
        source: 'slipway.edge',
        detailType: 'PaymentSucceeded',
        detail: { stripeEventId: 'evt_1', amount: 4900 },
      },
      {
        id: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        busName: 'slipway-local-platform',
        source: 'slipway.edge',
        detailType: 'PaymentSucceeded',
        detail: { stripeEventId: 'evt_2', amount: 100 },
      },
    ]);
    expect(bus.events[0].id).not.toBe(bus.events[1].id);
  });

  it('gives every entry a new id, identical ones too, as EventBridge does', async () => {
    const answer = await client.send(new PutEventsCommand({ Entries: [VALID, VALID] }));

    const ids = answer.Entries!.map((e) => e.EventId!);
    expect(ids).toEqual(bus.events.map((e) => e.id));
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[1]).not.toBe(ids[0]);
  });

  it.each([
    [
      'a Detail that is not a JSON object',
      { Detail: '[1, 2]' },
      {
        ErrorCode: 'MalformedDetail',
        ErrorMessage: 'Detail is malformed: send a JSON object as a string.',
      },
    ],
    [
      'a Detail that is not JSON',
      { Detail: '{oops' },
      {
        ErrorCode: 'MalformedDetail',
        ErrorMessage: 'Detail is malformed: send a JSON object as a string.',
      },
    ],
    [
      'no DetailType',
      { DetailType: undefined },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid: set it on every entry.',
      },
    ],
    [
      'no Source',
      { Source: '' },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid: set it on every entry.',
      },
    ],
  ])('reports %s in its slot and still puts the good entry', async (_case, broken, error) => {
    // Prepare: a valid entry cloned, one field broken.
    const bad = { ...VALID, ...broken };

    const answer = await client.send(new PutEventsCommand({ Entries: [bad, VALID] }));

    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries).toEqual([error, { EventId: bus.events[0].id }]);
    expect(bus.events.map((e) => e.detail)).toEqual([{ stripeEventId: 'evt_1', amount: 4900 }]);
  });

  it('refuses more than 10 entries as EventBridge does, putting none', async () => {
    const entries = Array.from({ length: 11 }, () => VALID);

    await expect(client.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Entries must hold 1 to 10 entries (got 11): send at most 10 per call.',
    });
    expect(bus.events).toEqual([]);
  });

  it("keeps the caller's X-Amzn-Trace-Id on the events it puts, an entry's TraceHeader first", async () => {
    // Prepare: the header the X-Ray SDK adds to a captured client's request.
    const header = 'Root=1-6b110000-0123456789abcdef01234567;Parent=dddddddddddddddd;Sampled=1';
    const own = 'Root=1-6b110000-fedcba9876543210fedcba98;Parent=eeeeeeeeeeeeeeee;Sampled=1';
    const command = new PutEventsCommand({ Entries: [VALID, { ...VALID, TraceHeader: own }] });
    command.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['X-Amzn-Trace-Id'] = header;
        return next(args);
      },
      { step: 'build' },
    );

    // Act
    await client.send(command);

    // Assess
    expect(bus.events.map((e) => e.trace)).toEqual([
      { traceId: '1-6b110000-0123456789abcdef01234567', parentId: 'dddddddddddddddd' },
      { traceId: '1-6b110000-fedcba9876543210fedcba98', parentId: 'eeeeeeeeeeeeeeee' },
    ]);
  });

  it('names the one operation it serves for any other', async () => {
    await expect(client.send(new ListRulesCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message:
        "The sandbox's EventBridge serves only AWSEvents.PutEvents (got AWSEvents.ListRules): publish with PutEventsCommand.",
    });
  });
});

describe('rules on the local bus', () => {
  const PAYMENT = { stripeEventId: 'evt_rule', amount: 4900, currency: 'eur' };
  const put = (
    detail: object,
    busName = 'slipway-local-platform',
    detailType = 'PaymentSucceeded',
  ) =>
    client.send(
      new PutEventsCommand({
        Entries: [
          {
            ...VALID,
            EventBusName: busName,
            DetailType: detailType,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
  const received: Record<string, unknown[]> = { big: [], eur: [], flaky: [], broken: [] };
  let flakyFailures = 1;

  beforeAll(() => {
    bus.addRule({
      name: 'big-payments',
      busName: 'slipway-local-platform',
      pattern: {
        'detail-type': ['PaymentSucceeded'],
        detail: { amount: [{ numeric: ['>=', 1000] }] },
      },
      target: 'lambda:big',
      deliver: async (event) => void received.big.push(event),
    });
    bus.addRule({
      name: 'eur-payments',
      busName: 'slipway-local-platform',
      pattern: { detail: { currency: [{ 'equals-ignore-case': 'EUR' }] } },
      target: 'lambda:eur',
      deliver: async (event) => void received.eur.push(event.detail),
    });
    bus.addRule({
      name: 'flaky',
      busName: 'slipway-local-platform',
      pattern: { detail: { stripeEventId: [{ prefix: 'evt_flaky' }] } },
      target: 'lambda:flaky',
      deliver: async (event) => {
        if (flakyFailures-- > 0) throw new Error('Task timed out after 3.00 seconds');
        received.flaky.push(event.id);
      },
    });
    bus.addRule({
      name: 'broken',
      busName: 'slipway-local-platform',
      pattern: { detail: { stripeEventId: ['evt_poison'] } },
      target: 'lambda:broken',
      attempts: 3,
      deliver: async () => {
        received.broken.push('tried');
        throw new Error('ZodError: detail.amount: expected number');
      },
    });
  });

  beforeEach(() => {
    bus.routed.splice(0);
    bus.deadLetters.splice(0);
  });

  it('delivers an event to every rule whose pattern matches, with the envelope EventBridge sends', async () => {
    // Act
    const answer = await put(PAYMENT);
    await bus.idle();

    // Assess
    const id = answer.Entries![0].EventId;
    expect(received.big).toEqual([
      {
        version: '0',
        id,
        'detail-type': 'PaymentSucceeded',
        source: 'slipway.edge',
        account: '000000000000',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        region: 'eu-west-1',
        resources: [],
        detail: PAYMENT,
      },
    ]);
    expect(bus.routed.map((r) => [r.rule, r.outcome, r.attempts]).sort()).toEqual([
      ['big-payments', 'delivered', 1],
      ['eur-payments', 'delivered', 1],
    ]);
  });

  it('redelivers an event to its rules with the same envelope and id, putting nothing new', async () => {
    // Prepare
    const answer = await put({ ...PAYMENT, amount: 5 });
    await bus.idle();
    const id = answer.Entries![0].EventId!;
    const eurBefore = received.eur.length;
    const putBefore = bus.events.length;

    // Act: EventBridge delivers at least once
    bus.redeliver(id);
    await bus.idle();

    // Assess
    expect(received.eur.slice(eurBefore)).toEqual([{ ...PAYMENT, amount: 5 }]);
    expect(bus.routed.map((r) => [r.eventId, r.rule])).toEqual([
      [id, 'eur-payments'],
      [id, 'eur-payments'],
    ]);
    expect(bus.events).toHaveLength(putBefore);
    expect(() => bus.redeliver('no-such-id')).toThrow(
      'No event no-such-id was put on the local bus: redeliver the EventId a PutEvents answered.',
    );
  });

  it('routes by pattern and bus: a small payment reaches only the currency rule, another bus none', async () => {
    // Act
    await put({ ...PAYMENT, amount: 999, currency: 'Eur' });
    await put(PAYMENT, 'slipway-local-other');
    await bus.idle();

    // Assess
    expect(bus.routed.map((r) => [r.rule, r.target, r.detailType, r.outcome])).toEqual([
      ['eur-payments', 'lambda:eur', 'PaymentSucceeded', 'delivered'],
    ]);
  });

  it('retries a failed delivery and records the attempts it took', async () => {
    // Act
    await put({ ...PAYMENT, stripeEventId: 'evt_flaky_1', amount: 1, currency: 'usd' });
    await bus.idle();

    // Assess
    expect(bus.routed).toEqual([
      {
        eventId: received.flaky[0],
        source: 'slipway.edge',
        detailType: 'PaymentSucceeded',
        rule: 'flaky',
        target: 'lambda:flaky',
        outcome: 'delivered',
        attempts: 2,
      },
    ]);
  });

  it('dead-letters an event its target fails on every attempt, with the reason and the event intact', async () => {
    // Act
    const poison = { stripeEventId: 'evt_poison', amount: 'lots', currency: 'usd' };
    await put(poison);
    await bus.idle();

    // Assess
    expect(received.broken).toEqual(['tried', 'tried', 'tried']);
    expect(bus.deadLetters.map((d) => [d.rule, d.reason, d.event.detail])).toEqual([
      ['broken', 'ZodError: detail.amount: expected number', poison],
    ]);
    expect(bus.routed.map((r) => [r.rule, r.outcome, r.attempts, r.error])).toEqual([
      ['broken', 'dead-lettered', 3, 'ZodError: detail.amount: expected number'],
    ]);
  });
});

describe('faults injected into PutEvents', () => {
  afterEach(() => endpoint.setFaults(undefined));

  it('fails the chosen entries of a request while putting the others, as a partial failure does', async () => {
    // Prepare: the second of three entries of the first request fails
    const seen: number[][] = [];
    endpoint.setFaults(({ number, entries }) => {
      seen.push([number, entries.length]);
      return number === 1
        ? { failEntries: { 1: { ErrorCode: 'InternalFailure', ErrorMessage: 'Injected' } } }
        : undefined;
    });
    const entry = (id: string) => ({ ...VALID, Detail: JSON.stringify({ stripeEventId: id }) });

    // Act
    const first = await client.send(
      new PutEventsCommand({ Entries: [entry('a'), entry('b'), entry('c')] }),
    );
    const again = await client.send(new PutEventsCommand({ Entries: [entry('b')] }));

    // Assess
    expect(first.FailedEntryCount).toBe(1);
    expect(first.Entries![1]).toEqual({ ErrorCode: 'InternalFailure', ErrorMessage: 'Injected' });
    expect(again.FailedEntryCount).toBe(0);
    expect(bus.events.map((e) => (e.detail as { stripeEventId: string }).stripeEventId)).toEqual([
      'a',
      'c',
      'b',
    ]);
    expect(seen).toEqual([
      [1, 3],
      [2, 1],
    ]);
  });

  it('fails a whole request with the chosen status and error, putting nothing', async () => {
    endpoint.setFaults(() => ({
      status: 500,
      errorType: 'InternalException',
      message: 'Injected outage',
    }));

    const failure = await client
      .send(new PutEventsCommand({ Entries: [VALID] }))
      .catch((e: unknown) => e);

    expect(failure).toMatchObject({
      name: 'InternalException',
      message: 'Injected outage',
      $metadata: { httpStatusCode: 500 },
    });
    expect(bus.events).toEqual([]);
  });
});
