/**
 * Terraform's built-in functions as the evaluator runs them, checked against Terraform itself
 * (tests/fixtures/expressions/table.yaml, `terraform console` in
 * tests/integration/expression-vs-terraform.spec.ts). Where Terraform would fail, a function
 * throws {@link EvalError} (the value becomes unknown, with Terraform's reason); where the engine
 * cannot reproduce Terraform exactly, it throws {@link UnknownSignal} with a reason. Never a guess.
 *
 * Semantics worth knowing (each a row of the table): strings are sorted and compared by code
 * point (Go compares UTF-8 bytes); maps iterate in key order; numbers are decimal (`0.1 + 0.2` is
 * `0.3`, Terraform computes with 512-bit floats); lists of mixed primitives unify to strings
 * (`sort([10, "a"])`, `true ? 1 : "a"`); `length` and `substr` count grapheme clusters; regexes
 * are RE2 ({@link compileRe2}).
 */
import { createHash } from 'node:crypto';
import { isUnknown, type UnknownValue } from '../model';
import { compileRe2, findAll, RegexInvalid, RegexUnsupported, replaceAll } from './re2';

/** Terraform rejects the expression (the message says why); the value is unknown. */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}

/**
 * The value cannot be known: an input is unknown (`value`), or the engine does not reproduce
 * Terraform here (`reason`).
 */
export class UnknownSignal extends Error {
  constructor(
    readonly value?: UnknownValue,
    readonly reason?: string,
  ) {
    super(reason ?? 'unknown input');
    this.name = 'UnknownSignal';
  }
}

/** Throws {@link EvalError}. */
export function fail(msg: string): never {
  throw new EvalError(msg);
}

/** Throws {@link UnknownSignal} with a reason: the engine does not reproduce Terraform here. */
export function unsupported(reason: string): never {
  throw new UnknownSignal(undefined, reason);
}

/** `v`, or throws {@link UnknownSignal} carrying it when unknown. */
export function known<T>(v: T): T {
  if (isUnknown(v)) throw new UnknownSignal(v);
  return v;
}

/** Go's string order: by code point (UTF-8 byte order), not by UTF-16 unit. */
export function cmpStr(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

/** Keys of a map or object in Terraform's iteration order. */
export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort(cmpStr);
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v);

// ---------------------------------------------------------------- numbers

/** A number as an exact decimal: `int / 10^scale`. */
function dec(n: number): [bigint, number] {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n));
  if (!m) fail(`${n} is not a finite number`);
  const frac = m[3] ?? '';
  let int = BigInt(`${m[1]}${m[2]}${frac}`);
  let scale = frac.length - Number(m[4] ?? 0);
  if (scale < 0) {
    int *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return [int, scale];
}

/** Decimal text of `int / 10^scale`. */
function decText(int: bigint, scale: number): string {
  const neg = int < 0n;
  let digits = (neg ? -int : int).toString().padStart(scale + 1, '0');
  if (scale > 0) {
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '');
  }
  return `${neg && digits !== '0' ? '-' : ''}${digits}`;
}

/** `+ - * %` in exact decimal arithmetic (Terraform's numbers are not binary doubles). */
export function arith(op: string, l: number, r: number): number {
  // Terraform divides by zero to an infinity (which jsonencode and templates then refuse).
  if (op === '/') return l / r;
  if (!Number.isFinite(l) || !Number.isFinite(r))
    unsupported('arithmetic on an infinity is not evaluated');
  const [a, sa] = dec(l);
  const [b, sb] = dec(r);
  const scale = Math.max(sa, sb);
  const A = a * 10n ** BigInt(scale - sa);
  const B = b * 10n ** BigInt(scale - sb);
  switch (op) {
    case '+':
      return Number(decText(A + B, scale));
    case '-':
      return Number(decText(A - B, scale));
    case '*':
      return Number(decText(a * b, sa + sb));
    case '%':
      if (B === 0n) fail('divide by zero');
      return Number(decText(A % B, scale));
  }
  fail(`unknown operator ${op}`);
}

/**
 * Terraform's text of a number: plain decimal, no exponent. A value that needs more than 15
 * significant digits (`1/3`) is not reproduced: Terraform prints its 512-bit value.
 */
