import type { SessionConfirmedDetail } from '@slipway/events';

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
