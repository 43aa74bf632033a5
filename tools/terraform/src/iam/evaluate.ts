/**
 * A deliberately small IAM policy evaluator: enough to answer "do these policies allow this
 * action on this ARN with this request context?" for the bootstrap's own policies, and loud
 * (it throws) on any element it does not model, so a new policy shape cannot pass by accident.
 *
 * Modelled (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * explicit Deny wins over Allow, no Allow means implicit deny; `Action` and `Resource` with `*`
 * and `?` wildcards (actions case-insensitive, resources case-sensitive); the condition operators
 * StringEquals, StringNotEquals, StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotEquals,
 * ArnNotLike (ArnEquals and ArnLike are the same operator in IAM: both take wildcards), Bool,
 * NumericLessThan and Null, with several values ORed, several keys and operators ANDed, a key
 * absent from the request context not matching a positive operator and matching a negated one.
 *
 * {@link evaluateWithResourcePolicy} adds one resource policy of the same account: an S3 bucket
 * policy (a same-account request is allowed by the identity policy or by a bucket-policy Allow
 * naming the caller) or a KMS key policy (identity policies count only where the key policy
 * allows the account, "…:root", for that request: https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html).
 * `Principal` is matched as `*`, the caller's role ARN, or the caller's account (its root ARN or
 * bare id).
 *
 * Not modelled, and rejected with an error: NotAction, NotResource, NotPrincipal, Principal in an
 * identity policy, other condition operators, IfExists and ForAnyValue/ForAllValues qualifiers,
 * policy variables, a caller of another account than the resource policy's. Not modelled at all:
 * SCPs and RCPs, session policies, permissions boundaries of the caller, grants, ACLs.
 *
 * Why not an npm evaluator: `@cloud-copilot/iam-simulate` is the maintained one, but it and its
 * `iam-policy`/`iam-utils` dependencies are AGPL-3.0, which this private repository does not take
 * on without a licence review.
 */

/** One statement of a policy, as `jsonencode` writes it. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** Resource policies only: `*` or `{ AWS: … }` (other principal types never match a role). */
  Principal?: string | Record<string, string | string[]>;
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

type Operator = (expected: string[], actual: string | undefined) => boolean;

const equalsAny = (expected: string[], actual: string) => expected.some((e) => e === actual);
const likeAny = (expected: string[], actual: string) =>
  expected.some((e) => globMatches(e, actual));

/**
 * Condition operators: each gets the statement's values and the request's value (undefined when
 * the key is absent). A positive operator never matches an absent key; a negated one
 * (`…Not…`) always does, which is what makes "Deny unless the header says X" deny a request
 * without the header.
 */
const OPERATORS: Record<string, Operator> = {
  StringEquals: (e, a) => a !== undefined && equalsAny(e, a),
  StringNotEquals: (e, a) => a === undefined || !equalsAny(e, a),
  StringLike: (e, a) => a !== undefined && likeAny(e, a),
  StringNotLike: (e, a) => a === undefined || !likeAny(e, a),
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
  ArnEquals: (e, a) => a !== undefined && e.some((p) => arnMatches(p, a)),
  ArnLike: (e, a) => a !== undefined && e.some((p) => arnMatches(p, a)),
  ArnNotEquals: (e, a) => a === undefined || !e.some((p) => arnMatches(p, a)),
  ArnNotLike: (e, a) => a === undefined || !e.some((p) => arnMatches(p, a)),
  Bool: (e, a) => a !== undefined && e.some((v) => v.toLowerCase() === a.toLowerCase()),
  NumericLessThan: (e, a) => a !== undefined && e.some((v) => Number(a) < Number(v)),
  // Null: "true" matches an absent key, "false" a present one.
  Null: (e, a) => e.some((v) => (v.toLowerCase() === 'true') === (a === undefined)),
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

/**
 * ARN condition match: each of the six colon-separated parts is compared on its own, wildcards
 * included, so `*` never spans a colon of the first five (the resource part keeps its colons).
 */
export function arnMatches(pattern: string, value: string): boolean {
  const parts = (arn: string) => {
    const p = arn.split(':');
    return p.length < 6 ? undefined : [...p.slice(0, 5), p.slice(5).join(':')];
  };
  if (pattern === '*') return true;
  const [want, got] = [parts(pattern), parts(value)];
  if (!want || !got) return globMatches(pattern, value);
  return want.every((w, i) => globMatches(w, got[i]));
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
      // Condition key names are case-insensitive; values are compared as the operator says.
      const actual = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase());
      if (!op(list(expected), actual?.[1])) return false;
    }
  }
  return true;
}

function statementsOf(policy: NamedPolicy): PolicyStatement[] {
  return Array.isArray(policy.document.Statement)
    ? policy.document.Statement
    : [policy.document.Statement];
}

