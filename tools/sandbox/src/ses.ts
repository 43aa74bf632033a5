import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';

/**
 * The sandbox's SES: the one operation the welcome-email worker calls, SES v2 `SendEmail`
 * (`POST /v2/email/outbound-emails`, REST-JSON), on 127.0.0.1. Each accepted email is written as
 * `<directory>/<MessageId>.eml` (RFC 5322, CRLF) and kept in {@link LocalSes.mailbox}. Errors
 * have SES's status, `x-amzn-ErrorType` and `{ message }` body, so the real
 * `@aws-sdk/client-sesv2` raises its own exception classes and retries what it would retry in AWS;
 * {@link LocalSes.fail} injects throttling, rejections and server faults (issue 14: "SES
 * throttling or a transient error -> retried, a permanent rejection -> DLQ").
 * Requests are not signature-checked and no identity needs verifying: there is no IAM locally.
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 *
 * The .eml is built by nodemailer's MailComposer rather than by hand: MIME has many edges
 * (RFC 2047 encoded words for non-ASCII subjects and names, quoted-printable or base64 bodies,
 * 998-octet lines, address quoting) that it has handled for years, it is a dev dependency only
 * (this file is dev code, never in a Lambda zip) and it has no dependencies of its own.
 */

/** The AWS SDKs' endpoint override for SES v2 (service id `SESv2` → `SESV2`). */
export const SES_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_SESV2';

/** A stored template, as `CreateEmailTemplate`'s `TemplateContent` would hold it. */
export interface SesTemplate {
  subject: string;
  text?: string;
  html?: string;
}

/** An email the stand-in accepted and wrote (the fields of SES's event `mail` object, plus the parts). */
export interface SentEmail {
  messageId: string;
  /** Absolute path of the `.eml` file. */
  file: string;
  /** ISO 8601, the `Date` header. */
  timestamp: string;
  sendingAccountId: string;
  from: string;
  to: string[];
  cc: string[];
  /** Not in the `.eml` headers (SES does not deliver a `Bcc` header either). */
  bcc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  /** Set when the email came from `Content.Template`. */
  template?: { name: string; data: Record<string, unknown> };
  /** `EmailTags` by name; SES publishes them with events, not in the message. */
  tags: Record<string, string>;
}

/**
 * A templated email SES accepted (it answered a `MessageId`) but did not send, because the
 * template names a variable the `TemplateData` lacks: SES's "Rendering Failure" event.
 * https://repost.aws/knowledge-center/ses-sendtemplatedemail-delivery-failure
 */
export interface RenderingFailure {
  messageId: string;
  templateName: string;
  errorMessage: string;
}

/** A fault answered instead of the next request, e.g. `{ status: 429, code: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' }`. */
export interface SesFault {
  status: number;
  code: string;
  message: string;
}

/** A running local SES. */
export interface LocalSes {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** The emails written so far, oldest first (copies). */
  mailbox(): SentEmail[];
  /** Templated emails accepted but not sent, oldest first (copies). */
  renderingFailures(): RenderingFailure[];
  /** Queues faults: each of the next requests is answered with the next fault, then requests succeed again. */
  fail(next: SesFault[]): void;
  close(): Promise<void>;
}

/**
 * Starts the stand-in holding `templates` (name → content) and writing emails under `directory`
 * (created if missing). Templates are checked here: one with a placeholder outside the supported
 * subset (`{{path}}`, `{{{path}}}`) fails the start, naming the template, part and tag.
 *
 * @example
 * const ses = await startLocalSes({
 *   directory: join(workDir, 'emails'),
 *   templates: { welcome: { subject: 'Welcome, {{name}}', text: 'Hi {{name}}', html: '<p>Hi {{name}}</p>' } },
 * });
 * process.env[SES_ENDPOINT_ENV] = ses.endpoint;
 * ses.fail([{ status: 429, code: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' }]);
 */
