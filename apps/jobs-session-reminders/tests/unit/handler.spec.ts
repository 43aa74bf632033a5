import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { EventParseError } from '@slipway/events';
import { JobsConfigurationError } from '@slipway/jobs';

// The deployed wiring with the AWS clients mocked: the schedule's input as Scheduler sends it
// (tests/events/scheduler/hourly.json), the index read page by page, PutEvents per case.

const ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test-secret-key',
  BUS_PLATFORM: 'slipway-dev-platform',
  TABLE_SESSIONS: 'slipway-dev-sessions',
};
const RUN = JSON.parse(
  readFileSync(join(__dirname, '../events/scheduler/hourly.json'), 'utf8'),
) as Record<string, unknown>;
const context = {
  awsRequestId: 'req-1',
  functionName: 'slipway-dev-jobs-session-reminders',
  getRemainingTimeInMillis: () => 60_000,
} as Context;

/** 23 sessions of the 09:00 hour, one a minute. */
const SESSIONS = Array.from({ length: 23 }, (_, i) => {
  const startsAt = `2026-12-02T09:${String(i).padStart(2, '0')}:00.000Z`;
  return {
    sessionId: `ses-${String(i + 1).padStart(2, '0')}`,
    startHour: '2026-12-02T09',
    startsAt,
    title: `Session ${i + 1}`,
  };
});
const idOf = (s: (typeof SESSIONS)[number]) => `${s.sessionId}@${s.startsAt}`;

const ddb = mockClient(DynamoDBDocumentClient);
const eb = mockClient(EventBridgeClient);
const putCalls = () =>
  eb
    .commandCalls(PutEventsCommand)
    .map((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!).reminderId as string));

type Handler = (typeof import('../../src/handler'))['handler'];
let handler: Handler;

describe('jobs-session-reminders handler', () => {
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, ENV);
    ({ handler } = await import('../../src/handler'));
  });
  afterAll(() => {
    process.env = saved;
  });
  beforeEach(() => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    ddb.reset();
    eb.reset();
    // The index answers in three pages: 10, 10, 3.
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: SESSIONS.slice(0, 10), LastEvaluatedKey: { sessionId: 'ses-10' } })
      .resolvesOnce({ Items: SESSIONS.slice(10, 20), LastEvaluatedKey: { sessionId: 'ses-20' } })
      .resolves({ Items: SESSIONS.slice(20) });
    ddb.on(UpdateCommand).resolves({});
    eb.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `eb-${i}` })),
    }));
  });
  afterEach(() => jest.restoreAllMocks());

  it('publishes the 23 sessions of the hour in PutEvents calls of 10, 10 and 3', async () => {
    // Act
    const outcome = await handler(RUN, context);

    // Assess
    expect(putCalls()).toEqual([
      SESSIONS.slice(0, 10).map(idOf),
      SESSIONS.slice(10, 20).map(idOf),
      SESSIONS.slice(20).map(idOf),
    ]);
    expect(
      ddb
        .commandCalls(QueryCommand)
        .map((c) => [
          c.args[0].input.TableName,
          c.args[0].input.IndexName,
          c.args[0].input.ExpressionAttributeValues,
          c.args[0].input.ExclusiveStartKey,
        ]),
    ).toEqual([
      [
        'slipway-dev-sessions',
        'by-start-hour',
        { ':hour': '2026-12-02T09', ':startsAt': '2026-12-02T09:00:00.000Z' },
        undefined,
      ],
      [
        'slipway-dev-sessions',
        'by-start-hour',
        { ':hour': '2026-12-02T09', ':startsAt': '2026-12-02T09:00:00.000Z' },
        { sessionId: 'ses-10' },
      ],
      [
        'slipway-dev-sessions',
        'by-start-hour',
        { ':hour': '2026-12-02T09', ':startsAt': '2026-12-02T09:00:00.000Z' },
        { sessionId: 'ses-20' },
      ],
    ]);
    expect(eb.commandCalls(PutEventsCommand)[0].args[0].input.Entries![0]).toEqual({
      EventBusName: 'slipway-dev-platform',
      Source: 'slipway.jobs',
      DetailType: 'SendSessionReminder',
      Detail: JSON.stringify({
        reminderId: 'ses-01@2026-12-02T09:00:00.000Z',
        sessionId: 'ses-01',
        title: 'Session 1',
        startsAt: '2026-12-02T09:00:00.000Z',
        scheduledTime: '2026-12-02T09:00:00Z',
      }),
    });
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key)).toEqual(
      SESSIONS.map((s) => ({ sessionId: s.sessionId })),
    );
    expect(outcome).toMatchObject({ found: 23, published: SESSIONS.map(idOf), retriedEntries: 0 });
  });

  it('sends again only the entries PutEvents reported failed', async () => {
    // Prepare: the first call fails its 4th entry
    eb.on(PutEventsCommand)
      .callsFakeOnce((input: { Entries: PutEventsRequestEntry[] }) => ({
        FailedEntryCount: 1,
        Entries: input.Entries.map((_, i) =>
          i === 3
            ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }
            : { EventId: `eb-${i}` },
        ),
      }))
      .callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({
        FailedEntryCount: 0,
        Entries: input.Entries.map((_, i) => ({ EventId: `eb-${i}` })),
      }));

    // Act
    const outcome = await handler(RUN, context);

    // Assess
    expect(putCalls()).toEqual([
      SESSIONS.slice(0, 10).map(idOf),
      [idOf(SESSIONS[3])],
      SESSIONS.slice(10, 20).map(idOf),
      SESSIONS.slice(20).map(idOf),
    ]);
    expect(outcome).toMatchObject({ found: 23, retriedEntries: 1 });
  });

  it('refuses an input whose placeholder Scheduler did not fill, naming the field', async () => {
    // Prepare: the manifest's input as written, before Scheduler replaces the context attribute
    const raw = { scheduledTime: '<aws.scheduler.scheduled-time>' };

    // Act
    const failure = await handler(raw, context).catch((e: unknown) => e);

    // Assess
    expect(failure).toEqual(
      new EventParseError('hourly schedule input', ['scheduledTime: Invalid ISO datetime']),
    );
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('fails at the first run naming the missing variable', async () => {
    // Prepare: a fresh execution environment without the table's variable
    delete process.env.TABLE_SESSIONS;
    let fresh: Handler | undefined;
    jest.isolateModules(() => {
      fresh = jest.requireActual<typeof import('../../src/handler')>('../../src/handler').handler;
    });

    // Act
    const failure = await fresh!(RUN, context).catch((e: unknown) => e);
    process.env.TABLE_SESSIONS = ENV.TABLE_SESSIONS;

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe(JobsConfigurationError.name);
    expect((failure as Error).message).toBe(
      'TABLE_SESSIONS is missing: it is set from the manifest\'s "read table:sessions" permission; add the permission or set the variable.',
    );
  });
});