/** The statements of `policy` whose action, resource and conditions match, by effect. */
function matching(
  policy: NamedPolicy,
  request: AuthorizationRequest,
  context: Record<string, string>,
  allowed: Set<string>,
  principalOf?: (s: PolicyStatement, label: string) => boolean,
): { allows: { label: string; statement: PolicyStatement }[]; denies: string[] } {
  const allows: { label: string; statement: PolicyStatement }[] = [];
  const denies: string[] = [];
  statementsOf(policy).forEach((s, i) => {
    const label = `${policy.name}/${s.Sid ?? `#${i + 1}`}`;
    const unsupported = Object.keys(s).filter((k) => !allowed.has(k));
    if (unsupported.length > 0)
      throw new UnsupportedPolicyElementError(
        `${label}: ${unsupported.join(', ')} not modelled by tools/terraform/src/iam/evaluate.ts`,
      );
    const actionMatches = list(s.Action).some((a) => globMatches(a, request.action, true));
    const resourceMatches = list(s.Resource).some((r) => globMatches(r, request.resource));
    if (!actionMatches || !resourceMatches) return;
    if (principalOf && !principalOf(s, label)) return;
    if (!conditionMatches(s.Condition, context, label)) return;
    if (s.Effect === 'Deny') denies.push(label);
    else allows.push({ label, statement: s });
  });
  return { allows, denies };
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
    const m = matching(policy, request, request.context ?? {}, SUPPORTED_ELEMENTS);
    allows.push(...m.allows.map((a) => a.label));
    denies.push(...m.denies);
  }
  if (denies.length > 0) return { decision: 'explicitDeny', statements: denies };
  if (allows.length > 0) return { decision: 'allowed', statements: allows };
  return { decision: 'implicitDeny', statements: [] };
}

/** A resource policy: an S3 bucket policy or a KMS key policy, and the name messages use. */
export interface ResourcePolicy extends NamedPolicy {
  /** How identity policies and this policy combine (see the file comment). */
  kind: 's3' | 'kms';
  /** The account that owns the bucket or key. */
  account: string;
}

/** A request by an IAM role, against its identity policies and one resource policy. */
export interface PrincipalRequest extends AuthorizationRequest {
  /** The caller's role ARN (`aws:PrincipalArn`), e.g. `arn:aws:iam::1:role/slipway/bootstrap/x`. */
  principal: string;
}

/** How a resource-policy statement's Principal relates to the caller. */
function principalMatch(
  statement: PolicyStatement,
  label: string,
  principal: string,
  account: string,
): 'caller' | 'account' | undefined {
  if (statement.Principal === undefined)
    throw new UnsupportedPolicyElementError(
      `${label}: a resource policy statement needs a Principal (NotPrincipal is not modelled)`,
    );
  if (statement.Principal === '*') return 'caller';
  if (typeof statement.Principal !== 'object')
    throw new UnsupportedPolicyElementError(
      `${label}: Principal ${statement.Principal} not modelled`,
    );
  let match: 'caller' | 'account' | undefined;
  for (const id of list(statement.Principal.AWS)) {
    if (id === '*' || id === principal) return 'caller';
    if (id === account || id === `arn:${principal.split(':')[1]}:iam::${account}:root`)
      match = 'account';
  }
  return match;
}

/**
 * Evaluates a request of one role against its identity policies and the resource policy of the
 * bucket or key it targets (same account only). `aws:PrincipalArn` and `aws:PrincipalAccount`
 * are added to the request context from `principal`.
 *
 * Deciding statements: every matching Deny for `explicitDeny`; for `allowed`, the identity and
 * resource-policy Allows that together admit the request (for KMS, the key policy's Allow of the
 * account first, then the identity statements it lets count).
 *
 * @example
 * evaluateWithResourcePolicy(identity, { name: 'key', kind: 'kms', account, document }, {
 *   principal: 'arn:aws:iam::111111111111:role/slipway/bootstrap/slipway-dev-github-plan',
 *   action: 'kms:Decrypt',
 *   resource: 'arn:aws:kms:eu-west-1:111111111111:key/…',
 *   context: { 'kms:EncryptionContext:slipway:purpose': 'plan' },
 * }); // { decision: 'explicitDeny', statements: ['key/DenyPlanRoleOpeningPlans'] }
 */
export function evaluateWithResourcePolicy(
  identity: NamedPolicy[],
  resourcePolicy: ResourcePolicy,
  request: PrincipalRequest,
): Decision {
  const callerAccount = request.principal.split(':')[4];
  if (callerAccount !== resourcePolicy.account)
    throw new UnsupportedPolicyElementError(
      `${resourcePolicy.name}: caller ${request.principal} is not of account ${resourcePolicy.account}; cross-account evaluation is not modelled`,
    );
  const context = {
    'aws:PrincipalArn': request.principal,
    'aws:PrincipalAccount': callerAccount,
    ...(request.context ?? {}),
  };
  const idAllows: string[] = [];
  const denies: string[] = [];
  for (const policy of identity) {
    const m = matching(policy, request, context, SUPPORTED_ELEMENTS);
    idAllows.push(...m.allows.map((a) => a.label));
    denies.push(...m.denies);
  }
  const kinds = new Map<string, 'caller' | 'account'>();
  const resource = matching(
    resourcePolicy,
    request,
    context,
    new Set([...SUPPORTED_ELEMENTS, 'Principal']),
    (s, label) => {
      const m = principalMatch(s, label, request.principal, resourcePolicy.account);
      if (m) kinds.set(label, m);
      return m !== undefined;
    },
  );
  denies.push(...resource.denies);
  if (denies.length > 0) return { decision: 'explicitDeny', statements: denies };
  const direct = resource.allows.filter((a) => kinds.get(a.label) === 'caller').map((a) => a.label);
  const delegated = resource.allows
    .filter((a) => kinds.get(a.label) === 'account')
    .map((a) => a.label);
  // S3, same account: the identity policy alone suffices. KMS: only if the key policy lets the
  // account's IAM policies count for this very request.
  const identityCounts = resourcePolicy.kind === 's3' || delegated.length > 0;
  const allows = [
    ...direct,
    ...(identityCounts && idAllows.length > 0
      ? [...(resourcePolicy.kind === 'kms' ? delegated : []), ...idAllows]
      : []),
  ];
  if (allows.length > 0) return { decision: 'allowed', statements: allows };
  return { decision: 'implicitDeny', statements: [] };
}
