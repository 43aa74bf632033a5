import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEnvelope } from '../../src/event-bus';
import { fireSchedule } from '../../src/fire';
import { sessionItem, seedSessions } from '../../src/sample-sessions';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import {
  runSessionRemindersDemo,
  sessionRemindersDemoProblems,
} from '../../src/session-reminders-demo';

// The hourly reminder job on the local cloud (issue 14): the schedule from the manifest's
// `schedule` trigger fired with its input's <aws.scheduler.scheduled-time> replaced, Lambda's
// asynchronous invocation (the manifest's `async`: 2 retries, no waits here), the packaged zip,
// the sessions table's by-start-hour index on the local DynamoDB, and PutEvents to the local bus,
// where a rule of this spec catches every SendSessionReminder. Faults come from the bus endpoint.
// One sandbox for the file; each case seeds its own day, so windows never overlap.

const root = resolve(__dirname, '../../../..');
const SCHEDULE = 'slipway-local-jobs-session-reminders-hourly';
const FUNCTION = 'slipway-local-jobs-session-reminders';
const AROUND_0930 = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/jobs/sessions-around-0930.json'), 'utf8'),
) as {
  scheduledAt: string;
  sessions: { sessionId: string; title: string; startsAt: string; due: boolean }[];
};

let workDir: string;
let sandbox: Sandbox;
const caught: EventBridgeEnvelope[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'reminders-'));
  sandbox = await startSandbox({ root, workDir, asyncRetryDelayMs: () => 0 });
  sandbox.bus.addRule({
    name: 'spec-session-reminders',
    busName: 'slipway-local-platform',
    pattern: { source: ['slipway.jobs'], 'detail-type': ['SendSessionReminder'] },
    target: 'spec:caught',
    deliver: async (event) => void caught.push(event),
  });
});

afterAll(async () => {
  await sandbox?.stop();
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  caught.splice(0);
  sandbox.busEndpoint.setFaults(undefined);
});

/** `count` sessions of the hour starting at `hour`, one a minute, ids `<prefix>-01`, …. */
const hourOf = (prefix: string, hour: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    sessionItem(
      `${prefix}-${String(i + 1).padStart(2, '0')}`,
      `Session ${i + 1}`,
      new Date(Date.parse(hour) + i * 60_000),
    ),
  );
const idOf = (s: { sessionId: string; startsAt: string }) => `${s.sessionId}@${s.startsAt}`;
const caughtIds = () => caught.map((e) => (e.detail as { reminderId: string }).reminderId);
/** The reminder ids of the entries of each PutEvents request, recorded by a fault injector. */
const idsOf = (entries: { Detail?: string }[]) =>
  entries.map((e) => (JSON.parse(e.Detail!) as { reminderId: string }).reminderId);
type RunResult = { published: string[]; skipped: string[]; retriedEntries: number };
const resultOf = (firing: { invocation?: { result?: unknown } }) =>
  firing.invocation?.result as RunResult;

