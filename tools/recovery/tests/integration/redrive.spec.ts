import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { startSandbox, type Sandbox } from '@slipway/sandbox';
import { formatRedriveTable, QueueNotFoundError, redrive, SandboxRecoveryBackend } from '../../src';

// redrive on the real sandbox: the welcome-email worker (packaged zip, rule from its manifest,
// Lambda's asynchronous invocation with the manifest's 2 retries, local SES) fails two events
// into its dead-letter queue: one because SES is down (the cause goes away), one poison event
// (it still fails). One sandbox for the file; the cases run in order on the same queue.

const root = resolve(__dirname, '../../../..');
const ENTRY = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/events/session-confirmed.entry.json'), 'utf8'),
) as { EventBusName: string; Source: string; DetailType: string; Detail: Detail };
type Detail = {
  bookingId: string;
  learner: Record<string, string>;
  session: Record<string, string>;
};
const FUNCTION = 'slipway-local-jobs-welcome-email';
const QUEUE = `${FUNCTION}-dlq`;
const POISON_REASON =
  'Invalid SessionConfirmed event: detail.session.startsAt: Invalid ISO datetime';

let workDir: string;
let sandbox: Sandbox;
let backend: SandboxRecoveryBackend;
let client: EventBridgeClient;
/** The event ids of the SES-down booking and of the poison one. */
let sesDown: string;
let poison: string;

/** Puts the fixture's booking under `bookingId` (optionally changed), waits for the worker; its event id. */
async function publish(bookingId: string, change: (d: Detail) => void = () => undefined) {
  const detail = structuredClone(ENTRY.Detail);
  detail.bookingId = bookingId;
  change(detail);
  const answer = await client.send(
    new PutEventsCommand({ Entries: [{ ...ENTRY, Detail: JSON.stringify(detail) }] }),
  );
  await sandbox.idle();
  return answer.Entries![0]!.EventId!;
}
const letterOf = (eventId: string) =>
  sandbox.deadLetters.find((d) => (d.record.requestPayload as { id: string }).id === eventId)!;
const requestIdOf = (eventId: string) => letterOf(eventId).record.requestContext.requestId;
const bookingsMailed = () => sandbox.email!.ses.mailbox().map((m) => m.tags.booking);
const invocationsOf = (eventId: string) =>
  sandbox.asyncInvocations
    .filter((i) => i.eventId === eventId)
    .map(({ outcome, attempts, result }) => ({ outcome, attempts, result }));

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'recovery-redrive-'));
  sandbox = await startSandbox({ root, workDir, asyncRetryDelayMs: () => 0 });
  backend = new SandboxRecoveryBackend(sandbox, { root, retryDelayMs: () => 0 });
  client = new EventBridgeClient({
    endpoint: sandbox.busEndpoint.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' },
  });
  // SES answers 500 to the 3 attempts × the SDK's 3 requests of the first booking.
  sandbox.email!.ses.fail(
    Array(9).fill({ status: 500, code: 'InternalFailure', message: 'An internal error occurred.' }),
  );
  sesDown = await publish('bk_ses_down');
  poison = await publish('bk_poison', (d) => void (d.session.startsAt = 'next Tuesday at six'));
});

afterAll(async () => {
  client?.destroy();
  await sandbox?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('redrive on the sandbox', () => {
  it('starts from a dead-letter queue holding both failed events and no email', () => {
    expect(sandbox.deadLetters.map((d) => [d.queue, d.record.responsePayload.errorType])).toEqual([
      [QUEUE, 'InternalFailure'],
      [QUEUE, 'EventParseError'],
    ]);
    expect(bookingsMailed()).toEqual([]);
  });

  it('--dry-run lists both records as they would be sent and changes nothing', async () => {
    // Prepare
    const letters = structuredClone(sandbox.deadLetters);
    const invocations = sandbox.asyncInvocations.length;

    // Act
    const report = await redrive(backend, { queue: QUEUE, dryRun: true });

    // Assess
    expect(report).toEqual({
      queue: QUEUE,
      dryRun: true,
      rows: [
        {
          messageId: requestIdOf(sesDown),
          functionName: FUNCTION,
          requestId: requestIdOf(sesDown),
          outcome: 'would redrive',
        },
        {
          messageId: requestIdOf(poison),
          functionName: FUNCTION,
          requestId: requestIdOf(poison),
          outcome: 'would redrive',
        },
      ],
      redriven: 2,
      kept: 0,
    });
    expect(sandbox.deadLetters).toEqual(letters);
    expect(sandbox.asyncInvocations).toHaveLength(invocations);
    expect(bookingsMailed()).toEqual([]);
  });

  it('re-sends the same events once SES is back: the fixed one is mailed and deleted, the poison one stays with its reason', async () => {
    // Prepare: the nine faults were used up by the first booking; SES answers again.
    const kept = structuredClone(letterOf(poison));
    const [sesId, poisonId] = [requestIdOf(sesDown), requestIdOf(poison)];

    // Act
    const report = await redrive(backend, { queue: QUEUE });

    // Assess
    const reason = `re-send failed: still failing after 3 attempts: EventParseError: ${POISON_REASON}`;
    expect(formatRedriveTable(report)).toBe(
      [
        `MESSAGE ID${' '.repeat(28)}FUNCTION${' '.repeat(26)}REQUEST ID${' '.repeat(28)}OUTCOME`,
        `${sesId}  ${FUNCTION}  ${sesId}  redriven`,
        `${poisonId}  ${FUNCTION}  ${poisonId}  kept: ${reason}`,
        `1 redriven, 1 kept (${QUEUE})`,
      ].join('\n'),
    );
    // Only the poison event's original record is left, untouched (no second record of it).
    expect(sandbox.deadLetters).toEqual([kept]);
    // The target ran with the same event: same id, the booking mailed once.
    expect(bookingsMailed()).toEqual(['bk_ses_down']);
    const messageId = sandbox.email!.ses.mailbox()[0]!.messageId;
    expect(invocationsOf(sesDown)).toEqual([
      { outcome: 'dead-lettered', attempts: 3, result: undefined },
      {
        outcome: 'succeeded',
        attempts: 1,
        result: { outcome: 'SENT', eventId: sesDown, messageId },
      },
    ]);
    expect(invocationsOf(poison)).toEqual([
      { outcome: 'dead-lettered', attempts: 3, result: undefined },
      { outcome: 'dead-lettered', attempts: 3, result: undefined },
    ]);
  });

  it('keeps a still-failing event on every redrive, and --limit 1 handles only it', async () => {
    // Act
    const report = await redrive(backend, { queue: QUEUE, limit: 1 });

    // Assess
    expect(report.rows.map((r) => [r.requestId, r.outcome])).toEqual([
      [requestIdOf(poison), 'kept'],
    ]);
    expect(sandbox.deadLetters.map((d) => d.record.requestContext.requestId)).toEqual([
      requestIdOf(poison),
    ]);
  });

  it('says a queue of no sandbox function does not exist', async () => {
    // Act
    const act = redrive(backend, { queue: 'slipway-local-jobs-nope-dlq' });

    // Assess
    await expect(act).rejects.toThrow(QueueNotFoundError);
    await expect(act).rejects.toThrow('no queue slipway-local-jobs-nope-dlq in the sandbox.');
  });
});
