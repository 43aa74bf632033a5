import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidEmailTemplateError } from './errors';

/**
 * The email templates manifests can send (`send email:<name>`), each owned by one domain. They
 * are declared here, like the tables, because two places build them from the same file: the
 * stacks (the governed `email-template` module, an SES template in the owning domain's stack)
 * and the sandbox (its local SES). The file is the template itself: `{ subject, text, html }`
 * with SES's `{{field}}` placeholders, filled from the `TemplateData` a function sends.
 */
export interface EmailTemplateSpec {
  /**
   * Logical name, unique: used in `send email:<name>`, in the function's
   * `EMAIL_TEMPLATE_<NAME>` variable and in the real name `<prefix>-<env>-<name>`.
   */
  readonly name: string;
  /** The domain whose stack owns the template. */
  readonly domain: string;
  /** The template file, relative to the workspace root. */
  readonly file: string;
}

/** Every email template, by logical name. */
export const EMAIL_TEMPLATES: readonly EmailTemplateSpec[] = [
  { name: 'welcome', domain: 'jobs', file: 'libs/jobs/emails/welcome.json' },
];

/** The content of a template file: what SES stores as the template. */
export interface EmailTemplateContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * Reads and checks a template file: a JSON object of three non-empty strings `subject`, `text`
 * and `html`, nothing else.
 *
 * @param root workspace root.
 * @throws {InvalidEmailTemplateError} naming the file and the field, when it is unreadable or malformed.
 * @example loadEmailTemplate(root, EMAIL_TEMPLATES[0]).subject // "You're booked: {{sessionTitle}}"
 */
export function loadEmailTemplate(root: string, spec: EmailTemplateSpec): EmailTemplateContent {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(root, spec.file), 'utf8'));
  } catch (error) {
    throw new InvalidEmailTemplateError(
      `${spec.file}: the email template "${spec.name}" cannot be read as JSON (${(error as Error).message}): write {"subject", "text", "html"} there`,
      { cause: error },
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new InvalidEmailTemplateError(
      `${spec.file}: must be a JSON object {"subject", "text", "html"}`,
    );
  const fields = raw as Record<string, unknown>;
  for (const field of ['subject', 'text', 'html'] as const)
    if (typeof fields[field] !== 'string' || fields[field] === '')
      throw new InvalidEmailTemplateError(
        `${spec.file}: ${field} must be a non-empty string (the template's ${field}, with {{field}} placeholders)`,
      );
  const extra = Object.keys(fields).filter((k) => !['subject', 'text', 'html'].includes(k));
  if (extra.length)
    throw new InvalidEmailTemplateError(
      `${spec.file}: ${extra[0]} is not a template field: keep only subject, text and html`,
    );
  return {
    subject: fields.subject as string,
    text: fields.text as string,
    html: fields.html as string,
  };
}

/**
 * The real SES template name of a logical template in an environment, `<prefix>-<env>-<name>`:
 * what the stacks create and the function gets as `EMAIL_TEMPLATE_<NAME>`.
 *
 * @example emailTemplateName('slipway', 'dev', 'welcome') // 'slipway-dev-welcome'
 */
export function emailTemplateName(prefix: string, environment: string, template: string): string {
  return `${prefix}-${environment}-${template}`;
}
