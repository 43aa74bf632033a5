import type { Finding } from '../rules/types';
import { SEVERITIES } from '../rules/types';

/** `file:line`, `file`, or `-`. */
export function location(f: Pick<Finding, 'file' | 'line'>): string {
  return f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : '-';
}

/** Status word of a finding. */
export function status(f: Finding): 'waived' | 'allowed' | 'open' {
  return f.waived ? 'waived' : f.allowed ? 'allowed' : 'open';
}

/** Findings sorted by severity, rule, address. */
export function sorted(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.address.localeCompare(b.address),
  );
}
