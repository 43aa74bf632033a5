import { join } from 'node:path';
import {
  EMAIL_TEMPLATES,
  emailTemplateName,
  loadEmailTemplate,
  type LambdaManifest,
} from '@slipway/manifest';
import { SES_ENDPOINT_ENV, startLocalSes, type LocalSes } from './ses';

/**
 * The sandbox's sender: every function that declares `send email:<name>` gets it as
 * `EMAIL_FROM` (in AWS, the environment's verified identity from its `email` settings).
 */
export const LOCAL_EMAIL_FROM = 'Slipway <hello@slipway.local>';

/** The local SES of a sandbox and what its functions get from it. */
export interface SandboxEmail {
  ses: LocalSes;
  /** Where the `.eml` files go: `<workDir>/mail`. */
  mailDir: string;
  /** `lambdaEnvironment`'s email context: the real template names and the sender. */
  context: {
    emailTemplates: Record<string, string>;
    email: { fromAddress: string };
  };
  /** `AWS_ENDPOINT_URL_SESV2` for every function. */
  environment: Record<string, string>;
}

/**
 * Starts the local SES when a manifest declares `send email:<name>` (else `undefined`), holding
 * every declared template (`EMAIL_TEMPLATES`, read from its file as the stacks read it) under its
 * real name `<prefix>-<env>-<name>`, writing to `<workDir>/mail/<MessageId>.eml`.
 */
export async function startSandboxEmail(options: {
  root: string;
  manifests: readonly LambdaManifest[];
  workDir: string;
  environment: string;
  region: string;
  accountId: string;
}): Promise<SandboxEmail | undefined> {
  const sends = options.manifests.some((m) => m.permissions.some((p) => /^send email:/.test(p)));
  if (!sends) return undefined;
  const names = Object.fromEntries(
    EMAIL_TEMPLATES.map((t) => [t.name, emailTemplateName('slipway', options.environment, t.name)]),
  );
  const mailDir = join(options.workDir, 'mail');
  const ses = await startLocalSes({
    directory: mailDir,
    templates: Object.fromEntries(
      EMAIL_TEMPLATES.map((t) => [names[t.name], loadEmailTemplate(options.root, t)]),
    ),
    region: options.region,
    accountId: options.accountId,
  });
  return {
    ses,
    mailDir,
    context: { emailTemplates: names, email: { fromAddress: LOCAL_EMAIL_FROM } },
    environment: { [SES_ENDPOINT_ENV]: ses.endpoint },
  };
}