export async function startLocalSes(options: {
  directory: string;
  templates: Record<string, SesTemplate>;
  region?: string;
  accountId?: string;
  port?: number;
  /** The clock for `Date` headers (tests pin it). */
  now?: () => Date;
}): Promise<LocalSes> {
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '000000000000';
  const now = options.now ?? (() => new Date());
  const templates = new Map<string, SesTemplate>();
  for (const [name, template] of Object.entries(options.templates)) {
    const problem = templateProblem(template);
    if (problem) throw new Error(`The sandbox's SES can't hold template ${name}: ${problem}`);
    templates.set(name, template);
  }
  await mkdir(options.directory, { recursive: true });
  const sent: SentEmail[] = [];
  const failures: RenderingFailure[] = [];
  const faults: SesFault[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      answerError(res, 500, 'InternalFailure', `The sandbox's SES failed: ${String(error)}`),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await text(req);
    const fault = faults.shift();
    if (fault) return answerError(res, fault.status, fault.code, fault.message);
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/v2/email/outbound-emails')
      return answerError(
        res,
        404,
        'UnknownOperationException',
        `The sandbox's SES serves only SendEmail (POST /v2/email/outbound-emails), got ${String(req.method)} ${path}: send with SendEmailCommand.`,
      );
    let input: SendEmailInput;
    try {
      input = JSON.parse(body) as SendEmailInput;
    } catch {
      return answerError(res, 400, 'BadRequestException', 'The request body is not JSON.');
    }
    const result = await send(input);
    if ('status' in result) return answerError(res, result.status, result.code, result.message);
    answer(res, 200, { MessageId: result.messageId });
  }

  async function send(input: SendEmailInput): Promise<{ messageId: string } | SesFault> {
    const bad = (message: string): SesFault => ({
      status: 400,
      code: 'BadRequestException',
      message,
    });
    if (typeof input.FromEmailAddress !== 'string' || input.FromEmailAddress === '')
      return bad(
        "FromEmailAddress is required: pass the sender's address (in AWS, a verified identity of the account).",
      );
    const to = addresses(input.Destination?.ToAddresses);
    const cc = addresses(input.Destination?.CcAddresses);
    const bcc = addresses(input.Destination?.BccAddresses);
    if (!to || !cc || !bcc)
      return bad(
        'Destination.ToAddresses, CcAddresses and BccAddresses must be lists of addresses.',
      );
    if (to.length + cc.length + bcc.length === 0)
      return bad(
        'Destination is required: give at least one address in Destination.ToAddresses, CcAddresses or BccAddresses.',
      );
    // SendEmail's documented limit: "The message may not include more than 50 recipients".
    if (to.length + cc.length + bcc.length > 50)
      return bad(
        `Destination has ${to.length + cc.length + bcc.length} recipients; SES takes at most 50 per message.`,
      );
    const replyTo = addresses(input.ReplyToAddresses);
    if (!replyTo) return bad('ReplyToAddresses must be a list of addresses.');
    const tags: Record<string, string> = {};
    for (const tag of input.EmailTags ?? []) {
      if (typeof tag?.Name !== 'string' || typeof tag.Value !== 'string')
        return bad('Each of EmailTags needs a Name and a Value.');
      tags[tag.Name] = tag.Value;
    }

    const content = input.Content ?? {};
    const kinds = (['Simple', 'Raw', 'Template'] as const).filter((k) => content[k] !== undefined);
    if (kinds.length !== 1)
      return bad(
        `Content needs exactly one of Simple, Raw or Template (got ${kinds.join(', ') || 'none'}).`,
      );
    if (content.Raw)
      return bad(
        "The sandbox's SES doesn't take Content.Raw: send Content.Simple or Content.Template.",
      );

    const messageId = newMessageId();
    let parts: { subject: string; text?: string; html?: string };
    let headers: MessageHeader[] | undefined;
    let template: SentEmail['template'];
    if (content.Simple) {
      const simple = content.Simple;
      if (typeof simple.Subject?.Data !== 'string')
        return bad('Content.Simple.Subject.Data is required.');
      if (simple.Body?.Text?.Data === undefined && simple.Body?.Html?.Data === undefined)
        return bad('Content.Simple.Body needs Text.Data, Html.Data or both.');
      if (simple.Attachments?.length) return bad("The sandbox's SES doesn't take attachments yet.");
      parts = {
        subject: simple.Subject.Data,
        text: simple.Body.Text?.Data,
        html: simple.Body.Html?.Data,
      };
      headers = simple.Headers;
    } else {
      const request = content.Template as TemplateInput;
      if (request.Attachments?.length)
        return bad("The sandbox's SES doesn't take attachments yet.");
      let name: string;
      let stored: SesTemplate | undefined;
      if (request.TemplateContent) {
        name = '(inline TemplateContent)';
        stored = {
          subject: request.TemplateContent.Subject ?? '',
          text: request.TemplateContent.Text,
          html: request.TemplateContent.Html,
        };
        const problem = templateProblem(stored);
        if (problem) return bad(`Content.Template.TemplateContent: ${problem}`);
      } else {
        const arnPrefix = `arn:aws:ses:${region}:${accountId}:template/`;
        const named = request.TemplateName ?? request.TemplateArn?.replace(arnPrefix, '');
        if (typeof named !== 'string' || named === '')
          return bad('Content.Template needs TemplateName, TemplateArn or TemplateContent.');
        name = named;
        stored = templates.get(name);
        if (!stored)
          return {
            status: 404,
            code: 'NotFoundException',
            message: `Template ${name} does not exist. The sandbox's SES holds: ${[...templates.keys()].sort().join(', ') || '(none)'}.`,
          };
      }
      let data: unknown = {};
      if (request.TemplateData !== undefined) {
        try {
          data = JSON.parse(request.TemplateData);
        } catch {
          return bad(
            'Content.Template.TemplateData is not valid JSON: pass JSON.stringify of an object.',
          );
        }
        if (typeof data !== 'object' || data === null || Array.isArray(data))
          return bad(
            'Content.Template.TemplateData must be a JSON object of the template variables.',
          );
      }
      const rendered = renderTemplate(stored, data as Record<string, unknown>);
      if ('missing' in rendered) {
        // AWS accepts the call and answers a MessageId, then drops the email as a Rendering Failure.
        failures.push({
          messageId,
          templateName: name,
          errorMessage: `Attribute '${rendered.missing}' is not present in the rendering data.`,
        });
        return { messageId };
      }
      parts = rendered;
      headers = request.Headers;
      template = { name, data: data as Record<string, unknown> };
    }

    const date = now();
    const file = join(options.directory, `${messageId}.eml`);
    const eml = await new MailComposer({
      from: input.FromEmailAddress,
      to,
      cc,
      replyTo: replyTo.length ? replyTo : undefined,
      subject: parts.subject,
      text: parts.text,
      html: parts.html,
      // SES's own Message-ID form; us-east-1 uses the bare email.amazonses.com.
      messageId: `<${messageId}@${region === 'us-east-1' ? 'email' : region}.amazonses.com>`,
      date,
      headers: (headers ?? []).map((h) => ({ key: h.Name, value: h.Value })),
      // The boundary from the id (not random), so the file depends only on the request and clock.
      // MailComposer folds headers past 76 characters (RFC 5322 section 2.2.3): Message-ID and
      // Content-Type continue on an indented second line.
      baseBoundary: createHash('sha256').update(messageId).digest('hex').slice(0, 16),
      // CRLF everywhere, also inside bodies given with bare LFs (RFC 5322 section 2.1).
      newline: 'windows',
    })
      .compile()
      .build();
    await writeFile(file, eml);
    sent.push({
      messageId,
      file,
      timestamp: date.toISOString(),
      sendingAccountId: accountId,
      from: input.FromEmailAddress,
      to,
      cc,
      bcc,
      replyTo,
      ...parts,
      ...(template ? { template } : {}),
      tags,
    });
    return { messageId };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mailbox: () => structuredClone(sent),
    renderingFailures: () => structuredClone(failures),
    fail: (next) => {
      for (const fault of next) {
        if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599)
          throw new Error(`A fault's status must be 400-599 (got ${fault.status}).`);
        if (!fault.code) throw new Error("A fault needs a code, e.g. 'TooManyRequestsException'.");
      }
      faults.push(...next.map((f) => ({ ...f })));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface MessageHeader {
  Name: string;
  Value: string;
}

interface TemplateInput {
  TemplateName?: string;
  TemplateArn?: string;
  TemplateContent?: { Subject?: string; Text?: string; Html?: string };
  TemplateData?: string;
  Headers?: MessageHeader[];
  Attachments?: unknown[];
}

/** The members of SendEmailRequest this stand-in reads (the SDK sends them by these names). */
interface SendEmailInput {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: unknown; CcAddresses?: unknown; BccAddresses?: unknown };
  ReplyToAddresses?: unknown;
  Content?: {
    Simple?: {
      Subject?: { Data?: string };
      Body?: { Text?: { Data?: string }; Html?: { Data?: string } };
      Headers?: MessageHeader[];
      Attachments?: unknown[];
    };
    Raw?: unknown;
    Template?: TemplateInput;
  };
  EmailTags?: { Name?: string; Value?: string }[];
}

function addresses(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((a) => typeof a !== 'string')) return undefined;
  return value as string[];
}

