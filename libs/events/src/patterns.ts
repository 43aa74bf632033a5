import { EventsError } from './errors';

/**
 * EventBridge event patterns: a matcher with EventBridge's semantics and a validator of the
 * pattern grammar, so the sandbox's bus routes like AWS and a broken pattern fails the build
 * instead of `PutRule` (issue 14).
 *
 * Written here because no maintained JavaScript matcher covers the grammar (checked 2026-12-02:
 * `eb-patterns` is not in the npm registry; `serverless-offline-aws-eventbridge` 2.2.4, last
 * published 2024-12-13, is a Serverless plugin that pulls express, mqtt and the AWS SDK; DivMode's
 * eventkit only types patterns, it does not match them; AWS's own engine, aws/event-ruler, is Java).
 *
 * Semantics follow the EventBridge user guide and aws/event-ruler, the engine behind it:
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 * - https://github.com/aws/event-ruler#readme (array consistency, `$or`, wildcard escapes)
 */

/** An EventBridge event pattern: fields of the event, each a list of values or operators, or nested fields. */
export type EventPattern = Record<string, unknown>;

/** One problem in an event pattern: where (`detail.amount[0].numeric`) and what to do about it. */
export interface EventPatternIssue {
  /** The field, `$or` alternative or list element, dotted; `(root)` for the pattern itself. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** An event pattern broke the grammar; `issues` lists each problem with its path. */
export class EventPatternError extends EventsError {
  readonly issues: EventPatternIssue[];

