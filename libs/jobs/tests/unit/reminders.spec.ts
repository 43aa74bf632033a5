import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type SessionItem, SessionReminderScheduleInputSchema } from '@slipway/events';
import { TABLES } from '@slipway/manifest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  backoffDelayMs,
  chunk,
  JobsConfigurationError,
  REMINDER_PUT_ATTEMPTS,
  ReminderPublishError,
  reminderEntry,
  reminderWindow,
  sendSessionReminders,
  SESSIONS_BY_START_HOUR_INDEX,
  sessionRemindersConfigFromEnv,
  type SessionRemindersDependencies,
} from '../../src';

// The sessions table is a small in-memory fake behind the mocked DocumentClient: Query applies
// the index's key condition (hash = hour, one bound on startsAt) and pages 4 items at a time,
// Update applies the job's mark under its condition. PutEvents is mocked per case.

const fixture = (file: string) =>
  JSON.parse(readFileSync(join(__dirname, '../events', file), 'utf8')) as Record<string, unknown>;
const SESSION = fixture('session-item.json') as SessionItem;
const RUN = SessionReminderScheduleInputSchema.parse(fixture('scheduled-run.json'));
const CONFIG = { busName: 'slipway-dev-platform', tableName: 'slipway-dev-sessions' };
const PAGE_SIZE = 4;

/** A copy of the fixture session starting at `startsAt`, id `ses-<n>`. */
const session = (n: number, startsAt: string, extra: Partial<SessionItem> = {}): SessionItem => ({
  ...SESSION,
  sessionId: `ses-${String(n).padStart(2, '0')}`,
  startsAt,
  startHour: startsAt.slice(0, 13),
  ...extra,
});
/** `count` sessions from 09:00 on, one a minute. */
const sessionsAtNine = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    session(i + 1, `2026-12-02T09:${String(i).padStart(2, '0')}:00.000Z`),
  );
const idOf = (s: SessionItem) => `${s.sessionId}@${s.startsAt}`;

const ddb = mockClient(DynamoDBDocumentClient);
const eb = mockClient(EventBridgeClient);
let table: Map<string, Record<string, unknown>>;
let metrics: [string, string, number][];
let sleeps: number[];

function seed(items: Record<string, unknown>[]) {
  table = new Map(items.map((i) => [String(i.sessionId), structuredClone(i)]));
}

function fakeTable() {
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const values = input.ExpressionAttributeValues!;
    const op = / (>=|<) :startsAt$/.exec(input.KeyConditionExpression!)![1];
    const bound = values[':startsAt'] as string;
    const matching = [...table.values()]
      .filter((i) => i.startHour === values[':hour'])
      .filter((i) => (op === '>=' ? String(i.startsAt) >= bound : String(i.startsAt) < bound))
      .sort((a, b) => String(a.startsAt).localeCompare(String(b.startsAt)));
    const from = input.ExclusiveStartKey
      ? matching.findIndex((i) => i.sessionId === input.ExclusiveStartKey!.sessionId) + 1
      : 0;
    const page = matching.slice(from, from + PAGE_SIZE);
    return {
      Items: structuredClone(page),
      ...(from + PAGE_SIZE < matching.length
        ? { LastEvaluatedKey: { sessionId: page.at(-1)!.sessionId } }
        : {}),
    };
  });
  ddb.on(UpdateCommand).callsFake((input: UpdateCommandInput) => {
    const values = input.ExpressionAttributeValues!;
    const item = table.get(String(input.Key!.sessionId));
    if (!item || item.startsAt !== values[':startsAt'])
      throw Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
      });
    item.reminderId = values[':reminderId'];
    item.remindedAt = values[':remindedAt'];
    return {};
  });
}

/** PutEvents answering from `answer(entries, call)`; every entry succeeds by default. */
function putEvents(
  answer: (entries: PutEventsRequestEntry[], call: number) => PutEventsResultEntry[] = (e) =>
    e.map((_, i) => ({ EventId: `eb-${i}` })),
) {
  let call = 0;
  eb.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
    const entries = answer(input.Entries, ++call);
    return { Entries: entries, FailedEntryCount: entries.filter((e) => e.ErrorCode).length };
  });
}

const putCalls = () =>
  eb
    .commandCalls(PutEventsCommand)
    .map((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!).reminderId as string));

const deps = (): SessionRemindersDependencies => ({
  dynamoDb: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
  config: CONFIG,
  metrics: { addMetric: (name, unit, value) => void metrics.push([name, unit, value]) },
  sleep: async (ms) => void sleeps.push(ms),
  random: () => 0.5,
  now: () => new Date('2026-12-02T09:00:03.000Z'),
});