/** SES v2 ids look like `0102018f…-<uuid>-000000`: a hex time, a UUID, a sequence. */
function newMessageId(): string {
  return `${Date.now().toString(16).padStart(16, '0')}-${randomUUID()}-000000`;
}

// `{{path}}` (escaped in html) or `{{{path}}}` (raw); anything else between braces is Handlebars
// this stand-in does not implement, so it is refused rather than sent half-rendered.
const TAG = /\{\{(\{?)([^{}]*)\}(\}?)\}/g;
const PATH = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;

/** What is wrong with a template for this stand-in, or undefined. */
function templateProblem(template: SesTemplate): string | undefined {
  if (typeof template.subject !== 'string') return 'it needs a subject.';
  if (template.text === undefined && template.html === undefined)
    return 'it needs a text part, an html part or both.';
  for (const part of ['subject', 'text', 'html'] as const) {
    for (const [tag, open, path, close] of (template[part] ?? '').matchAll(TAG)) {
      if ((open === '{') !== (close === '}') || !PATH.test(path.trim()))
        return `its ${part} has ${tag}; the sandbox renders only {{name}}, {{a.b}} and {{{name}}} (no blocks, helpers, partials or comments).`;
    }
  }
  return undefined;
}

/** Renders every part, or names the first variable the data lacks (SES then drops the email). */
function renderTemplate(
  template: SesTemplate,
  data: Record<string, unknown>,
): { subject: string; text?: string; html?: string } | { missing: string } {
  let missing: string | undefined;
  const render = (source: string | undefined, escape: boolean) =>
    source?.replace(TAG, (_tag, open: string, rawPath: string) => {
      const path = rawPath.trim();
      let value: unknown = data;
      for (const key of path.split('.'))
        value =
          typeof value === 'object' && value !== null && Object.hasOwn(value, key)
            ? (value as Record<string, unknown>)[key]
            : undefined;
      if (value === undefined) {
        missing ??= path;
        return '';
      }
      const text = value === null ? '' : String(value);
      return escape && open !== '{' ? escapeHtml(text) : text;
    });
  const rendered = {
    subject: render(template.subject, false) as string,
    text: render(template.text, false),
    html: render(template.html, true),
  };
  return missing === undefined ? rendered : { missing };
}

/** Handlebars' escaping of `{{…}}` (the same seven characters). */
function escapeHtml(text: string): string {
  const entities: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#x27;',
    '`': '&#x60;',
    '=': '&#x3D;',
  };
  return text.replace(/[&<>"'`=]/g, (c) => entities[c]);
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify(body));
}

/** restJson1 errors: the code in `x-amzn-ErrorType` (read first by the SDK), the text in `message`. */
function answerError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': code,
  });
  res.end(JSON.stringify({ message }));
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
