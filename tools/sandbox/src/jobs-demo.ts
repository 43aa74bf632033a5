/**
 * Events and jobs on the local cloud, as `npm start` shows them (issue 14): a `SessionConfirmed`
 * published with the real EventBridge client to the sandbox's bus endpoint reaches the packaged
 * welcome-email worker through its rule and leaves one email in the local mailbox; a poison
 * `SessionConfirmed` (a start that is no date) sends nothing and ends, after Lambda's retries, in
 * the function's dead-letter queue with the reason. Dev-only.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Sandbox } from './sandbox';

/** The booking the demo confirms (a learner in London, English). */
export const WELCOME_DEMO_DETAIL = {
  sessionId: 'ses_demo_2026_12_08',
  bookingId: 'bk_demo_0001',
  learner: {
    userId: 'user-demo-0001',
    email: 'grace@learners.example',
    name: 'Grace Hopper',
    locale: 'en-GB',
  },
  session: {
    title: 'Colour grading, live',
    startsAt: '2026-12-08T17:00:00Z',
    timeZone: 'Europe/London',
    joinUrl: 'https://live.slipway.example/s/ses_demo_2026_12_08',
  },
};

/** What one demo run saw, for the summary and the tests. */
export interface WelcomeEmailDemoResult {
  /** The emails sent for the demo booking (1 expected). */
  emails: { file: string; from: string; to: string[]; subject: string }[];
  /** The poison event's fate: its DLQ record, and the emails sent for it (0 expected). */
  poison: {
    eventId: string;
    deadLettered: boolean;
    attempts?: number;
    errorType?: string;
    reason?: string;
    emails: number;
  };
}

/** What {@link welcomeEmailDemoProblems} expects. */
export const WELCOME_DEMO_EXPECTED = {
  emails: 1,
  subject: "You're booked: Colour grading, live",
  to: 'grace@learners.example',
  poisonAttempts: 3,
  poisonErrorType: 'EventParseError',
} as const;

/**
 * Runs the demo on a started sandbox (which must hold the welcome-email worker).
 *
 * @throws {Error} when the sandbox has no local SES (no manifest sends email).
 */
export async function runWelcomeEmailDemo(sandbox: Sandbox): Promise<WelcomeEmailDemoResult> {
  if (!sandbox.email)
    throw new Error('runWelcomeEmailDemo needs a sandbox whose manifests send email.');
  const ses = sandbox.email.ses;
  const client = new EventBridgeClient({
    endpoint: sandbox.busEndpoint.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' },
  });
  const publish = async (detail: unknown): Promise<string> => {
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'slipway-local-platform',
            Source: 'slipway.sessions',
            DetailType: 'SessionConfirmed',
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    await sandbox.idle();
    return answer.Entries?.[0]?.EventId ?? '';
  };
  try {
    await publish(WELCOME_DEMO_DETAIL);
    const poisonDetail = {
      ...WELCOME_DEMO_DETAIL,
      bookingId: 'bk_demo_poison',
      session: { ...WELCOME_DEMO_DETAIL.session, startsAt: 'next Tuesday at five' },
    };
    const poisonId = await publish(poisonDetail);
    const mail = ses.mailbox();
    const letter = sandbox.deadLetters.find(
      (d) => (d.record.requestPayload as { id?: string }).id === poisonId,
    );
    return {
      emails: mail
        .filter((m) => m.tags.booking === WELCOME_DEMO_DETAIL.bookingId)
        .map(({ file, from, to, subject }) => ({ file, from, to, subject })),
      poison: {
        eventId: poisonId,
        deadLettered: letter !== undefined,
        ...(letter
          ? {
              attempts: letter.record.requestContext.approximateInvokeCount,
              errorType: letter.record.responsePayload.errorType,
              reason: letter.record.responsePayload.errorMessage,
            }
          : {}),
        emails: mail.filter((m) => m.tags.booking === poisonDetail.bookingId).length,
      },
    };
  } finally {
    client.destroy();
  }
}

/**
 * Every way `r` differs from {@link WELCOME_DEMO_EXPECTED}, one sentence each; empty when the
 * welcome email works end to end. `npm start` fails when this is not empty.
 */
export function welcomeEmailDemoProblems(r: WelcomeEmailDemoResult): string[] {
  const e = WELCOME_DEMO_EXPECTED;
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => ok || problems.push(problem);
  const log = 'see dist/sandbox/logs/jobs-welcome-email.log';
  check(
    r.emails.length === e.emails,
    `${r.emails.length} welcome emails for the confirmed booking, expected ${e.emails}: ${log}.`,
  );
  const [email] = r.emails;
  if (email) {
    check(
      email.subject === e.subject,
      `The welcome email's subject is "${email.subject}", expected "${e.subject}": check libs/jobs/emails/welcome.json.`,
    );
    check(
      email.to.length === 1 && email.to[0] === e.to,
      `The welcome email went to ${email.to.join(', ') || 'nobody'}, expected ${e.to} alone.`,
    );
  }
  check(
    r.poison.deadLettered &&
      r.poison.attempts === e.poisonAttempts &&
      r.poison.errorType === e.poisonErrorType,
    `The poison SessionConfirmed ${r.poison.deadLettered ? `was dead-lettered after ${r.poison.attempts} attempts with ${r.poison.errorType}` : 'is not in the function dead-letter queue'}, expected there after ${e.poisonAttempts} attempts with ${e.poisonErrorType}: ${log}.`,
  );
  check(
    r.poison.emails === 0,
    `${r.poison.emails} emails for the poison SessionConfirmed, expected none.`,
  );
  return problems;
}

/** The demo's result as the lines `npm start` prints. */
export function describeWelcomeEmailDemo(r: WelcomeEmailDemoResult): string {
  const lines = r.emails.map(
    (m) => `SessionConfirmed → welcome email to ${m.to.join(', ')}: "${m.subject}"\n  ${m.file}`,
  );
  if (!lines.length) lines.push('SessionConfirmed → no welcome email');
  lines.push(
    r.poison.deadLettered
      ? `poison SessionConfirmed → no email; in the function's dead-letter queue after ${r.poison.attempts} attempts: ${r.poison.errorType}: ${r.poison.reason}`
      : `poison SessionConfirmed → not in the function's dead-letter queue (${r.poison.emails} emails)`,
  );
  return lines.join('\n');
}
