import {
  UnknownValue as UnknownValueClass,
  unknownWhy,
  type GovernanceModel,
  type Resource,
  type UnknownValue,
} from '../model';
import type { Profile, ProfileName } from '../profiles';

/** How bad a finding is. Ordered: critical > high > medium > low. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/**
 * True when `value` is a value only known after apply that comes from a resource attribute
 * (`aws_kms_key.logs.arn`): the resource exists once applied, so an ARN or id read from it is
 * set. Rules that only ask "is it set?" count it as set; rules that compare the value do not.
 */
export function setAfterApply(value: unknown): boolean {
  return value instanceof UnknownValueClass && value.kind === 'apply';
}

/** True when `a` is at least as severe as `b`. */
export function atLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b);
}

/** Extra inputs of one run that some rules need (the plan guards). */
export interface CheckContext {
  /** Addresses given with `--allow-destroy` (exact addresses or `*` globs). */
  allowDestroy: string[];
  /**
   * Receives what a rule could not verify (see {@link reportUnverified}). The engine turns it
   * into a finding or a warning as the profile's `unknowns` say, after re-running the rule on
   * the branches of unknown `dynamic` blocks. Absent: {@link warn} gets the message.
   */
  unverified?: (record: Unverified) => void;
  /** Takes a plain warning into the scan result's `warnings` (never fails a run). */
  warn?: (warning: string) => void;
}

/**
 * What a rule does with a security-relevant value it cannot evaluate: `finding` reports it
 * like a failure (at the profile's `unknowns.severity`), `warning` tells the run.
 */
export type UnknownPolicy = 'finding' | 'warning';

/** One thing a rule could not verify about a resource. */
export interface Unverified {
  rule: Pick<Rule, 'id' | 'severity' | 'title' | 'fix'>;
  resource: Pick<Resource, 'address' | 'file' | 'line' | 'input'>;
  /** The whole message: "cannot verify <what> of <address> because <expr> is unknown (<why>)." */
  message: string;
  /** The expression that was unknown, when the rule named one. */
  expression?: string;
}

/**
 * Reports that `rule` could not verify something about `resource` (the one mechanism every rule
 * uses: an unknown is never a pass). The profile decides: a finding under `strict`, a warning
 * under `baseline` (see `Profile.unknowns`).
 */
export function reportUnverified(
  rule: Pick<Rule, 'id' | 'severity' | 'title' | 'fix'>,
  resource: Pick<Resource, 'address' | 'file' | 'line' | 'input'>,
  message: string,
  context: CheckContext,
  expression?: string,
): void {
  if (context.unverified) context.unverified({ rule, resource, message, expression });
  else context.warn?.(warningText({ rule, resource, message }));
}

/**
 * "cannot verify <what> of <address> because <expr> is unknown (<why>)": `value` is the unknown
 * the rule met, read from `attribute` of `holder` (by default `resource`; a linked configuration
 * resource otherwise), whose references name the expression when the value does not carry one.
 */
export function cannotVerify(
  rule: Pick<Rule, 'id' | 'severity' | 'title' | 'fix'>,
  resource: Resource,
  what: string,
  value: UnknownValue,
  attribute: string,
  context: CheckContext,
  holder: Resource = resource,
): void {
  const expression = describeUnknown(value, holder, attribute);
  reportUnverified(
    rule,
    resource,
    `cannot verify ${what} of ${resource.address} because ${expression} is unknown (${unknownWhy(value, expression.split(' ')[0])}).`,
    context,
    expression,
  );
}

/** The text of an unknown for messages: its expression, else the attribute's references, else the attribute. */
export function describeUnknown(value: UnknownValue, holder: Resource, attribute: string): string {
  if (value.expression) return shortExpression(value.expression);
  const top = attribute.split('.')[0];
  const refs = (holder.references[top] ?? []).filter(
    (r, _, all) => !all.some((o) => o !== r && o.startsWith(`${r}.`)),
  );
  if (refs.length <= 1) return refs[0] ?? attribute;
  // `local.policy (reads var.bucket_name, data.aws_partition.current)`: what the locals read.
  const inputs = refs.slice(1).filter((r) => !r.startsWith('local.'));
  return inputs.length ? `${refs[0]} (reads ${inputs.join(', ')})` : refs.join(', ');
}

/** An expression for a one-line message: `${…}` unwrapped, whitespace collapsed, at most 80 characters. */
export function shortExpression(expression: string): string {
  const text = expression
    .trim()
    .replace(/^\$\{([\s\S]*)\}$/, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** The warning line of an {@link Unverified} record: `<rule> <address> (<file>:<line>): <message>`. */
export function warningText(record: Pick<Unverified, 'rule' | 'resource' | 'message'>): string {
  const { rule, resource, message } = record;
  return `${rule.id} ${resource.address}${resource.file ? ` (${resource.file}${resource.line ? `:${resource.line}` : ''})` : ''}: ${message}`;
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
  /** Set when the finding is "cannot verify …": the value was unknown (strict profile). */
  unverified?: { expression?: string };
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
  /**
   * Why no checkov or trivy check is named (required when `checkov` and `trivy` are both empty;
   * the `rules` command prints it): what the public checks test instead, and where a tool
   * outside them tests the same property.
   */
  noPublicEquivalent?: string;
  /**
   * Where the rule deliberately tests something else than its named checkov / trivy checks
   * (one sentence; the `rules` command prints it). Every rule also differs in one way: a value
   * it cannot evaluate is "cannot verify", never a pass.
   */
  differences?: string;
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
