/**
 * IAM policy documents in the three shapes governance meets: a JSON string (plans, `jsonencode`
 * fully known), an object (HCL `jsonencode({...})` with unknown parts left in place) and an
 * `aws_iam_policy_document` data source body (converted here to the JSON shape).
 */
import { UNKNOWN, isUnknown, type UnknownValue } from './model';

/** One normalized statement. Lists may hold {@link UNKNOWN} elements. */
export interface Statement {
  sid?: string;
  effect: 'Allow' | 'Deny' | 'Unknown';
  actions: unknown[];
  notActions: unknown[];
  resources: unknown[];
  notResources: unknown[];
  /** Principals as `type:identifier` strings (`*` for the bare wildcard); UNKNOWN elements kept. */
  principals: unknown[];
  hasCondition: boolean;
  /** Condition keys present (e.g. `aws:SourceArn`), lowercased. */
  conditionKeys: string[];
  /** Raw condition block. */
  condition?: Record<string, Record<string, unknown>>;
}

/**
 * Parses a policy value. Returns `undefined` when absent or not a policy, {@link UNKNOWN} when
 * the document is not known (then rules report nothing).
 */
export function parsePolicy(value: unknown): Statement[] | UnknownValue | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (isUnknown(value)) return value;
  let doc: unknown = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!doc || typeof doc !== 'object') return undefined;
  if (isUnknown(doc)) return doc;
  const statements = (doc as Record<string, unknown>).Statement;
  if (isUnknown(statements)) return statements;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  return list.map((s) =>
    isUnknown(s) ? unknownStatement() : normalize(s as Record<string, unknown>),
  );
}

function unknownStatement(): Statement {
  return {
    effect: 'Unknown',
    actions: [UNKNOWN],
    notActions: [],
    resources: [UNKNOWN],
    notResources: [],
    principals: [],
    hasCondition: false,
    conditionKeys: [],
  };
}

const list = (v: unknown): unknown[] =>
  v === undefined || v === null ? [] : isUnknown(v) ? [UNKNOWN] : Array.isArray(v) ? v : [v];

function normalize(s: Record<string, unknown>): Statement {
  const effect = isUnknown(s.Effect) ? 'Unknown' : s.Effect === 'Deny' ? 'Deny' : 'Allow';
  const principals: unknown[] = [];
  const addPrincipals = (p: unknown) => {
    if (p === undefined || p === null) return;
    if (isUnknown(p)) principals.push(UNKNOWN);
    else if (typeof p === 'string') principals.push(p === '*' ? '*' : `AWS:${p}`);
    else if (typeof p === 'object')
      for (const [type, ids] of Object.entries(p as Record<string, unknown>))
        for (const id of list(ids))
          principals.push(isUnknown(id) ? UNKNOWN : id === '*' ? '*' : `${type}:${String(id)}`);
  };
  addPrincipals(s.Principal);
  const condition =
    s.Condition && typeof s.Condition === 'object' && !isUnknown(s.Condition)
      ? (s.Condition as Record<string, Record<string, unknown>>)
      : undefined;
  const conditionKeys = condition
    ? Object.values(condition).flatMap((byKey) =>
        byKey && typeof byKey === 'object' ? Object.keys(byKey).map((k) => k.toLowerCase()) : [],
      )
    : [];
  return {
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    effect,
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    principals,
    hasCondition: !!condition || isUnknown(s.Condition),
    conditionKeys,
    condition,
  };
}

/**
 * Why a policy string is not a JSON document (a heredoc with a trailing comma), with the line
 * and column inside the document; `undefined` when it parses, is not a string, or is empty.
 * {@link parsePolicy} reads such a value as absent, so SLW-IAM-005 reports it.
 */
export function policyJsonError(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    JSON.parse(value);
    return undefined;
  } catch (error) {
    const at = (pos: number) => {
      const before = value.slice(0, pos).split('\n');
      return `line ${before.length} column ${before[before.length - 1].length + 1} of the document`;
    };
    // The commonest mistake, named the same way whatever the JavaScript engine says.
    const trailing = /,(?=\s*[}\]])/.exec(value);
    if (trailing) return `a trailing comma at ${at(trailing.index)}`;
    const message = (error as Error).message;
    const pos = /position (\d+)/.exec(message)?.[1];
    const text = message.split(/ in JSON| \(line|, "/)[0];
    return pos ? `${text} at ${at(Number(pos))}` : text;
  }
}

/**
 * Converts an evaluated `aws_iam_policy_document` body into the JSON document shape (as an
 * object: callers `jsonencode` it if they need text).
 */
export function policyDocumentFromDataSource(body: Record<string, unknown>): unknown {
  const statements = body.statement;
  if (isUnknown(statements)) return UNKNOWN;
  const out = (Array.isArray(statements) ? statements : []).map((raw) => {
    const s = raw as Record<string, unknown>;
    const principals = (type: string) => {
      const p = s[type];
      if (isUnknown(p)) return UNKNOWN;
      if (!Array.isArray(p) || p.length === 0) return undefined;
      const byType: Record<string, unknown[]> = {};
      for (const b of p as Record<string, unknown>[]) {
        const t = String(b.type);
        (byType[t] ??= []).push(...list(b.identifiers));
      }
      if (byType['*']) return '*';
      return byType;
    };
    const conditions = Array.isArray(s.condition) ? (s.condition as Record<string, unknown>[]) : [];
    const condition: Record<string, Record<string, unknown>> = {};
    for (const c of conditions) (condition[String(c.test)] ??= {})[String(c.variable)] = c.values;
    const doc: Record<string, unknown> = {
      Sid: s.sid,
      Effect: s.effect ?? 'Allow',
      Action: s.actions,
      NotAction: s.not_actions,
      Resource: s.resources,
      NotResource: s.not_resources,
      Principal: principals('principals'),
      NotPrincipal: principals('not_principals'),
    };
    if (conditions.length) doc.Condition = condition;
    return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined));
  });
  return { Version: '2012-10-17', Statement: out };
}

/** Lowercased `service:action` patterns of a statement's known actions. */
export function knownStrings(values: unknown[]): string[] {
  return values.filter((v): v is string => typeof v === 'string');
}

/**
 * True when an action pattern (`s3:Get*`) could match the action (`s3:GetObject`).
 * Case-insensitive, like IAM.
 */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(action);
}
