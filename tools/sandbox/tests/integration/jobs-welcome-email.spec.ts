import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { runWelcomeEmailDemo, welcomeEmailDemoProblems } from '../../src/jobs-demo';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { SesFault } from '../../src/ses';

// The welcome-email worker on the local cloud (issue 14): a real PutEvents with the EventBridge
// client to the sandbox's bus endpoint, the rule from the manifest's event trigger, Lambda's
// asynchronous invocation (the manifest's `async`: 2 retries, no waits here), the packaged zip,
// Powertools Idempotency on the local DynamoDB table and the local SES writing .eml files.
// One sandbox for the file; each case publishes its own booking, so each has its own event id.

const root = resolve(__dirname, '../../../..');
const ENTRY = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/jobs/session-confirmed.entry.json'), 'utf8'),
) as { EventBusName: string; Source: string; DetailType: string; Detail: Detail };
type Detail = {
  bookingId: string;
  learner: Record<string, string>;
  session: Record<string, string>;
};
const FUNCTION = 'slipway-local-jobs-welcome-email';
const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:000000000000:function:${FUNCTION}`;
const TEMPLATE = 'slipway-local-welcome';
/** The text part of the welcome template, rendered for the fixture's learner (fr-FR, Paris). */
const WELCOME_TEXT =
  'Hi Ada Lovelace,\n\nYour place in "Portrait lighting, live" is confirmed. It starts mardi 8 décembre 2026 à 18:00 UTC+1.\n\nJoin here when it begins: https://live.slipway.example/s/ses_2026_12_08_portrait\n\nSee you there,\nThe Slipway team\n';

let workDir: string;
let sandbox: Sandbox;
let client: EventBridgeClient;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'jobs-'));
  sandbox = await startSandbox({ root, workDir, asyncRetryDelayMs: () => 0 });
  client = new EventBridgeClient({
    endpoint: sandbox.busEndpoint.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' },
  });
});

afterAll(async () => {
  client?.destroy();
  await sandbox?.stop();
  await rm(workDir, { recursive: true, force: true });
});

/** The fixture's booking under another id (a new event), optionally with one field changed. */
function booking(bookingId: string, change: (detail: Detail) => void = () => undefined): Detail {
  const detail = structuredClone(ENTRY.Detail);
  detail.bookingId = bookingId;
  change(detail);
  return detail;
}

/** Puts `detail` as SessionConfirmed on the platform bus, waits for the worker; the event id. */
async function publish(detail: Detail): Promise<string> {
  const answer = await client.send(
    new PutEventsCommand({ Entries: [{ ...ENTRY, Detail: JSON.stringify(detail) }] }),
  );
  expect(answer.FailedEntryCount).toBe(0);
  await sandbox.idle();
  return answer.Entries![0].EventId!;
}

const mailbox = () => sandbox.email!.ses.mailbox();
const emlFiles = () => readdirSync(sandbox.email!.mailDir).filter((f) => f.endsWith('.eml'));
const invocationsOf = (eventId: string) =>
  sandbox.asyncInvocations
    .filter((i) => i.eventId === eventId)
    .map(({ outcome, attempts, errors, result }) => ({ outcome, attempts, errors, result }));
const deadLettersOf = (eventId: string) =>
  sandbox.deadLetters.filter((d) => (d.record.requestPayload as { id: string }).id === eventId);
/** The envelope the rule delivers for `detail` with `id` (what the DLQ record must hold intact). */
const envelope = (id: string, detail: Detail) => ({
  version: '0',
  id,
  'detail-type': 'SessionConfirmed',
  source: 'slipway.sessions',
  account: '000000000000',
  time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
  region: 'eu-west-1',
  resources: [],
  detail,
});
/** The record Lambda sends the function's dead-letter queue after `attempts` failed attempts. */
const record = (
  id: string,
  detail: Detail,
  attempts: number,
  errorType: string,
  errorMessage: string,
) => ({
  functionName: FUNCTION,
  queue: `${FUNCTION}-dlq`,
  record: {
    version: '1.0',
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    requestContext: {
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      functionArn: `${FUNCTION_ARN}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: attempts,
    },
    requestPayload: envelope(id, detail),
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType, errorMessage, trace: expect.any(Array) },
  },
});