  constructor(issues: EventPatternIssue[], options?: { cause?: unknown }) {
    super(
      `Invalid EventBridge event pattern: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      options,
    );
    this.name = 'EventPatternError';
    this.issues = issues;
  }
}

/**
 * EventBridge's default "Event pattern size" quota, in characters (adjustable per account).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
export const EVENT_PATTERN_MAX_LENGTH = 2048;

/**
 * The numeric range EventBridge compares, -5.0e9 to +5.0e9 inclusive, as aws/event-ruler's README
 * states (older user guide pages said ±1.0e9; a bound outside the newer range would never match).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
const NUMERIC_LIMIT = 5e9;

const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;
type Operator = (typeof OPERATORS)[number];
const OPERATOR_LIST = OPERATORS.join(', ');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Scalar = null | boolean | number | string;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `the list ${JSON.stringify(value)}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return `the object ${JSON.stringify(value)}`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
};

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/**
 * Whether `event` matches `pattern` the way an EventBridge rule decides it:
 * - every field named in the pattern must match (AND); each field's list matches if any of its
 *   values or operators does (OR); `$or: [p1, p2, …]` at any level matches if any alternative does;
 * - an array in the event matches if any element does, nested arrays included; fields inside the
 *   objects of one array must match within the same element (event-ruler's array consistency);
 * - `null` and `""` are values (matched by `[null]` and `[""]`); an absent field matches only
 *   `{"exists": false}`, which holds when no value exists at that path anywhere in the event;
 *   `exists` only sees leaves, so a field holding an object or `[]` does not exist;
 * - `prefix`, `suffix`, `equals-ignore-case`, `wildcard` and `cidr` match strings only, `numeric`
 *   JSON numbers only; everything else is exact and case-sensitive;
 * - `anything-but` matches every present value its argument does not match, of any type.
 *
 * One difference stays: the event arrives parsed, so `300` and `300.0` are the same number here,
 * while EventBridge compares exact numeric values by their JSON text.
 *
 * @throws {EventPatternError} if `pattern` breaks the grammar ({@link validateEventPattern}); a
 *   valid pattern never throws, so a rule never silently matches differently from AWS.
 * @example
 * matchesEventPattern(
 *   { source: ['aws.s3'], detail: { object: { key: [{ prefix: 'uploads/' }] } } },
 *   { source: 'aws.s3', detail: { object: { key: 'uploads/a.jpg' } } },
 * ); // true
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  // The size quota is AWS's deploy-time limit, not grammar: the local bus matches any size.
  const issues = validateEventPattern(pattern, { maxLength: Number.POSITIVE_INFINITY });
  if (issues.length) throw new EventPatternError(issues);
  return matchFields(pattern, event, event, []);
}

function matchFields(
  pattern: Record<string, unknown>,
  node: unknown,
  root: unknown,
  keys: string[],
): boolean {
  if (Array.isArray(node)) {
    // Crush the array out of the path; an empty one is an absent value (only absence matches).
    return node.length
      ? node.some((element) => matchFields(pattern, element, root, keys))
      : matchFields(pattern, undefined, root, keys);
  }
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or' && Array.isArray(rule))
      return rule.some((alternative) =>
        matchFields(alternative as Record<string, unknown>, node, root, keys),
      );
    const value = isRecord(node) && Object.hasOwn(node, key) ? node[key] : undefined;
    if (Array.isArray(rule)) return matchLeaf(rule, value, root, [...keys, key]);
    return matchFields(rule as Record<string, unknown>, value, root, [...keys, key]);
  });
}

/** The scalar values at a node: itself, or every scalar in it if it is a (nested) array. */
function leavesOf(node: unknown): Scalar[] {
  if (node === undefined || isRecord(node)) return [];
  if (Array.isArray(node)) return node.flatMap(leavesOf);
  return [node as Scalar];
}

/** Every scalar at `keys` from the event's root, through every array on the way. */
function leavesAt(node: unknown, keys: string[]): Scalar[] {
  if (Array.isArray(node)) return node.flatMap((element) => leavesAt(element, keys));
  if (!keys.length) return leavesOf(node);
  if (!isRecord(node) || !Object.hasOwn(node, keys[0])) return [];
  return leavesAt(node[keys[0]], keys.slice(1));
}

function matchLeaf(rules: unknown[], value: unknown, root: unknown, keys: string[]): boolean {
  const values = leavesOf(value);
  return rules.some((rule) => {
    if (!isRecord(rule)) return values.some((v) => v === rule);
    const [op, arg] = Object.entries(rule)[0] as [Operator, Json];
    if (op === 'exists') return arg ? values.length > 0 : leavesAt(root, keys).length === 0;
    return values.some((v) => matchOperator(op, arg, v));
  });
}

const lower = (text: string) => text.toLowerCase();

function matchOperator(op: Operator, arg: Json, value: Scalar): boolean {
  switch (op) {
    case 'prefix':
      return (
        typeof value === 'string' &&
        (typeof arg === 'string'
          ? value.startsWith(arg)
          : lower(value).startsWith(lower(ignoreCaseArg(arg))))
      );
    case 'suffix':
      return (
        typeof value === 'string' &&
        (typeof arg === 'string'
          ? value.endsWith(arg)
          : lower(value).endsWith(lower(ignoreCaseArg(arg))))
      );
    case 'equals-ignore-case':
      return typeof value === 'string' && lower(value) === lower(arg as string);
    case 'wildcard':
      return typeof value === 'string' && wildcardRegExp(arg as string).test(value);
    case 'numeric':
      return typeof value === 'number' && matchNumeric(arg as Json[], value);
    case 'cidr':
      return typeof value === 'string' && inCidr(arg as string, value);
    case 'anything-but':
      return !matchAnythingButArgument(arg, value);
    case 'exists':
      // Handled in matchLeaf: absence is a property of the path, not of one value.
      return false;
  }
}

const ignoreCaseArg = (arg: Json) => (arg as Record<string, string>)['equals-ignore-case'];

function matchAnythingButArgument(arg: Json, value: Scalar): boolean {
  if (Array.isArray(arg)) return arg.includes(value);
  if (!isRecord(arg)) return value === arg;
  const [op, inner] = Object.entries(arg)[0] as [Operator, Json];
  const candidates = Array.isArray(inner) ? inner : [inner];
  return candidates.some((candidate) => matchOperator(op, candidate, value));
}

function matchNumeric(conditions: Json[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const bound = conditions[i + 1] as number;
    const holds = {
      '=': value === bound,
      '<': value < bound,
      '<=': value <= bound,
      '>': value > bound,
      '>=': value >= bound,
    }[conditions[i] as string];
    if (!holds) return false;
  }
  return true;
}

/** `*` matches any run of characters (none included); `\*` and `\\` are a literal `*` and `\`. */
function wildcardRegExp(wildcard: string): RegExp {
  let source = '';
  for (let i = 0; i < wildcard.length; i += 1) {
    const char = wildcard[i];
    if (char === '\\') {
      i += 1;
      source += `\\${wildcard[i]}`;
    } else if (char === '*') source += '.*';
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

// ---------------------------------------------------------------------------------------------
// IP addresses (cidr), IPv4 and IPv6, as 32- and 128-bit integers
// ---------------------------------------------------------------------------------------------

interface Ip {
  bits: 32 | 128;
  value: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255))
    return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  let rest = text;
  const groups: string[] = [];
  // An embedded IPv4 (::ffff:10.0.0.1) is the last 32 bits.
  const v4 = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(rest);
  if (v4) {
    const value = parseIpv4(v4[1]);
    if (value === undefined) return undefined;
    groups.push(((value >> 16n) & 0xffffn).toString(16), (value & 0xffffn).toString(16));
    rest = rest.slice(0, -v4[1].length);
    if (!rest.endsWith('::')) rest = rest.slice(0, -1);
  }
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const explicit = head.length + tail.length + groups.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  const all = [...head, ...Array<string>(8 - explicit).fill('0'), ...tail, ...groups];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

function parseIp(text: string): Ip | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { bits: 32, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 === undefined ? undefined : { bits: 128, value: v6 };
}

function parseCidr(text: string): (Ip & { length: number }) | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const ip = match ? parseIp(match[1]) : undefined;
  if (!match || !ip || Number(match[2]) > ip.bits) return undefined;
  return { ...ip, length: Number(match[2]) };
}

function inCidr(cidr: string, address: string): boolean {
  const block = parseCidr(cidr) as Ip & { length: number };
  const ip = parseIp(address);
  if (!ip || ip.bits !== block.bits) return false;
  const shift = BigInt(block.bits - block.length);
  return ip.value >> shift === block.value >> shift;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/**
 * Checks `pattern` against EventBridge's event pattern grammar and documented limits, so a
 * manifest's broken pattern fails the build rather than `PutRule`:
 * - a non-empty JSON object whose fields hold a non-empty list or nested fields (no empty `{}`);
 * - list elements are strings, numbers, booleans, `null` or one-operator objects, the operators
 *   being `prefix`/`suffix` (string or `{"equals-ignore-case": string}`), `equals-ignore-case`
 *   and `cidr` (strings), `wildcard` (no `**`, `\` escapes only `*` and `\`), `exists`
 *   (boolean), `numeric` (`[op, n]` or an increasing `[">"|">=", low, "<"|"<=", high]`, numbers
 *   within ±5e9) and `anything-but` (a string, number, non-empty list of only strings or only
 *   numbers, `{"prefix"|"suffix": string}` or `{"equals-ignore-case"|"wildcard": string | string[]}`);
 * - `$or` is a list of at least two patterns;
 * - the pattern's JSON is at most `maxLength` characters (EventBridge's 2,048 by default).
 *
 * @returns every issue found, each with the path of the field (`detail.amount[0].numeric`)
 *   and a message that says what to change; `[]` for a valid pattern.
 * @example
 * validateEventPattern({ detail: { amount: [{ numeric: ['>', 10, '<', 5] }] } });
 * // [{ path: 'detail.amount[0].numeric', message: 'the range must increase: …' }]
 */
export function validateEventPattern(
  pattern: unknown,
  options: { maxLength?: number } = {},
): EventPatternIssue[] {
  const issues: EventPatternIssue[] = [];
  if (!isRecord(pattern)) {
    issues.push({
      path: '(root)',
      message: `an event pattern must be a JSON object of fields, such as {"source": ["my.app"]}: got ${describe(pattern)}`,
    });
    return issues;
  }
  if (!Object.keys(pattern).length) {
    issues.push({
      path: '(root)',
      message:
        'an empty pattern is rejected by EventBridge: name at least one field to match, such as "source": ["my.app"]',
    });
    return issues;
  }
  validateFields(pattern, '', issues);
  const maxLength = options.maxLength ?? EVENT_PATTERN_MAX_LENGTH;
  const length = JSON.stringify(pattern).length;
  if (length > maxLength)
    issues.push({
      path: '(root)',
      message: `the pattern is ${length} characters of JSON, over EventBridge's event pattern size quota of ${maxLength}: split it into several rules or match on fewer values`,
    });
  return issues;
}

function validateFields(
  fields: Record<string, unknown>,
  path: string,
  issues: EventPatternIssue[],
): void {
  for (const [key, rule] of Object.entries(fields)) {
    const at = join(path, key);
    if (key === '$or') validateOr(rule, at, issues);
    else if (Array.isArray(rule)) validateList(rule, at, issues);
    else if (isRecord(rule)) {
      if (Object.keys(rule).length) validateFields(rule, at, issues);
      else
        issues.push({
          path: at,
          message: `an empty object is rejected by EventBridge: name the nested fields to match inside it, or remove "${key}"`,
        });
    } else
      issues.push({
        path: at,
        message: `a field takes a list of values or operators, or an object of nested fields: got ${describe(rule)}; wrap it in a list, such as [${JSON.stringify(rule)}]`,
      });
  }
}

function validateOr(rule: unknown, path: string, issues: EventPatternIssue[]): void {
  if (!Array.isArray(rule) || rule.length < 2) {
    issues.push({
      path,
      message: `$or takes a list of at least two patterns, such as "$or": [{"state": ["stopped"]}, {"code": [500]}]: got ${describe(rule)}; for a single alternative drop the $or`,
    });
    return;
  }
  rule.forEach((alternative, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(alternative) || !Object.keys(alternative).length)
      issues.push({
        path: at,
        message: `each $or alternative is a non-empty object of fields, such as {"state": ["stopped"]}: got ${describe(alternative)}`,
      });
    else validateFields(alternative, at, issues);
  });
}

function validateList(list: unknown[], path: string, issues: EventPatternIssue[]): void {
  if (!list.length) {
    issues.push({
      path,
      message:
        'an empty list matches nothing and is rejected by EventBridge: list at least one value or operator, such as ["value"] or [{"exists": true}], or remove the field',
    });
    return;
  }
  list.forEach((element, i) => {
    const at = `${path}[${i}]`;
    if (Array.isArray(element))
      issues.push({
        path: at,
        message: `a list cannot hold a list: put its values in the field's own list, such as [${element.map((e) => JSON.stringify(e)).join(', ')}]`,
      });
    else if (isRecord(element)) validateOperator(element, at, issues);
    else if (typeof element === 'number' && !Number.isFinite(element))
      issues.push({ path: at, message: `${element} is not a JSON number: use a finite number` });
  });
}

function validateOperator(
  matcher: Record<string, unknown>,
  path: string,
  issues: EventPatternIssue[],
): void {
  const ops = Object.keys(matcher);
  if (ops.length !== 1) {
    issues.push({
      path,
      message: ops.length
        ? `an operator object holds exactly one operator, got ${ops.join(', ')}: put each in its own object in the list (the list ORs them)`
        : `an empty object is not a value or an operator: use one of ${OPERATOR_LIST}, such as {"prefix": "us-"}`,
    });
    return;
  }
  const [op] = ops;
  const arg = matcher[op];
  const at = `${path}.${op}`;
  const problem = (message: string) => issues.push({ path: at, message });
  switch (op) {
    case 'prefix':
    case 'suffix':
      if (typeof arg === 'string') return;
      if (
        isRecord(arg) &&
        Object.keys(arg).length === 1 &&
        typeof arg['equals-ignore-case'] === 'string'
      )
        return;
      return void problem(
        `${op} takes a string, or {"equals-ignore-case": "..."} to ignore case: got ${describe(arg)}`,
      );
    case 'equals-ignore-case':
      if (typeof arg !== 'string')
        problem(`equals-ignore-case takes a string: got ${describe(arg)}`);
      return;
    case 'wildcard':
      if (typeof arg !== 'string')
        return void problem(`wildcard takes a string: got ${describe(arg)}`);
      return void checkWildcard(arg, problem);
    case 'exists':
      if (typeof arg !== 'boolean')
        problem(`exists takes true or false (not a string): got ${describe(arg)}`);
      return;
    case 'cidr':
      if (typeof arg !== 'string' || !parseCidr(arg))
        problem(
          `cidr takes an IPv4 or IPv6 block with its prefix length, such as "10.0.0.0/24" or "2001:db8::/32": got ${describe(arg)}`,
        );
      return;
    case 'numeric':
      return void checkNumeric(arg, problem);
    case 'anything-but':
      return void checkAnythingBut(arg, problem);
    default:
      problem(`unknown operator "${op}": EventBridge supports ${OPERATOR_LIST}`);
  }
}

function checkWildcard(wildcard: string, problem: (message: string) => void): void {
  let previousWasWildcard = false;
  for (let i = 0; i < wildcard.length; i += 1) {
    const char = wildcard[i];
    if (char === '\\') {
      const next = wildcard[i + 1];
      if (next !== '*' && next !== '\\')
        return problem(
          `a backslash in a wildcard may only escape * or \\ (${JSON.stringify(wildcard)}): write \\\\ for a literal backslash`,
        );
      i += 1;
      previousWasWildcard = false;
    } else if (char === '*') {
      if (previousWasWildcard)
        return problem(
          `consecutive * are rejected by EventBridge (${JSON.stringify(wildcard)}): one * already matches any run of characters`,
        );
      previousWasWildcard = true;
    } else previousWasWildcard = false;
  }
}

const SINGLE_OPS = ['=', '<', '<=', '>', '>='];
const NUMERIC_SHAPE =
  'numeric takes [operator, number] with "=", "<", "<=", ">" or ">=", or a range [">" or ">=", low, "<" or "<=", high], such as [">", 0, "<=", 5]';

function checkNumeric(arg: unknown, problem: (message: string) => void): void {
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4))
    return problem(`${NUMERIC_SHAPE}: got ${describe(arg)}`);
  const numbers = arg.filter((_, i) => i % 2 === 1);
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n)))
    return problem(`${NUMERIC_SHAPE}: the bounds must be numbers, got ${describe(arg)}`);
  const outside = (numbers as number[]).find((n) => Math.abs(n) > NUMERIC_LIMIT);
  if (outside !== undefined)
    return problem(
      `EventBridge compares numbers between -5e9 and 5e9 only: ${outside} is out of range`,
    );
  if (arg.length === 2) {
    if (!SINGLE_OPS.includes(arg[0] as string))
      problem(`${NUMERIC_SHAPE}: got the operator ${JSON.stringify(arg[0])}`);
    return;
  }
  const [lowOp, low, highOp, high] = arg as [unknown, number, unknown, number];
  if (lowOp !== '>' && lowOp !== '>=')
    return problem(
      `a numeric range starts with its lower bound, ">" or ">=": got ${JSON.stringify(lowOp)}; write it as [">", low, "<=", high]`,
    );
  if (highOp !== '<' && highOp !== '<=')
    return problem(
      `a numeric range ends with its upper bound, "<" or "<=": got ${JSON.stringify(highOp)}; write it as [">", low, "<=", high]`,
    );
  if (!(low < high))
    problem(
      `the range must increase: its lower bound ${low} is not below its upper bound ${high}; swap them or fix the bounds`,
    );
}

