import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  EMAIL_TEMPLATES,
  emailTemplateName,
  InvalidEmailTemplateError,
  InvalidManifestError,
  loadEmailTemplate,
  parseManifest,
} from '../../src';

const ROOT = join(__dirname, '../../../..');
const FIXTURE = join(__dirname, '../fixtures/emails/welcome.json');
const SPEC = { name: 'welcome', domain: 'jobs', file: 'libs/jobs/emails/welcome.json' };

/** Every temporary workspace of this file, removed after its tests. */
const workspaces: string[] = [];
const emptyWorkspace = () => {
  const root = mkdtempSync(join(tmpdir(), 'emails-'));
  workspaces.push(root);
  return root;
};
afterAll(() => {
  for (const root of workspaces) rmSync(root, { recursive: true, force: true });
});

/** A workspace holding the fixture template at SPEC.file, with `change` applied to it. */
function workspaceWith(change: (template: Record<string, unknown>) => void): string {
  const root = emptyWorkspace();
  const template = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  change(template);
  mkdirSync(dirname(join(root, SPEC.file)), { recursive: true });
  writeFileSync(join(root, SPEC.file), JSON.stringify(template));
  return root;
}

describe('EMAIL_TEMPLATES', () => {
  it('declares the welcome email of the jobs domain, whose committed file loads', () => {
    // Act
    const template = loadEmailTemplate(ROOT, EMAIL_TEMPLATES[0]);

    // Assess
    expect(EMAIL_TEMPLATES).toEqual([SPEC]);
    expect(Object.keys(template)).toEqual(['subject', 'text', 'html']);
    expect(template.subject).toContain('{{');
  });

  it('loads a template file as its three parts', () => {
    expect(
      loadEmailTemplate(
        workspaceWith(() => undefined),
        SPEC,
      ),
    ).toEqual({
      subject: "You're booked: {{sessionTitle}}",
      text: 'Hi {{name}}, see you at {{startsAt}}.',
      html: '<p>Hi {{name}}, see you at {{startsAt}}.</p>',
    });
  });

  it.each([
    [
      'an empty subject',
      (t: Record<string, unknown>) => (t.subject = ''),
      "libs/jobs/emails/welcome.json: subject must be a non-empty string (the template's subject, with {{field}} placeholders)",
    ],
    [
      'no html part',
      (t: Record<string, unknown>) => delete t.html,
      "libs/jobs/emails/welcome.json: html must be a non-empty string (the template's html, with {{field}} placeholders)",
    ],
    [
      'an unknown field',
      (t: Record<string, unknown>) => (t.from = 'x@example.com'),
      'libs/jobs/emails/welcome.json: from is not a template field: keep only subject, text and html',
    ],
  ])('refuses a template with %s naming the file and field', (_label, change, message) => {
    expect(() => loadEmailTemplate(workspaceWith(change), SPEC)).toThrow(
      new InvalidEmailTemplateError(message),
    );
  });

  it('refuses a missing file naming it', () => {
    expect(() => loadEmailTemplate(emptyWorkspace(), SPEC)).toThrow(
      /^libs\/jobs\/emails\/welcome\.json: the email template "welcome" cannot be read as JSON \(ENOENT/,
    );
  });

  it('names the SES template <prefix>-<env>-<name>', () => {
    expect(emailTemplateName('slipway', 'prod', 'welcome')).toBe('slipway-prod-welcome');
  });

  it('refuses a manifest sending an undeclared template, naming the intent and the declared ones', () => {
    // Prepare
    const raw = {
      name: 'jobs-welcome-email',
      domain: 'jobs',
      description: 'x',
      memory: 256,
      timeout: 10,
      permissions: ['read table:jobs-idempotency', 'send email:welcom'],
    };

    // Act
    let problems: InvalidManifestError['problems'] = [];
    try {
      parseManifest(raw, 'apps/jobs-welcome-email/lambda.manifest.json');
    } catch (error) {
      if (!(error instanceof InvalidManifestError)) throw error;
      problems = error.problems;
    }

    // Assess
    expect(problems).toEqual([
      {
        field: 'permissions.1',
        value: 'send email:welcom',
        message:
          'names no declared email template "welcom" (declared: welcome): declare it in EMAIL_TEMPLATES (libs/manifest/src/emails.ts) or fix the name',
      },
    ]);
  });
});
