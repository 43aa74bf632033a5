import type { GovernanceModel, Resource } from '../model';
import type { Profile, ProfileName } from '../profiles';

/** How bad a finding is. Ordered: critical > high > medium > low. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** True when `a` is at least as severe as `b`. */
export function atLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b);
}

/** Extra inputs of one run that some rules need (the plan guards). */
export interface CheckContext {
  /** Addresses given with `--allow-destroy` (exact addresses or `*` globs). */
  allowDestroy: string[];
  /**
   * Reports what a rule could not verify in a profile that does not fail on it (SLW-CW-001 and
   * SLW-CW-002 under `baseline`: an unknown alarm action or dimension). The engine adds it to
   * the scan result's `warnings`; a warning never fails a run. Absent: the warning is dropped.
   */
  warn?: (warning: string) => void;
}

/**
 * What a rule does with a value it cannot evaluate (an unresolved variable, a module output):
 * `finding` reports it like a failure, `warning` tells the run (see {@link CheckContext.warn}).
 */
export type UnknownPolicy = 'finding' | 'warning';

/** Reports `message` about `resource` as a finding or a warning, as `policy` says. */
export function reportUnverified(
  rule: Pick<Rule, 'id' | 'severity' | 'title' | 'fix'>,
  resource: Pick<Resource, 'address' | 'file' | 'line' | 'input'>,
  message: string,
  policy: UnknownPolicy,
  context: CheckContext,
  out: Finding[],
): void {
  if (policy === 'finding') out.push(findingFor(rule, resource, message));
  else
    context.warn?.(
      `${rule.id} ${resource.address}${resource.file ? ` (${resource.file}${resource.line ? `:${resource.line}` : ''})` : ''}: ${message}`,
    );
}

/** One problem found by a rule. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  address: string;
  file?: string;
  line?: number;
  message: string;
  fix: string;
  /** The input (folder, JSON or plan file) the resource came from. */
  input?: string;
  /** Set when a waiver covers the finding; waived findings never fail a run. */
  waived?: { reason: string; owner: string; expires: string; source: string };
  /** Set when the run explicitly allowed it (`--allow-destroy`); never fails a run. */
  allowed?: string;
}

/**
 * A governance rule. `profiles` lists the profiles the rule runs in, with that profile's
 * thresholds; a profile missing from it does not run the rule.
 */
export interface Rule<S extends object = object> {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  fix: string;
  /** Ids of the equivalent checkov checks. */
  checkov: string[];
  /** Ids of the equivalent trivy (tfsec/defsec) checks. */
  trivy: string[];
  profiles: Partial<Record<ProfileName, S>>;
  check(model: GovernanceModel, profile: Profile, context: CheckContext): Finding[];
}

/** Builds a finding for `resource` with the rule's severity, title and fix. */
export function findingFor(
  rule: Pick<Rule, 'id' | 'severity' | 'title' | 'fix'>,
  resource: Pick<Resource, 'address' | 'file' | 'line' | 'input'>,
  message: string,
  fix?: string,
): Finding {
  return {
    ruleId: rule.id,
    severity: rule.severity,
    title: rule.title,
    address: resource.address,
    file: resource.file,
    line: resource.line,
    message,
    fix: fix ?? rule.fix,
    input: resource.input,
  };
}

/** The settings of `rule` under `profile` (the rule runs only when defined). */
export function settingsOf<S extends object>(rule: Rule<S>, profile: Profile): S | undefined {
  return rule.profiles[profile.name];
}
