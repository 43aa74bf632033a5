import type { SessionConfirmedDetail } from '@slipway/events';
import { JobsConfigurationError } from './errors';

/** Where the welcome email comes from and which stored SES template renders it. */
export interface WelcomeEmailConfig {
  /** A verified SES identity's address, e.g. `Slipway <hello@example.com>`. */
  readonly from: string;
  /** The SES template (`TemplateName`) holding subject, text and HTML with `{{…}}` fields. */
  readonly templateName: string;
  /** SES configuration set for delivery events, when the account uses one. */
  readonly configurationSet?: string;
}

/** The template's fields, as `TemplateData` (a JSON object of strings). */
export interface WelcomeEmailData {
  name: string;
  sessionTitle: string;
  /** The start in the learner's time zone and language, e.g. `Tuesday, December 8, 2026 at 6:00 PM GMT+1`. */
  startsAt: string;
  joinUrl: string;
}

/**
 * The template fields of the welcome email for a confirmed session: the learner's name, the
 * session's title, its start written in the learner's time zone and locale (`en` by default),
 * and the join link. Pure: the same detail gives the same fields.
 *
 * @example
 * welcomeEmailData(detail).startsAt; // 'Tuesday, December 8, 2026 at 6:00 PM GMT+1'
 */
export function welcomeEmailData(detail: SessionConfirmedDetail): WelcomeEmailData {
  const locale = detail.learner.locale ?? 'en';
  const startsAt = new Intl.DateTimeFormat(locale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: detail.session.timeZone,
  }).format(new Date(detail.session.startsAt));
  // dateStyle admits no timeZoneName: the zone's short name comes from a second format.
  const zone = new Intl.DateTimeFormat(locale, {
    timeZone: detail.session.timeZone,
    timeZoneName: 'short',
  })
    .formatToParts(new Date(detail.session.startsAt))
    .find((p) => p.type === 'timeZoneName')?.value;
  return {
    name: detail.learner.name,
    sessionTitle: detail.session.title,
    startsAt: zone ? `${startsAt} ${zone}` : startsAt,
    joinUrl: detail.session.joinUrl,
  };
}

/**
 * The SES v2 `SendEmail` input of the welcome email: one recipient, the stored template and its
 * data, and the tags SES reports delivery events with (booking and session ids, no address).
 */
export function welcomeEmailRequest(detail: SessionConfirmedDetail, config: WelcomeEmailConfig) {
  return {
    FromEmailAddress: config.from,
    Destination: { ToAddresses: [detail.learner.email] },
    Content: {
      Template: {
        TemplateName: config.templateName,
        TemplateData: JSON.stringify(welcomeEmailData(detail)),
      },
    },
    EmailTags: [
      { Name: 'email', Value: 'welcome' },
      { Name: 'booking', Value: tagValue(detail.bookingId) },
      { Name: 'session', Value: tagValue(detail.sessionId) },
    ],
    ...(config.configurationSet ? { ConfigurationSetName: config.configurationSet } : {}),
  };
}

/** SES tag values allow ASCII letters, digits, `_` and `-` only (256 at most). */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
}

/** Everything the welcome-email worker reads from its environment. */
export interface WelcomeEmailSettings {
  readonly email: WelcomeEmailConfig;
  /** The idempotency table's real name. */
  readonly idempotencyTable: string;
}

/**
 * The welcome-email worker's settings from its environment, as the stacks (and the sandbox) set
 * it from the manifest: `EMAIL_FROM` and `EMAIL_TEMPLATE_WELCOME` from `send email:welcome`,
 * `TABLE_JOBS_IDEMPOTENCY` from `read`/`write table:jobs-idempotency`.
 *
 * @throws {JobsConfigurationError} naming the missing variable and where it comes from.
 * @example
 * const { email, idempotencyTable } = welcomeEmailSettingsFromEnv(process.env);
 */
export function welcomeEmailSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): WelcomeEmailSettings {
  const need = (name: string, hint: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new JobsConfigurationError(`${name} is missing: ${hint}`);
    return value;
  };
  return {
    email: {
      from: need(
        'EMAIL_FROM',
        'set it to the environment\'s verified sender, e.g. Slipway <hello@example.com> (the stacks derive it from "send email:welcome" and the environment\'s email settings).',
      ),
      templateName: need(
        'EMAIL_TEMPLATE_WELCOME',
        'set it to the SES template name of the welcome email (the stacks derive it from "send email:welcome").',
      ),
    },
    idempotencyTable: need(
      'TABLE_JOBS_IDEMPOTENCY',
      'set it to the jobs idempotency table name (the stacks derive it from "write table:jobs-idempotency").',
    ),
  };
}