describe('the hourly session-reminder schedule', () => {
  it('is the manifest trigger, named as in the stacks', () => {
    expect(
      sandbox.scheduler.schedules
        .filter((s) => s.functionName === FUNCTION)
        .map((s) => [s.name, s.trigger.expression, s.trigger.timezone, s.trigger.input]),
    ).toEqual([
      [SCHEDULE, 'cron(0 * * * ? *)', 'UTC', { scheduledTime: '<aws.scheduler.scheduled-time>' }],
    ]);
    expect(() => sandbox.scheduler.fire('hourly-typo')).toThrow(
      `No schedule named hourly-typo: the manifests declare ${sandbox.scheduler.schedules.map((s) => s.name).join(', ')}. Fire one of those (the full name or without "slipway-local-").`,
    );
  });

  it('reminds of exactly the sessions of [t, t + 1 h), across the hour boundary, once', async () => {
    // Prepare
    await seedSessions(
      sandbox.dynamoDb,
      AROUND_0930.sessions.map((s) => sessionItem(s.sessionId, s.title, new Date(s.startsAt))),
    );
    const due = AROUND_0930.sessions.filter((s) => s.due).map(idOf);

    // Act
    const firing = await sandbox.fire(SCHEDULE, { at: new Date(AROUND_0930.scheduledAt) });
    await sandbox.idle();
    const again = await sandbox.fire('jobs-session-reminders-hourly', {
      at: new Date(AROUND_0930.scheduledAt),
    });
    await sandbox.idle();

    // Assess
    expect(firing).toMatchObject({
      schedule: SCHEDULE,
      functionName: FUNCTION,
      scheduledTime: '2026-12-02T09:30:00Z',
      input: { scheduledTime: '2026-12-02T09:30:00Z' },
      outcome: 'succeeded',
      invocation: { attempts: 1, errors: [] },
    });
    expect(due).toEqual([
      'ses-0930@2026-12-02T09:30:00.000Z',
      'ses-0945@2026-12-02T09:45:00.000Z',
      'ses-1000@2026-12-02T10:00:00.000Z',
      'ses-1029@2026-12-02T10:29:59.999Z',
    ]);
    expect(caughtIds()).toEqual(due);
    expect(caught[1]).toMatchObject({
      source: 'slipway.jobs',
      'detail-type': 'SendSessionReminder',
      detail: {
        reminderId: 'ses-0945@2026-12-02T09:45:00.000Z',
        sessionId: 'ses-0945',
        title: 'Portrait lighting, live',
        startsAt: '2026-12-02T09:45:00.000Z',
        scheduledTime: '2026-12-02T09:30:00Z',
      },
    });
    expect(caught.every((e) => e.source === 'slipway.jobs')).toBe(true);
    expect(caught.every((e) => e['detail-type'] === 'SendSessionReminder')).toBe(true);
    // The second run of the same hour finds the marks and publishes nothing.
    expect(resultOf(again)).toMatchObject({ published: [], skipped: due });
    const table = DynamoDBDocumentClient.from(sandbox.dynamoDb!.client);
    const { Item } = await table.send(
      new GetCommand({
        TableName: sandbox.dynamoDb!.tables.sessions,
        Key: { sessionId: 'ses-0945' },
      }),
    );
    expect(Item?.reminderId).toBe('ses-0945@2026-12-02T09:45:00.000Z');
  });

  it('re-runs a run that died halfway with no reminder sent twice', async () => {
    // Prepare: 23 sessions from 09:00; the bus takes the first PutEvents request, then fails
    // every request (the SDK's own retries included) until the outage ends
    const sessions = hourOf('ses-crash', '2026-12-03T09:00:00.000Z', 23);
    await seedSessions(sandbox.dynamoDb, sessions);
    sandbox.busEndpoint.setFaults(({ number }) =>
      number > 1
        ? { status: 500, errorType: 'InternalException', message: 'Injected outage' }
        : undefined,
    );
    const at = new Date('2026-12-03T09:00:00Z');

    // Act
    const crashed = await sandbox.fire(SCHEDULE, { at });
    await sandbox.idle();
    const sentBeforeRerun = caughtIds();
    sandbox.busEndpoint.setFaults(undefined);
    const rerun = await sandbox.fire(SCHEDULE, { at });
    await sandbox.idle();

    // Assess: the first attempt published one batch; Lambda's two retries sent nothing more
    const unavailable = (published: number) =>
      `ReminderPublishError: PutEvents failed as a whole on slipway-local-platform (InternalException: Injected outage) after ${published} reminder(s) of the run at 2026-12-03T09:00:00Z were published and marked; the run stops here. Run the hour again (Lambda retries it) once EventBridge answers: only the reminders not marked are sent.`;
    expect(crashed).toMatchObject({
      outcome: 'dead-lettered',
      invocation: { attempts: 3, errors: [unavailable(10), unavailable(0), unavailable(0)] },
    });
    const record = sandbox.deadLetters.find((d) => d.functionName === FUNCTION)!.record;
    expect(record.requestPayload).toEqual({ scheduledTime: '2026-12-03T09:00:00Z' });
    expect(record.requestContext).toMatchObject({
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
    expect(record.responsePayload.errorType).toBe('ReminderPublishError');
    expect(sentBeforeRerun).toEqual(sessions.slice(0, 10).map(idOf));
    expect(resultOf(rerun)).toMatchObject({
      published: sessions.slice(10).map(idOf),
      skipped: sessions.slice(0, 10).map(idOf),
    });
    // Every session reminded exactly once over both firings.
    expect(caughtIds()).toEqual(sessions.map(idOf));
  });

  it('re-runs a run whose process was killed after its first batch, sending nothing twice', async () => {
    // Prepare: 23 sessions from 09:00; the function's process dies while its second PutEvents
    // request is in flight (after the first batch was published and marked)
    const sessions = hourOf('ses-killed', '2026-12-07T09:00:00.000Z', 23);
    await seedSessions(sandbox.dynamoDb, sessions);
    sandbox.busEndpoint.setFaults(({ number }) => {
      if (number !== 2) return undefined;
      void sandbox.lambdas.get(FUNCTION)!.stop();
      return { status: 500, errorType: 'InternalException', message: 'Process killed' };
    });

    // Act: Lambda's retry is the re-run
    const firing = await sandbox.fire(SCHEDULE, { at: new Date('2026-12-07T09:00:00Z') });
    await sandbox.idle();

    // Assess
    expect(firing).toMatchObject({ outcome: 'succeeded', invocation: { attempts: 2 } });
    expect(firing.invocation!.errors[0]).toMatch(/^Runtime\.ExitError: /);
    expect(resultOf(firing)).toMatchObject({
      published: sessions.slice(10).map(idOf),
      skipped: sessions.slice(0, 10).map(idOf),
    });
    expect(caughtIds()).toEqual(sessions.map(idOf));
  });

  it('sends again only the entries PutEvents failed', async () => {
    // Prepare: 12 sessions; the first request fails its 3rd and 8th entries
    const sessions = hourOf('ses-partial', '2026-12-04T09:00:00.000Z', 12);
    await seedSessions(sandbox.dynamoDb, sessions);
    const requests: string[][] = [];
    sandbox.busEndpoint.setFaults(({ number, entries }) => {
      requests.push(idsOf(entries));
      const failure = { ErrorCode: 'InternalFailure', ErrorMessage: 'Injected failure' };
      return number === 1 ? { failEntries: { 2: failure, 7: failure } } : undefined;
    });

    // Act
    const firing = await sandbox.fire(SCHEDULE, { at: new Date('2026-12-04T09:00:00Z') });
    await sandbox.idle();

    // Assess
    const ids = sessions.map(idOf);
    expect(requests).toEqual([ids.slice(0, 10), [ids[2], ids[7]], ids.slice(10)]);
    expect(firing).toMatchObject({ outcome: 'succeeded', invocation: { attempts: 1 } });
    expect(resultOf(firing)).toMatchObject({ retriedEntries: 2 });
    expect([...caughtIds()].sort()).toEqual(ids);
    expect(new Set(caughtIds()).size).toBe(12);
  });

  it("runs npm start's demo: the due sample sessions reminded, none other", async () => {
    const result = await runSessionRemindersDemo(sandbox, new Date('2026-12-05T14:20:30.400Z'));

    expect(sessionRemindersDemoProblems(result)).toEqual([]);
    expect(result.reminders.map((r) => [r.reminderId, r.title])).toEqual([
      ['ses-sample-now@2026-12-05T14:20:30.000Z', 'Portrait lighting, live'],
      ['ses-sample-soon@2026-12-05T14:45:30.000Z', 'Colour grading Q&A'],
      ['ses-sample-last@2026-12-05T15:19:30.000Z', 'Editing clinic'],
    ]);
  });

  it('--fire seeds the samples, fires the schedule and tells what the bus got', async () => {
    // Act
    const { text, ok } = await fireSchedule(sandbox, 'jobs-session-reminders-hourly', {
      seed: true,
      at: new Date('2026-12-06T08:00:00Z'),
    });

    // Assess
    expect(ok).toBe(true);
    const lines = text.split('\n');
    expect(lines.slice(0, 10)).toEqual([
      'Seeded 6 sample sessions into slipway-local-sessions:',
      '  ses-sample-started at 2026-12-06T07:55:00.000Z',
      '  ses-sample-now at 2026-12-06T08:00:00.000Z (due within the hour)',
      '  ses-sample-soon at 2026-12-06T08:25:00.000Z (due within the hour)',
      '  ses-sample-last at 2026-12-06T08:59:00.000Z (due within the hour)',
      '  ses-sample-next at 2026-12-06T09:00:00.000Z',
      '  ses-sample-tomorrow at 2026-12-07T08:00:00.000Z',
      `${SCHEDULE} fired for 2026-12-06T08:00:00Z → ${FUNCTION}: succeeded after 1 attempt(s)`,
      '  input: {"scheduledTime":"2026-12-06T08:00:00Z"}',
      '  found 3, published 3, skipped as already sent 0, invalid 0',
    ]);
    expect(lines[10]).toBe('Events put on the bus by the run: 3');
    expect(lines.slice(11, 14).map((l) => l.replace(/\(id [0-9a-f-]{36}\)/, '(id …)'))).toEqual([
      '  slipway-local-platform: SendSessionReminder from slipway.jobs (id …) {"reminderId":"ses-sample-now@2026-12-06T08:00:00.000Z","sessionId":"ses-sample-now","title":"Portrait lighting, live","startsAt":"2026-12-06T08:00:00.000Z","scheduledTime":"2026-12-06T08:00:00Z"}',
      '  slipway-local-platform: SendSessionReminder from slipway.jobs (id …) {"reminderId":"ses-sample-soon@2026-12-06T08:25:00.000Z","sessionId":"ses-sample-soon","title":"Colour grading Q&A","startsAt":"2026-12-06T08:25:00.000Z","scheduledTime":"2026-12-06T08:00:00Z"}',
      '  slipway-local-platform: SendSessionReminder from slipway.jobs (id …) {"reminderId":"ses-sample-last@2026-12-06T08:59:00.000Z","sessionId":"ses-sample-last","title":"Editing clinic","startsAt":"2026-12-06T08:59:00.000Z","scheduledTime":"2026-12-06T08:00:00Z"}',
    ]);
  });
});
