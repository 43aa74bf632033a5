import {
  BadRequestException,
  MessageRejected,
  NotFoundException,
  SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SES_ENDPOINT_ENV, startLocalSes, type LocalSes } from '../../src/ses';

// The sandbox's SES with the real SES v2 client over loopback, reached the way a Lambda reaches
// it: through the SDK's service-specific endpoint variable, with the SDK's default retry strategy.
const DATE = new Date('2026-03-04T05:06:07.000Z');
const TEMPLATES = {
  welcome: {
    subject: 'Welcome to Slipway, {{user.name}}',
    text: 'Hi {{user.name}},\nyour plan: {{plan}}.',
    html: '<p>Hi {{user.name}}, your plan: {{plan}}.</p>{{{footer}}}',
  },
};

let workDir: string;
let directory: string;
let ses: LocalSes;
let client: SESv2Client;
const previousEndpoint = process.env[SES_ENDPOINT_ENV];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'ses-'));
  directory = join(workDir, 'emails');
  ses = await startLocalSes({ directory, templates: TEMPLATES, now: () => DATE });
  process.env[SES_ENDPOINT_ENV] = ses.endpoint;
  client = new SESv2Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' },
  });
});

afterAll(async () => {
  client?.destroy();
  await ses?.close();
  if (previousEndpoint === undefined) delete process.env[SES_ENDPOINT_ENV];
  else process.env[SES_ENDPOINT_ENV] = previousEndpoint;
  await rm(workDir, { recursive: true, force: true });
});

afterEach(async () => {
  // Each test starts with an empty folder (the mailbox keeps growing: tests slice it).
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
});

const SIMPLE: SendEmailCommandInput = {
  FromEmailAddress: 'Slipway <noreply@slipway.dev>',
  Destination: {
    ToAddresses: ['ada@example.com'],
    CcAddresses: ['grace@example.com'],
    BccAddresses: ['audit@slipway.dev'],
  },
  ReplyToAddresses: ['support@slipway.dev'],
  Content: {
    Simple: {
      Subject: { Data: 'Your upload is ready' },
      Body: {
        Text: { Data: 'Hello Ada,\nyour photo is ready.' },
        Html: { Data: '<p>Hello Ada,</p><p>your photo is ready.</p>' },
      },
    },
  },
  EmailTags: [{ Name: 'flow', Value: 'welcome' }],
};

const TEMPLATED: SendEmailCommandInput = {
  FromEmailAddress: 'noreply@slipway.dev',
  Destination: { ToAddresses: ['ada@example.com'] },
  Content: {
    Template: {
      TemplateName: 'welcome',
      TemplateData: JSON.stringify({
        user: { name: 'Ada <b>"Lovelace"</b> & Co' },
        plan: 'pro=1',
        footer: '<hr><small>Slipway</small>',
      }),
    },
  },
};