beforeEach(() => {
  ddb.reset();
  eb.reset();
  metrics = [];
  sleeps = [];
  seed([]);
  fakeTable();
  putEvents();
});

describe('reminderWindow', () => {
  it.each([
    [
      'on the hour: one partition',
      '2026-12-02T09:00:00Z',
      [{ startHour: '2026-12-02T09', bound: { op: '>=', startsAt: '2026-12-02T09:00:00.000Z' } }],
    ],
    [
      'off the hour: this hour from t, the next up to t + 1 h',
      '2026-12-02T09:30:00Z',
      [
        { startHour: '2026-12-02T09', bound: { op: '>=', startsAt: '2026-12-02T09:30:00.000Z' } },
        { startHour: '2026-12-02T10', bound: { op: '<', startsAt: '2026-12-02T10:30:00.000Z' } },
      ],
    ],
    [
      'an offset: the UTC hours',
      '2026-12-02T23:45:00+01:00',
      [
        { startHour: '2026-12-02T22', bound: { op: '>=', startsAt: '2026-12-02T22:45:00.000Z' } },
        { startHour: '2026-12-02T23', bound: { op: '<', startsAt: '2026-12-02T23:45:00.000Z' } },
      ],
    ],
    [
      'across midnight',
      '2026-12-31T23:00:00.500Z',
      [
        { startHour: '2026-12-31T23', bound: { op: '>=', startsAt: '2026-12-31T23:00:00.500Z' } },
        { startHour: '2027-01-01T00', bound: { op: '<', startsAt: '2027-01-01T00:00:00.500Z' } },
      ],
    ],
  ])('%s', (_, scheduledTime, queries) => {
    expect(reminderWindow(scheduledTime).queries).toEqual(queries);
  });
});

describe('pure parts', () => {
  it('builds the entry of a reminder on the bus, with the deterministic reminder id', () => {
    expect(
      reminderEntry(
        {
          reminderId: idOf(SESSION),
          sessionId: SESSION.sessionId,
          title: SESSION.title,
          startsAt: SESSION.startsAt,
          scheduledTime: RUN.scheduledTime,
        },
        CONFIG.busName,
      ),
    ).toEqual({
      EventBusName: 'slipway-dev-platform',
      Source: 'slipway.jobs',
      DetailType: 'SendSessionReminder',
      Detail:
        '{"reminderId":"ses_2026_12_02_lighting@2026-12-02T09:15:00.000Z","sessionId":"ses_2026_12_02_lighting","title":"Studio lighting, live","startsAt":"2026-12-02T09:15:00.000Z","scheduledTime":"2026-12-02T09:00:00Z"}',
    });
  });

  it('chunks 23 into 10, 10, 3', () => {
    expect(
      chunk(
        Array.from({ length: 23 }, (_, i) => i),
        10,
      ).map((c) => c.length),
    ).toEqual([10, 10, 3]);
  });

  it.each([
    [1, 0.5, 50],
    [2, 0.5, 100],
    [3, 0.99, 396],
    [6, 0.5, 1000],
    [9, 0, 0],
  ])('waits before retry %i with random %f: %i ms (full jitter, capped at 2 s)', (r, x, ms) => {
    expect(backoffDelayMs(r, () => x)).toBe(ms);
  });

  it('names the index the sessions table declares', () => {
    const sessions = TABLES.find((t) => t.name === 'sessions');
    expect(sessions?.globalSecondaryIndexes?.map((i) => [i.name, i.hashKey, i.rangeKey])).toEqual([
      [SESSIONS_BY_START_HOUR_INDEX, 'startHour', 'startsAt'],
    ]);
  });

  it('names the missing variable and the permission that sets it', () => {
    expect(() => sessionRemindersConfigFromEnv({ BUS_PLATFORM: 'b' })).toThrow(
      new JobsConfigurationError(
        'TABLE_SESSIONS is missing: it is set from the manifest\'s "read table:sessions" permission; add the permission or set the variable.',
      ),
    );
    expect(sessionRemindersConfigFromEnv({ BUS_PLATFORM: 'bus', TABLE_SESSIONS: 'table' })).toEqual(
      { busName: 'bus', tableName: 'table' },
    );
  });
});

