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
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        busName: 'slipway-local-platform',
        source: 'slipway.edge',
        detailType: 'PaymentSucceeded',
        detail: { stripeEventId: 'evt_1', amount: 4900 },
      },
      {
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        busName: 'slipway-local-platform',
        source: 'slipway.edge',
        detailType: 'PaymentSucceeded',
        detail: { stripeEventId: 'evt_2', amount: 100 },
      },
    ]);
    expect(bus.events[0].id).not.toBe(bus.events[1].id);
  });

  it("gives an identical entry the id the flows' putEvents Task would (same recording)", async () => {
    const [fromTask] = new LocalEventBus().put([
      { ...VALID, Detail: JSON.parse(VALID.Detail as string) as object },
    ] as never).Entries;

    const answer = await client.send(new PutEventsCommand({ Entries: [VALID] }));

    expect(answer.Entries).toEqual([{ EventId: fromTask.EventId }]);
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

  it('names the one operation it serves for any other', async () => {
    await expect(client.send(new ListRulesCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message:
        "The sandbox's EventBridge serves only AWSEvents.PutEvents (got AWSEvents.ListRules): publish with PutEventsCommand.",
    });
  });
});