describe('SendEmail on the local SES', () => {
  it('writes a simple email as <MessageId>.eml with CRLF headers and a text and an html part', async () => {
    // Act
    const { MessageId, $metadata } = await client.send(new SendEmailCommand(SIMPLE));

    // Assess
    expect(MessageId).toMatch(/^[0-9a-f]{16}-[0-9a-f-]{36}-000000$/);
    expect($metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    expect(await readdir(directory)).toEqual([`${MessageId}.eml`]);
    const eml = await readFile(join(directory, `${MessageId}.eml`), 'utf8');
    const boundary = /boundary="([^"]+)"/.exec(eml)?.[1];
    expect(boundary).toMatch(/^--_NmP-[0-9a-f]{16}-Part_1$/);
    expect(eml).toBe(
      [
        'From: Slipway <noreply@slipway.dev>',
        'To: ada@example.com',
        'Cc: grace@example.com',
        'Reply-To: support@slipway.dev',
        'Subject: Your upload is ready',
        // Folded past 76 characters (RFC 5322 section 2.2.3).
        'Message-ID:',
        ` <${MessageId}@eu-west-1.amazonses.com>`,
        'Date: Wed, 04 Mar 2026 05:06:07 +0000',
        'MIME-Version: 1.0',
        'Content-Type: multipart/alternative;',
        ` boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 7bit',
        '',
        'Hello Ada,',
        'your photo is ready.',
        `--${boundary}`,
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: 7bit',
        '',
        '<p>Hello Ada,</p><p>your photo is ready.</p>',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    expect(ses.mailbox()).toEqual([
      {
        messageId: MessageId,
        file: join(directory, `${MessageId}.eml`),
        timestamp: '2026-03-04T05:06:07.000Z',
        sendingAccountId: '000000000000',
        from: 'Slipway <noreply@slipway.dev>',
        to: ['ada@example.com'],
        cc: ['grace@example.com'],
        bcc: ['audit@slipway.dev'],
        replyTo: ['support@slipway.dev'],
        subject: 'Your upload is ready',
        text: 'Hello Ada,\nyour photo is ready.',
        html: '<p>Hello Ada,</p><p>your photo is ready.</p>',
        tags: { flow: 'welcome' },
      },
    ]);
  });

  it('renders a stored template: {{path}} escaped in html only, {{{path}}} raw', async () => {
    const before = ses.mailbox().length;

    const { MessageId } = await client.send(new SendEmailCommand(TEMPLATED));

    const [email] = ses.mailbox().slice(before);
    expect(email).toMatchObject({
      messageId: MessageId,
      subject: 'Welcome to Slipway, Ada <b>"Lovelace"</b> & Co',
      text: 'Hi Ada <b>"Lovelace"</b> & Co,\nyour plan: pro=1.',
      html: '<p>Hi Ada &lt;b&gt;&quot;Lovelace&quot;&lt;/b&gt; &amp; Co, your plan: pro&#x3D;1.</p><hr><small>Slipway</small>',
      template: {
        name: 'welcome',
        data: {
          user: { name: 'Ada <b>"Lovelace"</b> & Co' },
          plan: 'pro=1',
          footer: '<hr><small>Slipway</small>',
        },
      },
      cc: [],
      bcc: [],
      tags: {},
    });
    const eml = await readFile(join(directory, `${MessageId}.eml`), 'utf8');
    // RFC 2047 encoded words: the subject's `<`, `"` and `&` are not plain header text.
    expect(eml).toContain(
      '\r\nSubject: =?UTF-8?Q?Welcome_to_Slipway=2C_Ada_=3Cb=3E=22Love?=\r\n =?UTF-8?Q?lace=22=3C/b=3E_=26_Co?=\r\n',
    );
    expect(eml).toContain(
      '\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHi Ada <b>"Lovelace"</b> & Co,\r\nyour plan: pro=1.\r\n',
    );
    // Quoted-printable (a line over 76 characters): `=` is `=3D`, a soft break is `=` + CRLF.
    expect(eml).toContain(
      '\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Hi Ada &lt;b&gt;&quot;Lovelace&quot;&lt;/b&gt; &amp; Co, your plan: =\r\npro&#x3D;1.</p><hr><small>Slipway</small>\r\n',
    );
  });

  it('accepts a template whose data lacks a variable but sends nothing: a Rendering Failure, as SES does', async () => {
    const data = JSON.parse(TEMPLATED.Content?.Template?.TemplateData as string) as Record<
      string,
      unknown
    >;
    delete data.plan;
    const input = structuredClone(TEMPLATED);
    (input.Content as { Template: { TemplateData: string } }).Template.TemplateData =
      JSON.stringify(data);
    const before = ses.mailbox().length;

    const { MessageId } = await client.send(new SendEmailCommand(input));

    expect(await readdir(directory)).toEqual([]);
    expect(ses.mailbox()).toHaveLength(before);
    expect(ses.renderingFailures()).toEqual([
      {
        messageId: MessageId,
        templateName: 'welcome',
        errorMessage: "Attribute 'plan' is not present in the rendering data.",
      },
    ]);
  });

  it('answers an unknown template with 404 NotFoundException', async () => {
    const input = structuredClone(TEMPLATED);
    (input.Content as { Template: { TemplateName: string } }).Template.TemplateName = 'welcom';

    const error = await client.send(new SendEmailCommand(input)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NotFoundException);
    expect(error).toMatchObject({
      name: 'NotFoundException',
      message: "Template welcom does not exist. The sandbox's SES holds: welcome.",
      $metadata: { httpStatusCode: 404, attempts: 1 },
    });
    expect(await readdir(directory)).toEqual([]);
  });

  it.each([
    [
      'no FromEmailAddress',
      (i: SendEmailCommandInput) => delete i.FromEmailAddress,
      "FromEmailAddress is required: pass the sender's address (in AWS, a verified identity of the account).",
    ],
    [
      'no Destination',
      (i: SendEmailCommandInput) => delete i.Destination,
      'Destination is required: give at least one address in Destination.ToAddresses, CcAddresses or BccAddresses.',
    ],
    [
      'no Subject',
      (i: SendEmailCommandInput) => delete i.Content?.Simple?.Subject,
      'Content.Simple.Subject.Data is required.',
    ],
  ])(
    'answers %s with 400 BadRequestException naming the field',
    async (_case, breakIt, message) => {
      const input = structuredClone(SIMPLE);
      breakIt(input);

      const error = await client.send(new SendEmailCommand(input)).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BadRequestException);
      expect(error).toMatchObject({ message, $metadata: { httpStatusCode: 400, attempts: 1 } });
      expect(await readdir(directory)).toEqual([]);
    },
  );

  it('answers an injected throttle with 429 TooManyRequestsException, which the SDK retries: one email', async () => {
    ses.fail([
      { status: 429, code: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
    ]);
    const before = ses.mailbox().length;

    const { MessageId, $metadata } = await client.send(new SendEmailCommand(SIMPLE));

    expect($metadata.attempts).toBe(2);
    expect(await readdir(directory)).toEqual([`${MessageId}.eml`]);
    expect(
      ses
        .mailbox()
        .slice(before)
        .map((e) => e.messageId),
    ).toEqual([MessageId]);
  });

  it('answers an injected MessageRejected with 400, which the SDK does not retry', async () => {
    // One fault only: a retry would succeed, and the call would not throw.
    ses.fail([{ status: 400, code: 'MessageRejected', message: 'Email address is not verified.' }]);

    const error = await client.send(new SendEmailCommand(SIMPLE)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MessageRejected);
    expect(error).toMatchObject({
      name: 'MessageRejected',
      message: 'Email address is not verified.',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    expect(await readdir(directory)).toEqual([]);
    const { $metadata } = await client.send(new SendEmailCommand(SIMPLE));
    expect($metadata.attempts).toBe(1);
  });

  it('answers injected 500 InternalFailure faults, retried by the SDK until its 3 attempts are spent', async () => {
    const fault = { status: 500, code: 'InternalFailure', message: 'An internal error occurred.' };
    ses.fail([fault, fault, fault]);

    const error = await client.send(new SendEmailCommand(SIMPLE)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SESv2ServiceException);
    expect(error).toMatchObject({
      name: 'InternalFailure',
      message: 'An internal error occurred.',
      $metadata: { httpStatusCode: 500, attempts: 3 },
    });
    expect(await readdir(directory)).toEqual([]);
  });
});

describe('startLocalSes', () => {
  it('refuses a template with Handlebars it does not render, naming template, part and tag', async () => {
    const templates = {
      ...TEMPLATES,
      digest: { subject: 'Digest', text: '{{#each items}}{{this}}{{/each}}' },
    };

    await expect(startLocalSes({ directory, templates })).rejects.toThrow(
      "The sandbox's SES can't hold template digest: its text has {{#each items}}; the sandbox renders only {{name}}, {{a.b}} and {{{name}}} (no blocks, helpers, partials or comments).",
    );
  });
});