describe('sendSessionReminders', () => {
  it('publishes 23 sessions in calls of 10, 10 and 3, over every page, and marks each', async () => {
    // Prepare: 23 in the hour, one at 10:00 (next run's), one at 08:59 (last run's)
    const due = sessionsAtNine(23);
    seed([
      ...due,
      session(90, '2026-12-02T10:00:00.000Z'),
      session(91, '2026-12-02T08:59:59.999Z'),
    ]);

    // Act
    const outcome = await sendSessionReminders(RUN, deps());

    // Assess
    expect(putCalls()).toEqual([
      due.slice(0, 10).map(idOf),
      due.slice(10, 20).map(idOf),
      due.slice(20).map(idOf),
    ]);
    const [first] = eb.commandCalls(PutEventsCommand)[0].args[0].input.Entries!;
    expect(first).toMatchObject({
      EventBusName: 'slipway-dev-platform',
      Source: 'slipway.jobs',
      DetailType: 'SendSessionReminder',
    });
    // 23 items on 6 pages of 4 (the last one short): every page read, ExclusiveStartKey chained.
    expect(
      ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExclusiveStartKey?.sessionId),
    ).toEqual([undefined, 'ses-04', 'ses-08', 'ses-12', 'ses-16', 'ses-20']);
    expect(ddb.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({
      TableName: 'slipway-dev-sessions',
      IndexName: 'by-start-hour',
    });
    expect(outcome).toEqual({
      window: { from: '2026-12-02T09:00:00.000Z', to: '2026-12-02T10:00:00.000Z' },
      found: 23,
      published: due.map(idOf),
      skipped: [],
      invalid: [],
      retriedEntries: 0,
    });
    expect(due.map((s) => table.get(s.sessionId)!.reminderId)).toEqual(due.map(idOf));
    expect(table.get('ses-01')!.remindedAt).toBe('2026-12-02T09:00:03.000Z');
    expect(table.get('ses-90')!.reminderId).toBeUndefined();
    expect(metrics).toEqual([
      ['SessionsFound', 'Count', 23],
      ['RemindersPublished', 'Count', 23],
      ['RemindersSkipped', 'Count', 0],
      ['ReminderEntriesRetried', 'Count', 0],
      ['InvalidSessions', 'Count', 0],
    ]);
  });

  it('reads both hour partitions of a window off the hour', async () => {
    // Prepare
    seed([
      session(1, '2026-12-02T09:29:59.999Z'),
      session(2, '2026-12-02T09:30:00.000Z'),
      session(3, '2026-12-02T10:29:59.999Z'),
      session(4, '2026-12-02T10:30:00.000Z'),
    ]);

    // Act
    const outcome = await sendSessionReminders({ scheduledTime: '2026-12-02T09:30:00Z' }, deps());

    // Assess
    expect(outcome.published).toEqual([
      'ses-02@2026-12-02T09:30:00.000Z',
      'ses-03@2026-12-02T10:29:59.999Z',
    ]);
  });

  it('sends again only the entries PutEvents failed, after a jittered backoff', async () => {
    // Prepare: the 3rd and 6th entries of the first call fail once
    const due = sessionsAtNine(12);
    seed(due);
    putEvents((entries, call) =>
      entries.map((_, i) =>
        call === 1 && (i === 2 || i === 5)
          ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal error' }
          : { EventId: `eb-${call}-${i}` },
      ),
    );

    // Act
    const outcome = await sendSessionReminders(RUN, deps());

    // Assess
    expect(putCalls()).toEqual([
      due.slice(0, 10).map(idOf),
      [idOf(due[2]), idOf(due[5])],
      due.slice(10).map(idOf),
    ]);
    expect(sleeps).toEqual([50]);
    expect(outcome.retriedEntries).toBe(2);
    expect([...outcome.published].sort()).toEqual(due.map(idOf));
    expect(due.every((s) => table.get(s.sessionId)!.reminderId === idOf(s))).toBe(true);
    expect(metrics).toContainEqual(['ReminderEntriesRetried', 'Count', 2]);
  });

  it('gives up on an entry after its tries, publishes and marks the rest, and names it', async () => {
    // Prepare: ses-02 is throttled on every try
    const due = sessionsAtNine(3);
    seed(due);
    putEvents((entries) =>
      entries.map((e, i) =>
        JSON.parse(e.Detail!).sessionId === 'ses-02'
          ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }
          : { EventId: `eb-${i}` },
      ),
    );

    // Act
    const failure = await sendSessionReminders(RUN, deps()).catch((e: unknown) => e);

    // Assess
    expect(failure).toEqual(
      new ReminderPublishError(
        '1 reminder(s) of the run at 2026-12-02T09:00:00Z were not published on slipway-dev-platform: ses-02@2026-12-02T09:01:00.000Z (ThrottlingException: Rate exceeded). The 2 published are marked: running the hour again sends only these.',
        [],
      ),
    );
    expect((failure as ReminderPublishError).failed).toEqual([
      {
        reminderId: 'ses-02@2026-12-02T09:01:00.000Z',
        errorCode: 'ThrottlingException',
        errorMessage: 'Rate exceeded',
      },
    ]);
    expect(putCalls()).toHaveLength(REMINDER_PUT_ATTEMPTS);
    expect(sleeps).toEqual([50, 100, 200]);
    expect(due.map((s) => table.get(s.sessionId)!.reminderId)).toEqual([
      idOf(due[0]),
      undefined,
      idOf(due[2]),
    ]);
  });

  it('does not retry an entry EventBridge refuses for good', async () => {
    seed(sessionsAtNine(2));
    putEvents((entries) =>
      entries.map((_, i) =>
        i === 0
          ? { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }
          : { EventId: 'eb-1' },
      ),
    );

    const failure = (await sendSessionReminders(RUN, deps()).catch(
      (e: unknown) => e,
    )) as ReminderPublishError;

    expect(failure.failed.map((f) => [f.reminderId, f.errorCode])).toEqual([
      ['ses-01@2026-12-02T09:00:00.000Z', 'MalformedDetail'],
    ]);
    expect(putCalls()).toHaveLength(1);
  });

  it('stops when a call fails as a whole; the re-run sends only what was not sent', async () => {
    // Prepare: the second PutEvents call of the first run fails after the SDK's retries
    const due = sessionsAtNine(23);
    seed(due);
    const unavailable = Object.assign(new Error('Service unavailable'), {
      name: 'ServiceUnavailable',
    });
    putEvents((entries, call) => {
      if (call === 2) throw unavailable;
      return entries.map((_, i) => ({ EventId: `eb-${call}-${i}` }));
    });

    // Act
    const failure = (await sendSessionReminders(RUN, deps()).catch(
      (e: unknown) => e,
    )) as ReminderPublishError;
    const rerun = await sendSessionReminders(RUN, deps());

    // Assess
    expect(failure).toBeInstanceOf(ReminderPublishError);
    expect(failure.message).toBe(
      'PutEvents failed as a whole on slipway-dev-platform (ServiceUnavailable: Service unavailable) after 10 reminder(s) of the run at 2026-12-02T09:00:00Z were published and marked; the run stops here. Run the hour again (Lambda retries it) once EventBridge answers: only the reminders not marked are sent.',
    );
    expect(failure.cause).toBe(unavailable);
    expect(failure.failed.map((f) => f.errorCode)).toEqual([
      ...Array(10).fill('ServiceUnavailable'),
      ...Array(3).fill('NotAttempted'),
    ]);
    expect(rerun.skipped).toEqual(due.slice(0, 10).map(idOf));
    expect(rerun.published).toEqual(due.slice(10).map(idOf));
    // Every reminder went out exactly once over both runs (the failed call put nothing).
    const sent = putCalls()
      .filter((_, i) => i !== 1)
      .flat();
    expect(sent).toEqual(due.map(idOf));
  });

  it('leaves out an item that breaks the table contract and counts it', async () => {
    // Prepare: the fixture, its startHour not the hour of its start
    seed([
      { ...SESSION, sessionId: 'ses-bad', startsAt: '2026-12-02T09:10:00+01:00' },
      session(1, '2026-12-02T09:20:00.000Z'),
    ]);
    const warnings: unknown[][] = [];

    // Act
    const outcome = await sendSessionReminders(RUN, {
      ...deps(),
      logger: { warn: (...a: unknown[]) => void warnings.push(a), info: () => undefined },
    });

    // Assess
    expect(outcome).toMatchObject({
      found: 1,
      invalid: ['ses-bad'],
      published: ['ses-01@2026-12-02T09:20:00.000Z'],
    });
    expect(warnings).toEqual([
      [
        'Session item left out: it does not match the sessions table contract',
        {
          sessionId: 'ses-bad',
          issues: [
            'startsAt: must be a UTC instant as toISOString writes it, e.g. "2026-12-02T09:30:00.000Z"',
          ],
        },
      ],
    ]);
    expect(metrics).toContainEqual(['InvalidSessions', 'Count', 1]);
  });

  it('does not mark a session that moved after the Query', async () => {
    seed([session(1, '2026-12-02T09:20:00.000Z')]);
    putEvents((entries) => {
      table.get('ses-01')!.startsAt = '2026-12-02T11:00:00.000Z';
      return entries.map(() => ({ EventId: 'eb-1' }));
    });

    const outcome = await sendSessionReminders(RUN, deps());

    expect(outcome.published).toEqual(['ses-01@2026-12-02T09:20:00.000Z']);
    expect(table.get('ses-01')!.reminderId).toBeUndefined();
  });
});
