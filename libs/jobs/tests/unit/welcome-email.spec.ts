import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SessionConfirmedEventSchema } from '@slipway/events';
import { mockClient } from 'aws-sdk-client-mock';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test support only: the fake idempotency table the edge's tests use too
import { fakeDynamoDb } from '../../../edge/tests/support/fake-dynamodb';
import {
  dynamoDbIdempotency,
  JobsConfigurationError,
  PermanentEmailError,
  sendWelcomeEmail,
  WELCOME_EMAIL_TTL_SECONDS,
  type WelcomeEmailDependencies,
  welcomeEmailData,
  welcomeEmailRequest,
  welcomeEmailSettingsFromEnv,
} from '../../src';

const EVENT = SessionConfirmedEventSchema.parse(
  JSON.parse(readFileSync(join(__dirname, '../events/session-confirmed.json'), 'utf8')),
);
const CONFIG = { from: 'Slipway <hello@slipway.example>', templateName: 'slipway-dev-welcome' };
const CONTEXT = { getRemainingTimeInMillis: () => 10_000 };
const ses = mockClient(SESv2Client);
let table: ReturnType<typeof fakeDynamoDb>;

/** One execution environment's dependencies over the shared (fake) table. */
const deps = (): WelcomeEmailDependencies => ({
  ses: new SESv2Client({ region: 'eu-west-1' }),
  config: CONFIG,
  idempotency: dynamoDbIdempotency('slipway-dev-jobs-idempotency', table.client),
});

beforeEach(() => {
  table = fakeDynamoDb();
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
});

describe('welcomeEmailData', () => {
  it("writes the start in the learner's time zone and language", () => {
    expect(welcomeEmailData(EVENT.detail)).toEqual({
      name: 'Ada Lovelace',
      sessionTitle: 'Portrait lighting, live',
      startsAt: 'mardi 8 décembre 2026 à 18:00 UTC+1',
      joinUrl: 'https://live.slipway.example/s/ses_2026_12_08_portrait',
    });
    const english = { ...EVENT.detail, learner: { ...EVENT.detail.learner, locale: undefined } };
    expect(welcomeEmailData(english).startsAt).toBe('Tuesday, December 8, 2026 at 6:00 PM GMT+1');
  });
});

describe('welcomeEmailRequest', () => {
  it('sends the stored template to the learner alone, tagged by booking and session', () => {
    expect(welcomeEmailRequest(EVENT.detail, { ...CONFIG, configurationSet: 'delivery' })).toEqual({
      FromEmailAddress: 'Slipway <hello@slipway.example>',
      Destination: { ToAddresses: ['ada@learners.example'] },
      Content: {
        Template: {
          TemplateName: 'slipway-dev-welcome',
          TemplateData: JSON.stringify(welcomeEmailData(EVENT.detail)),
        },
      },
      EmailTags: [
        { Name: 'email', Value: 'welcome' },
        { Name: 'booking', Value: 'bk_0001' },
        { Name: 'session', Value: 'ses_2026_12_08_portrait' },
      ],
      ConfigurationSetName: 'delivery',
    });
  });
});

describe('sendWelcomeEmail', () => {
  it('sends once per event id: a retry, also in another execution environment, sends nothing', async () => {
    // Act
    const first = await sendWelcomeEmail(EVENT, deps(), CONTEXT);
    const retry = await sendWelcomeEmail(EVENT, deps(), CONTEXT);

    // Assess
    expect([first, retry]).toEqual([
      { outcome: 'SENT', eventId: EVENT.id, messageId: 'ses-1' },
      { outcome: 'DUPLICATE', eventId: EVENT.id, messageId: 'ses-1' },
    ]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    const [item] = [...table.items.values()];
    const ttl = Number(item.expiration.N) - Date.now() / 1000;
    expect(Math.abs(ttl - WELCOME_EMAIL_TTL_SECONDS)).toBeLessThan(60);
  });

  it('sends a second email for another event of the same booking (a new id is a new event)', async () => {
    await sendWelcomeEmail(EVENT, deps(), CONTEXT);
    await sendWelcomeEmail({ ...EVENT, id: 'another-event-id' }, deps(), CONTEXT);

    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('turns a permanent SES refusal into PermanentEmailError and lets the next attempt send', async () => {
    // Prepare
    const rejected = Object.assign(new Error('Email address is not verified.'), {
      name: 'MessageRejected',
    });
    ses.on(SendEmailCommand).rejectsOnce(rejected).resolves({ MessageId: 'ses-2' });

    // Act
    const failure = await sendWelcomeEmail(EVENT, deps(), CONTEXT).catch((e: unknown) => e);
    const next = await sendWelcomeEmail(EVENT, deps(), CONTEXT);

    // Assess
    expect(failure).toEqual(
      new PermanentEmailError(
        "SES refused the welcome email of booking bk_0001 (MessageRejected: Email address is not verified.); retrying cannot help: check the sender identity, the template slipway-dev-welcome and the account's sending status.",
      ),
    );
    expect(next.outcome).toBe('SENT');
  });

  it('rethrows a transient SES error as it is, so Lambda retries the event', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'TooManyRequestsException',
    });
    ses.on(SendEmailCommand).rejects(throttled);

    await expect(sendWelcomeEmail(EVENT, deps(), CONTEXT)).rejects.toBe(throttled);
  });
});

describe('welcomeEmailSettingsFromEnv', () => {
  const ENV = {
    EMAIL_FROM: 'Slipway <hello@slipway.example>',
    EMAIL_TEMPLATE_WELCOME: 'slipway-dev-welcome',
    TABLE_JOBS_IDEMPOTENCY: 'slipway-dev-jobs-idempotency',
  };

  it('reads the sender, the template and the idempotency table the manifest gives the function', () => {
    expect(welcomeEmailSettingsFromEnv(ENV)).toEqual({
      email: { from: 'Slipway <hello@slipway.example>', templateName: 'slipway-dev-welcome' },
      idempotencyTable: 'slipway-dev-jobs-idempotency',
    });
  });

  it.each([
    [
      'EMAIL_FROM',
      'EMAIL_FROM is missing: set it to the environment\'s verified sender, e.g. Slipway <hello@example.com> (the stacks derive it from "send email:welcome" and the environment\'s email settings).',
    ],
    [
      'EMAIL_TEMPLATE_WELCOME',
      'EMAIL_TEMPLATE_WELCOME is missing: set it to the SES template name of the welcome email (the stacks derive it from "send email:welcome").',
    ],
    [
      'TABLE_JOBS_IDEMPOTENCY',
      'TABLE_JOBS_IDEMPOTENCY is missing: set it to the jobs idempotency table name (the stacks derive it from "write table:jobs-idempotency").',
    ],
  ])('names %s when it is blank, and what to set', (variable, message) => {
    const env = { ...ENV, [variable]: '  ' };

    expect(() => welcomeEmailSettingsFromEnv(env)).toThrow(new JobsConfigurationError(message));
  });
});