export function numText(n: number): string {
  if (!Number.isFinite(n)) fail(`${n} is not a number Terraform can represent`);
  if (Number.isInteger(n)) {
    if (Number.isSafeInteger(n)) return String(n);
    // Beyond 2^53 a double is exact only for a literal like 1e21 (few significant digits).
    const digits = BigInt(n).toString();
    if (digits.replace(/0+$/, '').replace('-', '').length > 15)
      unsupported(`${n} is beyond 2^53: Terraform's exact integer is not reproduced`);
    return digits;
  }
  const [int, scale] = dec(n);
  const significant = (int < 0n ? -int : int).toString().replace(/0+$/, '').length;
  if (significant > 15)
    unsupported(
      `${n} has ${significant} significant digits: Terraform prints its 512-bit value, not this double's`,
    );
  return decText(int, scale);
}

/** Terraform's string → number conversion (decimal only: no hex, no spaces, not empty). */
export function parseNumber(s: string): number {
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s))
    fail(`cannot convert "${s}" to number: a number is required`);
  return Number(s);
}

/** A number argument, converting strings as Terraform does; bools and collections fail. */
export function toNum(v: unknown): number {
  known(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseNumber(v);
  if (v === null) fail('a number is required, not null');
  fail(`a number is required, not ${typeName(v)}`);
}

const typeName = (v: unknown) =>
  Array.isArray(v) ? 'a list' : v && typeof v === 'object' ? 'an object' : typeof v;

/** A whole number argument. */
function toInt(v: unknown, what = 'value'): number {
  const n = toNum(v);
  if (!Number.isInteger(n)) fail(`${what} must be a whole number, not ${n}`);
  return n;
}

// ---------------------------------------------------------------- strings and types

/** Terraform's string conversion of a primitive (numbers as {@link numText}). */
export function toStr(v: unknown): string {
  known(v);
  if (v === null || v === undefined) fail('a string is required, not null');
  if (typeof v === 'object') fail(`a string is required, not ${typeName(v)}`);
  if (typeof v === 'number') return numText(v);
  return String(v);
}

/**
 * Terraform's type unification of primitives (a list of "any", both branches of a conditional,
 * coalesce's arguments): numbers and bools become strings when a string is among them; a number
 * and a bool do not unify. Collections are left as they are.
 */
export function unify(values: unknown[]): unknown[] {
  const kinds = new Set(values.filter((v) => v !== null).map((v) => typeof v));
  if (kinds.has('object') || kinds.size <= 1) return values;
  if (kinds.has('string')) return values.map((v) => (v === null ? null : toStr(v)));
  fail('all values must have the same type: a number and a bool do not unify');
}

/** A list argument (a tuple, list or set); maps and objects are not lists. */
export function asList(v: unknown): unknown[] {
  known(v);
  if (Array.isArray(v)) return v;
  if (v === null) fail('a list is required, not null');
  fail(`a list is required, not ${typeName(v)}`);
}

/** A map or object argument. */
function asMap(v: unknown): Record<string, unknown> {
  known(v);
  if (isObj(v)) return v;
  fail(`a map is required, not ${v === null ? 'null' : typeName(v)}`);
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** The grapheme clusters of `s` (what Terraform's `length` and `substr` count). */
const chars = (s: string) => [...graphemes.segment(s)].map((g) => g.segment);

/** Go's simple (one code point to one) case mapping: `upper("ß")` stays `ß`. */
function mapCase(s: string, upper: boolean): string {
  return [...s]
    .map((c) => {
      const m = upper ? c.toUpperCase() : c.toLowerCase();
      if ([...m].length === 1) return m;
      return !upper && c === '\u0130' ? 'i' : c;
    })
    .join('');
}

/** Go's `strings.Title`: the first letter of each word upper-cased, the rest untouched. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    const sep =
      prev.codePointAt(0)! <= 0x7f
        ? !/[A-Za-z0-9_]/.test(prev)
        : /\s/u.test(prev) || !/[\p{L}\p{N}]/u.test(prev);
    out += sep ? mapCase(c, true) : c;
    prev = c;
  }
  return out;
}

// ---------------------------------------------------------------- encoders

/** Terraform's `jsonencode`: keys sorted, `<`, `>`, `&`, U+2028/9 escaped as Go does. */
export function jsonencode(v: unknown): string {
  known(v);
  if (v === null) return 'null';
  if (typeof v === 'number') return numText(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string')
    return JSON.stringify(v).replace(
      /[<>&\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  if (Array.isArray(v)) return `[${v.map(jsonencode).join(',')}]`;
  if (isObj(v)) {
    const o = v;
    return `{${sortedKeys(o)
      .map((k) => `${jsonencode(k)}:${jsonencode(o[k])}`)
      .join(',')}}`;
  }
  fail(`cannot encode ${typeof v} as JSON`);
}

/** A YAML double-quoted scalar, or {@link unsupported} when it needs escapes we do not reproduce. */
function yamlString(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused here
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(s))
    unsupported('yamlencode of a string with control characters: the escapes are not reproduced');
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Terraform's `yamlencode` for the shapes modules use; other shapes are unknown. */
export function yamlencode(v: unknown): string {
  const scalar = (x: unknown): string | undefined => {
    known(x);
    if (x === null) return 'null';
    if (typeof x === 'boolean') return String(x);
    if (typeof x === 'number') return numText(x);
    if (typeof x === 'string' && !x.includes('\n')) return yamlString(x);
    if (Array.isArray(x) && x.length === 0) return '[]';
    if (isObj(x) && Object.keys(x).length === 0) return '{}';
    return undefined;
  };
  const block = (s: string, indent: string): string => {
    const lines = s.split('\n');
    const chomp = s.endsWith('\n') ? '' : '-';
    if (s.endsWith('\n')) lines.pop();
    if (/\n\n$/.test(s) || /^[ \t]/.test(s) || lines.some((l) => /[ \t]$/.test(l)))
      unsupported('yamlencode of a multi-line string with edge whitespace is not reproduced');
    return `|${chomp}\n${lines.map((l) => (l ? `${indent}${l}` : '')).join('\n')}`;
  };
  // go-yaml's layout: a map's entries two spaces in from their key, a list's items at their
  // key's own indentation, the first entry of a map or list in a list on the dash's line.
  const afterKey = (x: unknown, ki: string): string => {
    const sc = scalar(x);
    if (sc !== undefined) return ` ${sc}`;
    if (typeof x === 'string') return ` ${block(x, `${ki}  `)}`;
    if (Array.isArray(x)) return `\n${listLines(x, ki)}`;
    return `\n${mapLines(asMap(x), `${ki}  `)}`;
  };
  const mapLines = (o: Record<string, unknown>, ki: string): string =>
    sortedKeys(o)
      .map((k) => `${ki}${yamlString(k)}:${afterKey(o[k], ki)}`)
      .join('\n');
  const listLines = (l: unknown[], li: string): string =>
    l.map((item) => `${li}-${itemBody(item, li)}`).join('\n');
  const itemBody = (x: unknown, li: string): string => {
    const sc = scalar(x);
    if (sc !== undefined) return ` ${sc}`;
    if (typeof x === 'string') return ` ${block(x, `${li}  `)}`;
    const inner = `${li}  `;
    const lines = Array.isArray(x) ? listLines(x, inner) : mapLines(asMap(x), inner);
    return ` ${lines.slice(inner.length)}`;
  };
  const top = scalar(v);
  if (top !== undefined) return `${top}\n`;
  if (typeof v === 'string') return `${block(v, '  ')}\n`;
  return `${Array.isArray(v) ? listLines(v, '') : mapLines(asMap(v), '')}\n`;
}

// ---------------------------------------------------------------- format

/** Go-style `%q`. */
function quote(s: string): string {
  return JSON.stringify(s)
    .replace(/\\u00([0-1][0-9a-f])/g, (_m, h: string) => `\\x${h}`)
    .replace(/[\u2028\u2029\u007f]/g, (c) =>
      c === '\u007f' ? '\\x7f' : `\\u${c.charCodeAt(0).toString(16)}`,
    );
}

/** Go's `%.<p>f`: an exact tie rounds to even (JavaScript's toFixed rounds it up). */
function toFixed(n: number, p: number): string {
  const scaled = Math.abs(n) * 10 ** p;
  if (scaled % 1 === 0.5 && scaled / 10 ** p === Math.abs(n)) {
    const down = Math.floor(scaled);
    const even = down % 2 === 0 ? down : down + 1;
    return (Math.sign(n) * (even / 10 ** p)).toFixed(p);
  }
  return n.toFixed(p);
}

/** Terraform's `format` (https://developer.hashicorp.com/terraform/language/functions/format). */
export function format(fmt: string, args: unknown[]): string {
  let next = 0;
  let used = 0;
  const verbRe = /%(?:%|([-+# 0]*)(?:\[(\d+)\])?(\d+)?(?:\.(\d*))?(#?)([a-zA-Z]))/g;
  const out = fmt.replace(
    verbRe,
    (whole, flags = '', argIndex, width, precision, hash: string, verb: string) => {
      if (whole === '%%') return '%';
      if (argIndex !== undefined) next = Number(argIndex) - 1;
      if (next >= args.length)
        fail(`not enough arguments for "${whole}" at ${next + 1}: need ${next + 1}`);
      const arg = known(args[next++]);
      used = Math.max(used, next);
      const f = flags + hash;
      const prec = precision === undefined ? undefined : Number(precision || 0);
      let s: string;
      switch (verb) {
        case 'v':
          if (f.includes('#')) s = jsonencode(arg);
          else if (arg === null) s = 'null';
          else if (typeof arg === 'object') s = jsonencode(arg);
          else s = toStr(arg);
          break;
        case 's':
          s = toStr(arg);
          if (prec !== undefined) s = [...s].slice(0, prec).join('');
          break;
        case 'q':
          s = quote(toStr(arg));
          break;
        case 't':
          if (typeof arg !== 'boolean' && arg !== 'true' && arg !== 'false')
            fail(`%t requires a bool, not ${typeName(arg)}`);
          s = String(arg);
          break;
        case 'd':
        case 'b':
        case 'o':
        case 'x':
        case 'X': {
          if (typeof arg === 'string' && 'xX'.includes(verb))
            unsupported('%x of a string (its bytes in hex) is not reproduced');
          const n = toInt(arg);
          const base = { d: 10, b: 2, o: 8, x: 16, X: 16 }[verb]!;
          s = Math.abs(n).toString(base);
          if (verb === 'X') s = s.toUpperCase();
          if (f.includes('#') && verb !== 'd')
            s = ({ b: '0b', o: '0', x: '0x', X: '0X' }[verb] ?? '') + s;
          s = (n < 0 ? '-' : f.includes('+') ? '+' : f.includes(' ') ? ' ' : '') + s;
          break;
        }
        case 'f':
        case 'e':
        case 'E': {
          const n = toNum(arg);
          const p = prec ?? 6;
          s = verb === 'f' ? toFixed(n, p) : n.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
          if (verb === 'E') s = s.toUpperCase();
          if (n >= 0 && f.includes('+')) s = `+${s}`;
          else if (n >= 0 && f.includes(' ')) s = ` ${s}`;
          break;
        }
        case 'g':
        case 'G':
          unsupported(`%${verb} (Go's shortest float format) is not reproduced`);
          break;
        default:
          fail(`unsupported format verb %${verb}`);
      }
      const w = width === undefined ? 0 : Number(width);
      const len = [...s].length;
      if (len < w) {
        if (f.includes('-')) s += ' '.repeat(w - len);
        else if (f.includes('0') && 'dbfeExXo'.includes(verb)) {
          const sign = /^[-+ ]/.test(s) ? s[0] : '';
          s = sign + '0'.repeat(w - len) + s.slice(sign.length);
        } else s = ' '.repeat(w - len) + s;
      }
      return s;
    },
  );
  if (used < args.length) fail(`too many arguments; only ${used} used by format string`);
  return out;
}

// ---------------------------------------------------------------- networks

function parseIpv4(s: string): number {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    if (s.includes(':')) unsupported('IPv6 addresses are not evaluated');
    fail(`invalid IP address "${s}"`);
  }
  return parts.reduce((a, p) => a * 256 + Number(p), 0);
}

const ipText = (n: number) => [24, 16, 8, 0].map((sh) => Math.floor(n / 2 ** sh) % 256).join('.');

function parseCidr(s: string): { base: number; len: number } {
  const m = /^([^/]+)\/(\d+)$/.exec(s);
  if (!m) fail(`invalid CIDR address "${s}"`);
  const ip = parseIpv4(m[1]);
  const len = Number(m[2]);
  if (len > 32) fail(`invalid CIDR prefix length in "${s}"`);
  const size = 2 ** (32 - len);
  return { base: Math.floor(ip / size) * size, len };
}

function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const { base, len } = parseCidr(prefix);
  const newLen = len + newbits;
  if (newbits < 0 || newLen > 32)
    fail(`insufficient address space to extend prefix of ${len} by ${newbits}`);
  if (netnum < 0 || netnum >= 2 ** newbits)
    fail(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
  return `${ipText(base + netnum * 2 ** (32 - newLen))}/${newLen}`;
}

function cidrhost(prefix: string, hostnum: number): string {
  const { base, len } = parseCidr(prefix);
  const size = 2 ** (32 - len);
  const n = hostnum < 0 ? size + hostnum : hostnum;
  if (n < 0 || n >= size) fail(`prefix of ${len} does not accommodate a host numbered ${hostnum}`);
  return ipText(base + n);
}

function cidrsubnets(prefix: string, bits: number[]): string[] {
  const { base, len } = parseCidr(prefix);
  let cursor = base;
  const end = base + 2 ** (32 - len);
  return bits.map((b) => {
    const newLen = len + b;
    if (b < 1 || newLen > 32)
      fail(`would extend prefix to ${newLen} bits, which is too long for an IPv4 address`);
    const size = 2 ** (32 - newLen);
    const start = Math.ceil(cursor / size) * size;
    if (start + size > end)
      fail(`not enough remaining address space for a subnet with a prefix of ${newLen} bits`);
    cursor = start + size;
    return `${ipText(start)}/${newLen}`;
  });
}

// ---------------------------------------------------------------- sets

/** Terraform's set of primitives: unified, de-duplicated, in cty's order (strings by code point, numbers by value). */
function toSet(values: unknown[]): unknown[] {
  const u = unify(values.map(known));
  if (u.some((x) => x !== null && typeof x === 'object'))
    unsupported('the order of a set of collections is Terraform hash order, not reproduced');
  const seen = new Map<string, unknown>();
  for (const x of u) seen.set(JSON.stringify(x), x);
  return [...seen.values()].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : typeof a === 'boolean'
        ? Number(a) - Number(b)
        : cmpStr(String(a), String(b)),
  );
}

/** RFC 4122's name-based namespaces, by the names Terraform's uuidv5 accepts. */
const UUID_NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};

/** Terraform's uuidv5: an RFC 4122 version 5 (SHA-1, name-based) UUID, deterministic. */
function uuidv5(namespace: string, name: string): string {
  const ns = UUID_NAMESPACES[namespace] ?? namespace;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ns))
    fail(`uuidv5() doesn't support namespace ${namespace}: use dns, url, oid, x500 or a UUID`);
  const hash = createHash('sha1')
    .update(Buffer.from(ns.replace(/-/g, ''), 'hex'))
    .update(name)
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const same = (a: unknown, b: unknown) => jsonencode(a) === jsonencode(b);

// ---------------------------------------------------------------- the functions

/** Functions the engine does not evaluate, and why (their calls are unknown with this reason). */
export const NOT_EVALUATED: Record<string, string> = {
  file: 'reads a file governance does not load',
  fileexists: 'reads the file system',
  fileset: 'reads the file system',
  filebase64: 'reads a file governance does not load',
  filemd5: 'reads a file governance does not load',
  filesha256: 'reads a file governance does not load',
  templatefile: 'renders a file governance does not load',
  timestamp: 'the time of the run',
  plantimestamp: 'the time of the plan',
  uuid: 'a new random value per run',
  bcrypt: 'a new random salt per run',
};

/** Calls built-in `fn` on evaluated arguments. @throws EvalError, UnknownSignal */
export function builtin(fn: string, a: unknown[]): unknown {
  const str = (v: unknown) => toStr(v);
  switch (fn) {
    case 'jsonencode':
      return jsonencode(a[0]);
    case 'jsondecode':
      try {
        return JSON.parse(str(a[0]));
      } catch (error) {
        if (error instanceof SyntaxError) fail(`invalid JSON: ${error.message}`);
        throw error;
      }
    case 'yamlencode':
      return yamlencode(a[0]);
    case 'concat':
      return a.flatMap((x) => asList(x));
    case 'merge': {
      const out: Record<string, unknown> = {};
      for (const x of a) {
        if (known(x) === null) continue;
        Object.assign(out, asMap(x));
      }
      return out;
    }
    case 'coalesce': {
      if (a.length === 0) fail('coalesce needs at least one argument');
      const u = unify(a.map(known));
      for (const x of u) if (x !== null && x !== '') return x;
      fail('no non-null, non-empty-string arguments');
      break;
    }
    case 'coalescelist':
      for (const x of a) if (asList(x).length) return x;
      fail('no non-null arguments');
      break;
    case 'length': {
      const x = known(a[0]);
      if (typeof x === 'string') return chars(x).length;
      if (isObj(x)) return Object.keys(x).length;
      return asList(x).length;
    }
    case 'lower':
      return mapCase(str(a[0]), false);
    case 'upper':
      return mapCase(str(a[0]), true);
    case 'title':
      return title(str(a[0]));
    case 'format':
      return format(str(a[0]), a.slice(1));
    case 'formatlist': {
      const f = str(a[0]);
      const rest = a.slice(1).map(known);
      const lists = rest.filter(Array.isArray) as unknown[][];
      const n = lists.length ? lists[0].length : 1;
      if (lists.some((l) => l.length !== n)) fail('all list arguments must have the same length');
      return Array.from({ length: n }, (_, i) =>
        format(
          f,
          rest.map((x) => (Array.isArray(x) ? x[i] : x)),
        ),
      );
    }
    case 'join': {
      const sep = str(a[0]);
      if (a.length < 2) fail('join needs at least one list');
      return a
        .slice(1)
        .flatMap((l) => asList(l))
        .map((x) => (known(x) === null ? fail('join: null in the list') : str(x)))
        .join(sep);
    }
    case 'split': {
      const sep = str(a[0]);
      const s = str(a[1]);
      return sep === '' ? [...s] : s.split(sep);
    }
    case 'distinct': {
      const out: unknown[] = [];
      for (const x of unify(asList(a[0]).map(known))) if (!out.some((y) => same(x, y))) out.push(x);
      return out;
    }
    case 'flatten': {
      const flat = (x: unknown): unknown[] => (Array.isArray(x) ? x.flatMap(flat) : [known(x)]);
      return asList(a[0]).flatMap(flat);
    }
    case 'compact':
      return asList(a[0]).filter((x) => known(x) !== null && x !== '');
    case 'tostring': {
      const x = known(a[0]);
      return x === null ? null : str(x);
    }
    case 'tonumber': {
      const x = known(a[0]);
      if (x === null) return null;
      if (typeof x === 'boolean') fail('cannot convert bool to number');
      return toNum(x);
    }
    case 'tobool': {
      const x = known(a[0]);
      if (x === null || typeof x === 'boolean') return x;
      if (x === 'true' || x === 'false') return x === 'true';
      fail(`cannot convert ${JSON.stringify(x)} to bool: only "true" or "false" is allowed`);
      break;
    }
    case 'tolist':
      return unify(asList(a[0]).map(known));
    case 'toset':
      return toSet(asList(a[0]));
    case 'tomap': {
      const o = asMap(a[0]);
      const keys = sortedKeys(o);
      const vals = unify(keys.map((k) => known(o[k])));
      return Object.fromEntries(keys.map((k, i) => [k, vals[i]]));
    }
    case 'contains': {
      const v = known(a[1]);
      return asList(a[0]).some((x) => same(known(x), v));
    }
    case 'keys':
      return sortedKeys(asMap(a[0]));
    case 'values': {
      const o = asMap(a[0]);
      return sortedKeys(o).map((k) => o[k]);
    }
    case 'lookup': {
      const o = asMap(a[0]);
      const k = str(a[1]);
      if (a.length > 2) {
        if (k in o) return o[k];
        return a[2];
      }
      if (k in o) return o[k];
      fail(`lookup failed to find key "${k}"`);
      break;
    }
    case 'element': {
      const l = asList(a[0]);
      if (l.length === 0) fail('cannot use element function with an empty list');
      const i = toInt(a[1], 'index') % l.length;
      if (i < 0) fail('cannot use element function with a negative index');
      return l[Math.abs(i)];
    }
    case 'index': {
      const i = asList(a[0]).findIndex((x) => same(known(x), known(a[1])));
      if (i < 0) fail('item not found');
      return i;
    }
    case 'slice': {
      const l = asList(a[0]);
      const from = toInt(a[1]);
      const to = toInt(a[2]);
      if (from < 0 || to > l.length || from > to) fail('slice indices out of range');
      return l.slice(from, to);
    }
    case 'one': {
      const l = asList(a[0]);
      if (l.length > 1)
        fail('must be a list, set, or tuple value with either zero or one elements');
      return l.length ? l[0] : null;
    }
    case 'substr': {
      const s = chars(str(a[0]));
      let off = toInt(a[1], 'offset');
      const len = toInt(a[2], 'length');
      if (off < 0) off = Math.max(0, s.length + off);
      if (off > s.length) return '';
      return (len < 0 ? s.slice(off) : s.slice(off, off + len)).join('');
    }
    case 'replace': {
      const s = str(a[0]);
      const sub = str(a[1]);
      const rep = str(a[2]);
      if (sub.length > 1 && sub.startsWith('/') && sub.endsWith('/'))
        return replaceAll(re(sub.slice(1, -1)), s, rep);
      // Go's strings.Replace with an empty old string inserts at every code point boundary.
      if (sub === '') return [...s].reduce((acc, c) => acc + c + rep, rep);
      return s.split(sub).join(rep);
    }
    case 'regex': {
      const c = re(str(a[0]));
      const m = findAll(c, str(a[1]))[0];
      if (!m) fail('pattern did not match any part of the given string');
      return captures(m, c.names);
    }
    case 'regexall': {
      const c = re(str(a[0]));
      return findAll(c, str(a[1])).map((m) => captures(m, c.names));
    }
    case 'trimprefix': {
      const s = str(a[0]);
      const p = str(a[1]);
      return s.startsWith(p) ? s.slice(p.length) : s;
    }
    case 'trimsuffix': {
      const s = str(a[0]);
      const p = str(a[1]);
      return s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
    }
    case 'trimspace':
      return str(a[0]).replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
    case 'trim': {
      const cut = new Set([...str(a[1])]);
      const cs = [...str(a[0])];
      let i = 0;
      let j = cs.length;
      while (i < j && cut.has(cs[i])) i++;
      while (j > i && cut.has(cs[j - 1])) j--;
      return cs.slice(i, j).join('');
    }
    case 'chomp':
      return str(a[0]).replace(/(\r\n|\n|\r)+$/, '');
    case 'startswith':
      return str(a[0]).startsWith(str(a[1]));
    case 'endswith':
      return str(a[0]).endsWith(str(a[1]));
    case 'strcontains':
      return str(a[0]).includes(str(a[1]));
    case 'strrev':
      return chars(str(a[0])).reverse().join('');
    case 'min':
    case 'max': {
      if (a.length === 0) fail(`${fn} needs at least one argument`);
      const n = a.map(toNum);
      return fn === 'min' ? Math.min(...n) : Math.max(...n);
    }
    case 'sum': {
      const l = asList(a[0]);
      if (l.length === 0) fail('cannot sum an empty list');
      return l.map(toNum).reduce((x, y) => arith('+', x, y));
    }
    case 'abs':
      return Math.abs(toNum(a[0]));
    case 'floor':
      return Math.floor(toNum(a[0]));
    case 'ceil':
      return Math.ceil(toNum(a[0]));
    case 'signum':
      return Math.sign(toNum(a[0]));
    case 'pow':
      return toNum(a[0]) ** toNum(a[1]);
    case 'parseint': {
      const s = str(a[0]);
      const base = toInt(a[1]);
      if (base < 2 || base > 62) fail('base must be a whole number between 2 and 62');
      if (base > 36) unsupported('parseint with a base above 36 is not evaluated');
      const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
      const body = s.replace(/^[-+]/, '');
      if (!body || ![...body.toLowerCase()].every((c) => digits.includes(c)))
        fail(`cannot parse "${s}" as a base ${base} integer`);
      const n = parseInt(s, base);
      if (!Number.isSafeInteger(n)) unsupported('parseint beyond 2^53 is not evaluated');
      return n;
    }
    case 'range': {
      const n = a.map(toNum);
      if (n.length < 1 || n.length > 3) fail('range needs one to three arguments');
      const [start, end] = n.length === 1 ? [0, n[0]] : [n[0], n[1]];
      const step = n[2] ?? (start <= end ? 1 : -1);
      if (step === 0) fail('step must not be zero');
      if ((step > 0 && start > end) || (step < 0 && start < end))
        fail('start and limit must be in the order step says');
      const out: number[] = [];
      for (let i = start; step > 0 ? i < end : i > end; i = arith('+', i, step)) {
        if (out.length >= 1024) fail('more than 1024 values were generated');
        out.push(i);
      }
      return out;
    }
    case 'zipmap': {
      const k = asList(a[0]);
      const v = asList(a[1]);
      if (k.length !== v.length)
        fail(`number of keys (${k.length}) does not match number of values (${v.length})`);
      return Object.fromEntries(k.map((key, i) => [str(key), v[i]]));
    }
    case 'anytrue':
      return asList(a[0]).some((x) => known(x) === true || x === 'true');
    case 'alltrue':
      return asList(a[0]).every((x) => known(x) === true || x === 'true');
    case 'sort':
      return asList(a[0])
        .map((x) => (known(x) === null ? fail('sort: null in the list') : str(x)))
        .sort(cmpStr);
    case 'reverse':
      return [...asList(a[0])].reverse();
    case 'setunion':
      if (a.length === 0) fail('setunion needs at least one set');
      return toSet(a.flatMap((x) => asList(x)));
    case 'setintersection': {
      if (a.length === 0) fail('setintersection needs at least one set');
      const sets = a.map((x) => toSet(asList(x)));
      return toSet(
        sets[0].filter((x) => sets.every((s) => s.some((y) => same(String(x), String(y))))),
      );
    }
    case 'setsubtract': {
      const [l, r] = [toSet(asList(a[0])), toSet(asList(a[1]))];
      return l.filter((x) => !r.some((y) => same(x, y)));
    }
    case 'cidrsubnet':
      return cidrsubnet(str(a[0]), toInt(a[1]), toInt(a[2]));
    case 'cidrhost':
      return cidrhost(str(a[0]), toInt(a[1]));
    case 'cidrnetmask': {
      const { len } = parseCidr(str(a[0]));
      return ipText(2 ** 32 - 2 ** (32 - len));
    }
    case 'cidrsubnets':
      return cidrsubnets(
        str(a[0]),
        a.slice(1).map((x) => toInt(x)),
      );
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'md5':
      return createHash(fn).update(str(a[0])).digest('hex');
    case 'uuidv5':
      return uuidv5(str(a[0]), str(a[1]));
    case 'base64encode':
      return Buffer.from(str(a[0])).toString('base64');
    case 'base64decode': {
      const s = str(a[0]);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4) fail('failed to decode base64 data');
      return Buffer.from(s, 'base64').toString('utf8');
    }
    case 'urlencode':
      return encodeURIComponent(str(a[0]))
        .replace(/%20/g, '+')
        .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    default:
      unsupported(
        NOT_EVALUATED[fn]
          ? `${fn}() is not evaluated: ${NOT_EVALUATED[fn]}`
          : `${fn}() is not a function governance evaluates`,
      );
  }
}

function re(pattern: string) {
  try {
    return compileRe2(pattern);
  } catch (error) {
    if (error instanceof RegexUnsupported) unsupported(`regex ${pattern}: ${error.message}`);
    if (error instanceof RegexInvalid)
      fail(`invalid regular expression ${pattern}: ${error.message}`);
    throw error;
  }
}

/** `regex`'s result for one match: the match, a list of groups, or a map of named groups. */
function captures(m: RegExpExecArray, names: (string | undefined)[]): unknown {
  if (m.length === 1) return m[0];
  const named = names.filter((n) => n !== undefined);
  if (named.length && named.length !== names.length)
    fail('invalid regular expression: cannot mix both named and unnamed capture groups');
  if (named.length) return Object.fromEntries(names.map((n, i) => [n!, m[i + 1] ?? null]));
  return m.slice(1).map((x) => x ?? null);
}