const ANYTHING_BUT_SHAPE =
  'anything-but takes a string, a number, a list of only strings or only numbers, {"prefix": "..."}, {"suffix": "..."}, {"equals-ignore-case": "..." or [...]} or {"wildcard": "..." or [...]}';

function checkAnythingBut(arg: unknown, problem: (message: string) => void): void {
  if (typeof arg === 'string' || (typeof arg === 'number' && Number.isFinite(arg))) return;
  if (Array.isArray(arg)) {
    if (!arg.length) return problem(`${ANYTHING_BUT_SHAPE}: got an empty list`);
    const strings = arg.every((v) => typeof v === 'string');
    const numbers = arg.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!strings && !numbers)
      problem(
        `an anything-but list holds only strings or only numbers: got ${describe(arg)}; split other values into separate matchers`,
      );
    return;
  }
  if (!isRecord(arg) || Object.keys(arg).length !== 1)
    return problem(`${ANYTHING_BUT_SHAPE}: got ${describe(arg)}`);
  const [[op, inner]] = Object.entries(arg);
  switch (op) {
    case 'prefix':
    case 'suffix':
      if (typeof inner !== 'string')
        problem(
          `anything-but {"${op}"} takes one string: got ${describe(inner)}; to exclude several, use {"wildcard": [${op === 'prefix' ? '"a*", "b*"' : '"*a", "*b"'}]}`,
        );
      return;
    case 'equals-ignore-case':
    case 'wildcard': {
      const list = Array.isArray(inner) ? inner : [inner];
      if (!list.length || !list.every((v) => typeof v === 'string'))
        return problem(
          `anything-but {"${op}"} takes a string or a non-empty list of strings: got ${describe(inner)}`,
        );
      if (op === 'wildcard') list.forEach((w) => checkWildcard(w as string, problem));
      return;
    }
    default:
      problem(`${ANYTHING_BUT_SHAPE}: got the operator "${op}"`);
  }
}
