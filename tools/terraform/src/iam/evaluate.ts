/**
 * A deliberately small IAM identity-policy evaluator: enough to answer "do these policies allow
 * this action on this ARN with this request context?" for the bootstrap's own policies, and loud
 * (it throws) on any element it does not model, so a new policy shape cannot pass by accident.
 *
 * Modelled (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * explicit Deny wins over Allow, no Allow means implicit deny; `Action` and `Resource` with `*`
 * and `?` wildcards (actions case-insensitive, resources case-sensitive); the condition operators
 * StringEquals, StringLike, ArnEquals and ArnLike, with several values ORed, several keys and
 * operators ANDed, and a key absent from the request context not matching.
 *
 * Not modelled, and rejected with an error: NotAction, NotResource, Principal, other condition
 * operators, IfExists and ForAnyValue/ForAllValues qualifiers, policy variables. Not modelled at
 * all (they are not in one role's identity policies): resource policies, SCPs, session policies,
 * permissions boundaries of the caller.
 *
 * Why not an npm evaluator: `@cloud-copilot/iam-simulate` is the maintained one, but it and its
 * `iam-policy`/`iam-utils` dependencies are AGPL-3.0, which this private repository does not take
 * on without a licence review.
 */

/** One statement of an identity policy, as `jsonencode` writes it. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  [element: string]: unknown;
}

/** An identity policy document. */
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** A policy and the name messages use for it (e.g. `deploy_compute`). */
export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

/** One API authorization request. */
export interface AuthorizationRequest {
  /** `service:Action`, e.g. `scheduler:CreateSchedule`. */
  action: string;
  /** The ARN the action is authorized on, or `*` for actions without a resource type. */
  resource: string;
  /** Request context keys, e.g. `{ 'iam:PassedToService': 'scheduler.amazonaws.com' }`. */
  context?: Record<string, string>;
}

/** The outcome, with the statements that decided it (`policy/Sid`). */
export interface Decision {
  decision: 'allowed' | 'implicitDeny' | 'explicitDeny';
  statements: string[];
}

/** A policy uses an element or operator this evaluator does not model. */
export class UnsupportedPolicyElementError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnsupportedPolicyElementError';
  }
}

const SUPPORTED_ELEMENTS = new Set(['Sid', 'Effect', 'Action', 'Resource', 'Condition']);
const OPERATORS: Record<string, { like: boolean; ignoreCase: boolean }> = {
  StringEquals: { like: false, ignoreCase: false },
  StringLike: { like: true, ignoreCase: false },
  ArnEquals: { like: false, ignoreCase: false },
  ArnLike: { like: true, ignoreCase: false },
};

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** IAM glob: `*` any run of characters (slashes and colons included), `?` one character. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  if (/\$\{/.test(pattern))
    throw new UnsupportedPolicyElementError(
      `policy variables are not modelled: ${pattern}; resolve them before evaluating`,
    );
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function conditionMatches(
  condition: PolicyStatement['Condition'],
  context: Record<string, string>,
  label: string,
): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    const op = OPERATORS[operator];
    if (!op)
      throw new UnsupportedPolicyElementError(
        `${label}: condition operator ${operator} is not modelled; extend tools/terraform/src/iam/evaluate.ts (OPERATORS) before using it`,
      );
    for (const [key, expected] of Object.entries(keys)) {
      const actual = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase());
      if (actual === undefined) return false;
      const matches = list(expected).some((e) =>
        op.like ? globMatches(e, actual[1], op.ignoreCase) : e === actual[1],
      );
      if (!matches) return false;
    }
  }
  return true;
}

function statementsOf(policy: NamedPolicy): PolicyStatement[] {
  return Array.isArray(policy.document.Statement)
    ? policy.document.Statement
    : [policy.document.Statement];
}

/**
 * Evaluates one request against the identity policies of one principal.
 *
 * @example
 * evaluate([{ name: 'deploy', document }], {
 *   action: 'iam:PassRole',
 *   resource: 'arn:aws:iam::111111111111:role/slipway-dev-etl-schedule-scheduler',
 *   context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
 * }).decision; // 'allowed' | 'implicitDeny' | 'explicitDeny'
 */
export function evaluate(policies: NamedPolicy[], request: AuthorizationRequest): Decision {
  const allows: string[] = [];
  const denies: string[] = [];
  for (const policy of policies) {
    statementsOf(policy).forEach((s, i) => {
      const label = `${policy.name}/${s.Sid ?? `#${i + 1}`}`;
      const unsupported = Object.keys(s).filter((k) => !SUPPORTED_ELEMENTS.has(k));
      if (unsupported.length > 0)
        throw new UnsupportedPolicyElementError(
          `${label}: ${unsupported.join(', ')} not modelled by tools/terraform/src/iam/evaluate.ts`,
        );
      const actionMatches = list(s.Action).some((a) => globMatches(a, request.action, true));
      const resourceMatches = list(s.Resource).some((r) => globMatches(r, request.resource));
      if (!actionMatches || !resourceMatches) return;
      if (!conditionMatches(s.Condition, request.context ?? {}, label)) return;
      (s.Effect === 'Deny' ? denies : allows).push(label);
    });
  }
  if (denies.length > 0) return { decision: 'explicitDeny', statements: denies };
  if (allows.length > 0) return { decision: 'allowed', statements: allows };
  return { decision: 'implicitDeny', statements: [] };
}
