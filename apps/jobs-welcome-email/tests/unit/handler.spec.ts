import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type * as DynamoDb from '@aws-sdk/client-dynamodb';
import type * as SesV2 from '@aws-sdk/client-sesv2';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test support only: the fake idempotency table the edge's and jobs' tests use
import { fakeDynamoDb } from '../../../../libs/edge/tests/support/fake-dynamodb';

// The wiring: the schema parse, the settings from the manifest's variables, the SES v2 client
// (mocked) and Powertools Idempotency over a fake table. The worker's own rules are pinned in
// libs/jobs; the sandbox's integration spec runs this zip against the local SES and DynamoDB.

const ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test-secret-key',
  EMAIL_FROM: 'Slipway <hello@slipway.example>',
  EMAIL_TEMPLATE_WELCOME: 'slipway-dev-welcome',
  TABLE_JOBS_IDEMPOTENCY: 'slipway-dev-jobs-idempotency',
};
const context = {
  awsRequestId: 'req-1',
  functionName: 'slipway-dev-jobs-welcome-email',
  getRemainingTimeInMillis: () => 10_000,
} as Context;
const EVENT = JSON.parse(
  readFileSync(join(__dirname, '../events/eventbridge/session-confirmed.json'), 'utf8'),
) as { id: string; detail: { learner: Record<string, string> } };

type Handler = (typeof import('../../src/handler'))['handler'];
let ses: AwsClientStub<SesV2.SESv2Client>;
let SendEmail: typeof SesV2.SendEmailCommand;
let output: string[];

/** A fresh execution environment (modules, settings) over a fresh fake table. */
function loadHandler(): Handler {
  jest.resetModules();
  fakeDynamoDb({ sdk: jest.requireActual<typeof DynamoDb>('@aws-sdk/client-dynamodb') });
  const sdk = jest.requireActual<typeof SesV2>('@aws-sdk/client-sesv2');
  SendEmail = sdk.SendEmailCommand;
  ses = mockClient(sdk.SESv2Client);
  ses.on(SendEmail).resolves({ MessageId: 'ses-message-1' });
  return jest.requireActual<typeof import('../../src/handler')>('../../src/handler').handler;
}

describe('jobs-welcome-email handler', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    Object.assign(process.env, ENV);
    output = [];
    // Kept, not printed: the log lines are asserted on.
    const keep = (chunk: unknown) => {
      output.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(keep);
    jest.spyOn(process.stderr, 'write').mockImplementation(keep);
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('sends the stored template to the learner once per event id, logging ids only', async () => {
    // Prepare
    const handler = loadHandler();

    // Act
    const first = await handler(EVENT, context);
    const again = await handler(EVENT, context);

    // Assess
    expect([first, again]).toEqual([
      { outcome: 'SENT', eventId: EVENT.id, messageId: 'ses-message-1' },
      { outcome: 'DUPLICATE', eventId: EVENT.id, messageId: 'ses-message-1' },
    ]);
    const calls = ses.commandCalls(SendEmail);
    expect(calls.map((c) => c.args[0].input)).toEqual([
      {
        FromEmailAddress: 'Slipway <hello@slipway.example>',
        Destination: { ToAddresses: ['ada@learners.example'] },
        Content: {
          Template: {
            TemplateName: 'slipway-dev-welcome',
            TemplateData: JSON.stringify({
              name: 'Ada Lovelace',
              sessionTitle: 'Portrait lighting, live',
              startsAt: 'mardi 8 décembre 2026 à 18:00 UTC+1',
              joinUrl: 'https://live.slipway.example/s/ses_2026_12_08_portrait',
            }),
          },
        },
        EmailTags: [
          { Name: 'email', Value: 'welcome' },
          { Name: 'booking', Value: 'bk_0001' },
          { Name: 'session', Value: 'ses_2026_12_08_portrait' },
        ],
      },
    ]);
    const logged = output.filter((l) => l.includes('"message":"Welcome email"'));
    expect(logged.map((l) => JSON.parse(l).outcome)).toEqual(['SENT', 'DUPLICATE']);
    expect(output.filter((l) => l.includes('ada@learners.example'))).toEqual([]);
  });

  it('throws EventParseError naming the field for a poison event, sending nothing', async () => {
    // Prepare: the valid fixture with one field broken.
    const handler = loadHandler();
    const poison = structuredClone(EVENT);
    poison.detail.learner.email = 'ada-at-learners.example';

    // Act
    const failure = handler(poison, context);

    // Assess
    await expect(failure).rejects.toMatchObject({
      name: 'EventParseError',
      message: 'Invalid SessionConfirmed event: detail.learner.email: Invalid email address',
    });
    expect(ses.commandCalls(SendEmail)).toEqual([]);
  });

  it('fails naming the variable when the template name is missing', async () => {
    delete process.env.EMAIL_TEMPLATE_WELCOME;

    await expect(loadHandler()(EVENT, context)).rejects.toMatchObject({
      name: 'JobsConfigurationError',
      message:
        'EMAIL_TEMPLATE_WELCOME is missing: set it to the SES template name of the welcome email (the stacks derive it from "send email:welcome").',
    });
  });
});