describe('jobs-welcome-email on the local bus, SES and DynamoDB', () => {
  it('sends one welcome email for a SessionConfirmed: sender, learner, subject and text in her zone and language', async () => {
    // Prepare
    const before = mailbox().length;
    const files = emlFiles().length;

    // Act
    const id = await publish(booking('bk_happy'));

    // Assess
    const sent = mailbox().slice(before);
    expect(sent).toHaveLength(1);
    expect(emlFiles()).toHaveLength(files + 1);
    const [email] = sent;
    expect(email).toMatchObject({
      from: 'Slipway <hello@slipway.local>',
      to: ['ada@learners.example'],
      cc: [],
      subject: "You're booked: Portrait lighting, live",
      text: WELCOME_TEXT,
      template: {
        name: TEMPLATE,
        data: {
          name: 'Ada Lovelace',
          sessionTitle: 'Portrait lighting, live',
          startsAt: 'mardi 8 décembre 2026 à 18:00 UTC+1',
          joinUrl: 'https://live.slipway.example/s/ses_2026_12_08_portrait',
        },
      },
      tags: { email: 'welcome', booking: 'bk_happy', session: 'ses_2026_12_08_portrait' },
    });
    expect(email.file).toBe(join(sandbox.email!.mailDir, `${email.messageId}.eml`));
    const headers = readFileSync(email.file, 'utf8').split('\r\n\r\n')[0].split('\r\n');
    expect(headers).toEqual(
      expect.arrayContaining([
        'From: Slipway <hello@slipway.local>',
        'To: ada@learners.example',
        "Subject: You're booked: Portrait lighting, live",
      ]),
    );
    expect(invocationsOf(id)).toEqual([
      {
        outcome: 'succeeded',
        attempts: 1,
        errors: [],
        result: { outcome: 'SENT', eventId: id, messageId: email.messageId },
      },
    ]);
    expect(
      sandbox.bus.routed
        .filter((r) => r.eventId === id)
        .map((r) => [r.rule, r.target, r.outcome, r.attempts]),
    ).toEqual([[`${FUNCTION}-1`, `lambda:${FUNCTION}`, 'delivered', 1]]);
  });

  it('sends once for an event delivered twice (same id): the second invocation is a DUPLICATE', async () => {
    // Prepare
    const before = mailbox().length;
    const detail = booking('bk_redelivered');
    const first = await publish(detail);

    // Act: EventBridge delivers at least once; the same event (same id) reaches the rule again.
    sandbox.bus.redeliver(first);
    await sandbox.idle();

    // Assess
    const sent = mailbox().slice(before);
    expect(sent.map((e) => e.tags.booking)).toEqual(['bk_redelivered']);
    expect(invocationsOf(first)).toEqual([
      {
        outcome: 'succeeded',
        attempts: 1,
        errors: [],
        result: { outcome: 'SENT', eventId: first, messageId: sent[0].messageId },
      },
      {
        outcome: 'succeeded',
        attempts: 1,
        errors: [],
        result: { outcome: 'DUPLICATE', eventId: first, messageId: sent[0].messageId },
      },
    ]);
  });

  it('dead-letters a poison event with the original event and the reason naming the field, after the configured 3 attempts, sending nothing', async () => {
    // Prepare: the valid fixture with one field broken.
    const before = mailbox().length;
    const poison = booking('bk_poison', (d) => {
      d.session.startsAt = 'next Tuesday at six';
    });
    const reason = 'Invalid SessionConfirmed event: detail.session.startsAt: Invalid ISO datetime';

    // Act
    const id = await publish(poison);

    // Assess
    expect(mailbox().slice(before)).toEqual([]);
    expect(deadLettersOf(id)).toEqual([record(id, poison, 3, 'EventParseError', reason)]);
    expect(invocationsOf(id)).toEqual([
      {
        outcome: 'dead-lettered',
        attempts: 3,
        errors: Array(3).fill(`EventParseError: ${reason}`),
        result: undefined,
      },
    ]);
    // EventBridge handed the event to Lambda: its own dead-letter queue holds nothing.
    expect(sandbox.bus.deadLetters.filter((d) => d.event.id === id)).toEqual([]);
  });

  it('retries an invocation SES throttled (past the SDK’s own 3 attempts) and sends one email', async () => {
    // Prepare: the first invocation's three SendEmail requests are throttled.
    const before = mailbox().length;
    const throttle: SesFault = {
      status: 429,
      code: 'TooManyRequestsException',
      message: 'Maximum sending rate exceeded.',
    };
    sandbox.email!.ses.fail([throttle, throttle, throttle]);

    // Act
    const id = await publish(booking('bk_throttled'));

    // Assess
    const sent = mailbox().slice(before);
    expect(sent.map((e) => e.tags.booking)).toEqual(['bk_throttled']);
    expect(invocationsOf(id)).toEqual([
      {
        outcome: 'succeeded',
        attempts: 2,
        errors: ['TooManyRequestsException: Maximum sending rate exceeded.'],
        result: { outcome: 'SENT', eventId: id, messageId: sent[0].messageId },
      },
    ]);
    expect(deadLettersOf(id)).toEqual([]);
  });

  it('dead-letters a permanent rejection (MessageRejected) as PermanentEmailError after the configured attempts only', async () => {
    // Prepare: SES rejects the message on every request (the SDK does not retry a 400).
    const before = mailbox().length;
    const rejected: SesFault = {
      status: 400,
      code: 'MessageRejected',
      message: 'Email address is not verified.',
    };
    sandbox.email!.ses.fail([rejected, rejected, rejected]);
    const detail = booking('bk_rejected');
    const reason = `SES refused the welcome email of booking bk_rejected (MessageRejected: Email address is not verified.); retrying cannot help: check the sender identity, the template ${TEMPLATE} and the account's sending status.`;

    // Act
    const id = await publish(detail);
    // The three faults were the three attempts: the next booking is sent at its first attempt.
    const next = await publish(booking('bk_after_rejected'));

    // Assess
    expect(
      mailbox()
        .slice(before)
        .map((e) => e.tags.booking),
    ).toEqual(['bk_after_rejected']);
    expect(deadLettersOf(id)).toEqual([record(id, detail, 3, 'PermanentEmailError', reason)]);
    expect(invocationsOf(id).map((i) => [i.outcome, i.attempts, i.errors])).toEqual([
      ['dead-lettered', 3, Array(3).fill(`PermanentEmailError: ${reason}`)],
    ]);
    expect(invocationsOf(next).map((i) => [i.outcome, i.attempts])).toEqual([['succeeded', 1]]);
  });

  it('dead-letters an event the worker fails on every attempt (SES down) with the original event intact', async () => {
    // Prepare: 3 attempts × the SDK's 3 requests each, all answered 500.
    const before = mailbox().length;
    const fault: SesFault = {
      status: 500,
      code: 'InternalFailure',
      message: 'An internal error occurred.',
    };
    sandbox.email!.ses.fail(Array(9).fill(fault));
    const detail = booking('bk_ses_down');

    // Act
    const id = await publish(detail);
    const next = await publish(booking('bk_after_ses_down'));

    // Assess
    expect(
      mailbox()
        .slice(before)
        .map((e) => e.tags.booking),
    ).toEqual(['bk_after_ses_down']);
    expect(deadLettersOf(id)).toEqual([
      record(id, detail, 3, 'InternalFailure', 'An internal error occurred.'),
    ]);
    expect(invocationsOf(id).map((i) => [i.outcome, i.attempts, i.errors])).toEqual([
      ['dead-lettered', 3, Array(3).fill('InternalFailure: An internal error occurred.')],
    ]);
    expect(invocationsOf(next).map((i) => [i.outcome, i.attempts])).toEqual([['succeeded', 1]]);
  });

  it("logs every delivery by ids only: no learner's address in the function's log", () => {
    // Act
    const lines = readFileSync(join(workDir, 'logs/jobs-welcome-email.log'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

    // Assess: the log holds the cases above (so the scan read them), and no address.
    const outcomes = lines
      .filter((l) => l.message === 'Welcome email')
      .map((l) => [l.bookingId, l.outcome]);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        ['bk_happy', 'SENT'],
        ['bk_redelivered', 'DUPLICATE'],
      ]),
    );
    expect(lines.filter((l) => l.message === 'Handler failed').length).toBe(3 + 1 + 3 + 3);
    expect(lines.filter((l) => JSON.stringify(l).includes('@learners.example'))).toEqual([]);
  });

  it("npm start's welcome-email demo: one email for the demo booking, the poison event in the DLQ", async () => {
    // Act
    const result = await runWelcomeEmailDemo(sandbox);

    // Assess
    expect(welcomeEmailDemoProblems(result)).toEqual([]);
    expect(result).toEqual({
      emails: [
        {
          file: expect.stringMatching(new RegExp(`^${sandbox.email!.mailDir}/[0-9a-f-]+\\.eml$`)),
          from: 'Slipway <hello@slipway.local>',
          to: ['grace@learners.example'],
          subject: "You're booked: Colour grading, live",
        },
      ],
      poison: {
        eventId: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        deadLettered: true,
        attempts: 3,
        errorType: 'EventParseError',
        reason: 'Invalid SessionConfirmed event: detail.session.startsAt: Invalid ISO datetime',
        emails: 0,
      },
    });
    expect(mailbox().find((m) => m.tags.booking === 'bk_demo_0001')?.text).toContain(
      'It starts Tuesday, 8 December 2026 at 17:00 GMT.',
    );
  });
});
