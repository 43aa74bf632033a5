import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/** Thresholds of SLW-LOGS-001. */
export interface RetentionSettings {
  /** Minimum retention in days. */
  minDays: number;
}

/**
 * SLW-LOGS-001 — log groups set a retention of at least the profile minimum.
 *
 * baseline: 30 days (the lambda-function and state-machine modules' default: long enough to
 * debug last month's incident in dev/staging, cheap). strict: 365 days, as checkov CKV_AWS_338
 * requires. checkov CKV_AWS_66 only requires "set"; "never expire" (0 / unset) fails here in
 * both profiles because it is unbounded cost, not compliance. trivy has no equivalent.
 */
export const rule: Rule<RetentionSettings> = {
  id: 'SLW-LOGS-001',
  title: 'Log group retention is set and long enough',
  severity: 'medium',
  rationale:
    'Without retention logs are kept (and billed) forever; too short and an incident cannot be investigated.',
  fix: 'Set retention_in_days (lambda-function / state-machine modules: log_retention_in_days) to at least the profile minimum.',
  checkov: ['CKV_AWS_66', 'CKV_AWS_338'],
  trivy: [],
  profiles: { baseline: { minDays: 30 }, strict: { minDays: 365 } },
  check(model, profile, context) {
    const s = this.profiles[profile.name];
    if (!s) return [];
    const out: Finding[] = [];
    for (const g of resourcesOfType(model, 'aws_cloudwatch_log_group')) {
      const d = g.attributes.retention_in_days;
      if (isUnknown(d)) {
        cannotVerify(this, g, 'log retention', d, 'retention_in_days', context);
        continue;
      }
      if (d === undefined || d === null || d === 0)
        out.push(findingFor(this, g, 'retention_in_days is not set: logs never expire.'));
      else if (typeof d === 'number' && d < s.minDays)
        out.push(
          findingFor(
            this,
            g,
            `retention_in_days is ${d}; the ${profile.name} profile requires at least ${s.minDays}.`,
          ),
        );
    }
    return out;
  },
};
