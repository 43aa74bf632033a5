/**
 * A small evaluator for the HCL expressions `@cdktn/hcl2json` and CDK Terrain leave as `${...}`
 * strings.
 *
 * Why: checkov reads `var.x` as an opaque string, so a module whose safety depends on a variable
 * default or on the caller's argument is either always flagged or never. Evaluating the common
 * subset (references, conditionals, operators, collections, `for` expressions and the functions
 * modules actually use) lets governance see `sse_algorithm = var.kms_key_arn == null ? "AES256" :
 * "aws:kms"` as `"AES256"` when the caller passes no key. Anything outside the subset, and every
 * resource attribute (known only after apply), evaluates to {@link UNKNOWN} — never to a guess.
 */
import { createHash } from 'node:crypto';
import { UNKNOWN, isUnknown, unknownFrom } from '../model';

/** Parsed expression. */
export type Expr =
  | { k: 'lit'; v: unknown }
  | { k: 'tpl'; parts: (string | Expr)[] }
  | { k: 'ref'; root: string }
  | { k: 'get'; obj: Expr; key: Expr }
  | { k: 'attr'; obj: Expr; name: string }
  | { k: 'splat'; obj: Expr; rest: { name?: string; index?: Expr }[] }
  | { k: 'call'; fn: string; args: Expr[]; expand: boolean }
  | { k: 'un'; op: string; e: Expr }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'cond'; c: Expr; t: Expr; f: Expr }
  | { k: 'tuple'; items: Expr[] }
  | { k: 'obj'; items: { key: Expr; value: Expr }[] }
  | {
      k: 'for';
      kv: boolean;
      keyVar?: string;
      valVar: string;
      coll: Expr;
      keyExpr?: Expr;
      valExpr: Expr;
      cond?: Expr;
      group: boolean;
    };

/** Raised when an expression does not parse; callers treat the value as unknown. */
export class ExpressionSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

class EvalError extends Error {}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    const s = this.s;
    for (;;) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '#' || (c === '/' && s[this.i + 1] === '/')) {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === '/' && s[this.i + 1] === '*') {
        const end = s.indexOf('*/', this.i + 2);
        this.i = end < 0 ? s.length : end + 2;
      } else return;
    }
  }

  peek(tok: string): boolean {
    this.ws();
    return this.s.startsWith(tok, this.i);
  }

  eat(tok: string): boolean {
    if (this.peek(tok)) {
      this.i += tok.length;
      return true;
    }
    return false;
  }

  expect(tok: string): void {
    if (!this.eat(tok))
      throw new ExpressionSyntaxError(`expected "${tok}" at ${this.i} in ${this.s.slice(0, 80)}`);
  }

  ident(): string | undefined {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i, this.i + 200));
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }

  /** Template text until `stop` (`"` for quoted strings, end of input for top-level templates). */
  template(stop: '"' | null): Expr {
    const parts: (string | Expr)[] = [];
    let buf = '';
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (stop && c === stop) break;
      if (c === '\\' && stop) {
        const n = s[this.i + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (n === 'u') {
          buf += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else {
          buf += map[n] ?? n;
          this.i += 2;
        }
        continue;
      }
      if ((c === '$' || c === '%') && s[this.i + 1] === '{') {
        if (s[this.i - 1] === c && buf.endsWith(c)) {
          // "$${" escapes a literal "${"
          buf = buf.slice(0, -1) + c + '{';
          this.i += 2;
          continue;
        }
        if (buf) parts.push(buf);
        buf = '';
        this.i += 2;
        if (c === '%') {
          // Template directives (%{ if }, %{ for }) are not evaluated.
          const end = s.indexOf('}', this.i);
          this.i = end < 0 ? s.length : end + 1;
          parts.push({ k: 'lit', v: UNKNOWN });
          continue;
        }
        this.eat('~');
        const e = this.expr();
        this.eat('~');
        this.expect('}');
        parts.push(e);
        continue;
      }
      buf += c;
      this.i++;
    }
    if (buf) parts.push(buf);
    if (parts.length === 0) return { k: 'lit', v: '' };
    if (parts.length === 1 && typeof parts[0] === 'string') return { k: 'lit', v: parts[0] };
    return { k: 'tpl', parts };
  }

  expr(): Expr {
    const c = this.or();
    if (this.eat('?')) {
      const t = this.expr();
      this.expect(':');
      const f = this.expr();
      return { k: 'cond', c, t, f };
    }
    return c;
  }

  binary(next: () => Expr, ops: string[]): Expr {
    let l = next();
    for (;;) {
      this.ws();
      const op = ops.find(
        (o) =>
          this.s.startsWith(o, this.i) &&
          // "=" of "==" must not be taken as "=>" or "="; "<"/">" must not eat "<="/">=".
          !(o.length === 1 && '<>'.includes(o) && this.s[this.i + 1] === '=') &&
          !(o === '*' && this.s[this.i + 1] === ']'),
      );
      if (!op) return l;
      this.i += op.length;
      l = { k: 'bin', op, l, r: next() };
    }
  }

  or = (): Expr => this.binary(this.and, ['||']);
  and = (): Expr => this.binary(this.eq, ['&&']);
  eq = (): Expr => this.binary(this.cmp, ['==', '!=']);
  cmp = (): Expr => this.binary(this.add, ['<=', '>=', '<', '>']);
  add = (): Expr => this.binary(this.mul, ['+', '-']);
  mul = (): Expr => this.binary(this.unary, ['*', '/', '%']);

  unary = (): Expr => {
    if (this.peek('!') && !this.peek('!=')) {
      this.i++;
      return { k: 'un', op: '!', e: this.unary() };
    }
    if (this.peek('-') && !/[0-9]/.test(this.s[this.i + 1] ?? '')) {
      this.i++;
      return { k: 'un', op: '-', e: this.unary() };
    }
    return this.postfix(this.primary());
  };

  postfix(e: Expr): Expr {
    for (;;) {
      this.ws();
      const s = this.s;
      if (s.startsWith('.*', this.i) || s.startsWith('[*]', this.i)) {
        this.i += s[this.i] === '.' ? 2 : 3;
        const rest: { name?: string; index?: Expr }[] = [];
        for (;;) {
          if (this.peek('.') && !this.peek('..')) {
            this.i++;
            const name = this.ident();
            if (!name) throw new ExpressionSyntaxError('attribute name expected after splat');
            rest.push({ name });
          } else if (this.peek('[') && !this.peek('[*')) {
            this.i++;
            rest.push({ index: this.expr() });
            this.expect(']');
          } else break;
        }
        e = { k: 'splat', obj: e, rest };
      } else if (s[this.i] === '.' && s[this.i + 1] !== '.') {
        this.i++;
        const num = /^[0-9]+/.exec(s.slice(this.i));
        if (num) {
          this.i += num[0].length;
          e = { k: 'get', obj: e, key: { k: 'lit', v: Number(num[0]) } };
        } else {
          const name = this.ident();
          if (!name) throw new ExpressionSyntaxError(`attribute name expected at ${this.i}`);
          e = { k: 'attr', obj: e, name };
        }
      } else if (s[this.i] === '[') {
        this.i++;
        const key = this.expr();
        this.expect(']');
        e = { k: 'get', obj: e, key };
      } else return e;
    }
  }

  primary(): Expr {
    this.ws();
    const s = this.s;
    const c = s[this.i];
    if (c === undefined) throw new ExpressionSyntaxError('unexpected end of expression');
    if (c === '(') {
      this.i++;
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (c === '"') {
      this.i++;
      const t = this.template('"');
      this.expect('"');
      return t;
    }
    if (s.startsWith('<<', this.i)) {
      const m = /^<<-?([A-Za-z_]+)\r?\n/.exec(s.slice(this.i));
      if (!m) throw new ExpressionSyntaxError('bad heredoc');
      const start = this.i + m[0].length;
      const endRe = new RegExp(`\\n\\s*${m[1]}\\b`);
      const rel = endRe.exec(s.slice(start));
      if (!rel) throw new ExpressionSyntaxError('unterminated heredoc');
      const body = s.slice(start, start + rel.index + 1);
      this.i = start + rel.index + rel[0].length;
      return new Parser(body).template(null);
    }
    const num = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(this.i, this.i + 50));
    if (num || (c === '-' && /[0-9]/.test(s[this.i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(this.i, this.i + 50))!;
      this.i += m[0].length;
      return { k: 'lit', v: Number(m[0]) };
    }
    if (c === '[') {
      this.i++;
      if (this.peekKeyword('for')) return this.forExpr(']');
      const items: Expr[] = [];
      while (!this.eat(']')) {
        items.push(this.expr());
        if (!this.eat(',')) {
          this.expect(']');
          break;
        }
      }
      return { k: 'tuple', items };
    }
    if (c === '{') {
      this.i++;
      if (this.peekKeyword('for')) return this.forExpr('}');
      const items: { key: Expr; value: Expr }[] = [];
      while (!this.eat('}')) {
        let key: Expr;
        this.ws();
        if (this.s[this.i] === '(') key = this.primary();
        else {
          const save = this.i;
          const id = this.ident();
          if (id && (this.peek('=') || this.peek(':')) && !this.peek('=='))
            key = { k: 'lit', v: id };
          else {
            this.i = save;
            key = this.expr();
          }
        }
        if (!this.eat('=')) this.expect(':');
        items.push({ key, value: this.expr() });
        this.eat(',');
      }
      return { k: 'obj', items };
    }
    const id = this.ident();
    if (!id) throw new ExpressionSyntaxError(`unexpected "${c}" at ${this.i}`);
    if (id === 'true') return { k: 'lit', v: true };
    if (id === 'false') return { k: 'lit', v: false };
    if (id === 'null') return { k: 'lit', v: null };
    if (this.peek('(')) {
      this.i++;
      const args: Expr[] = [];
      let expand = false;
      while (!this.eat(')')) {
        args.push(this.expr());
        if (this.eat('...')) expand = true;
        if (!this.eat(',')) {
          this.expect(')');
          break;
        }
      }
      // provider::aws::fn(...) style names are not supported; plain names only.
      return { k: 'call', fn: id, args, expand };
    }
    return { k: 'ref', root: id };
  }

  peekKeyword(word: string): boolean {
    this.ws();
    if (this.s.startsWith(word, this.i) && /[\s]/.test(this.s[this.i + word.length] ?? '')) {
      this.i += word.length;
      return true;
    }
    return false;
  }

  forExpr(close: ']' | '}'): Expr {
    const first = this.ident();
    if (!first) throw new ExpressionSyntaxError('for variable expected');
    let keyVar: string | undefined;
    let valVar = first;
    if (this.eat(',')) {
      keyVar = first;
      const second = this.ident();
      if (!second) throw new ExpressionSyntaxError('for value variable expected');
      valVar = second;
    }
    if (!this.peekKeyword('in')) throw new ExpressionSyntaxError('"in" expected');
    const coll = this.expr();
    this.expect(':');
    let keyExpr: Expr | undefined;
    let valExpr = this.expr();
    let group = false;
    if (close === '}') {
      this.expect('=>');
      keyExpr = valExpr;
      valExpr = this.expr();
      if (this.eat('...')) group = true;
    }
    let cond: Expr | undefined;
    if (this.peekKeyword('if')) cond = this.expr();
    this.expect(close);
    return { k: 'for', kv: close === '}', keyVar, valVar, coll, keyExpr, valExpr, cond, group };
  }
}

const cache = new Map<string, Expr>();

/**
 * Parses a Terraform string as hcl2json leaves it: a template that may contain `${...}`.
 * A string that is exactly one `${expr}` yields `expr` itself (keeping its type).
 *
 * @throws ExpressionSyntaxError when the text is not an expression this parser understands.
 */
export function parseTemplate(text: string): Expr {
  let e = cache.get(text);
  if (e) return e;
  const p = new Parser(text);
  e = p.template(null);
  if (e.k === 'tpl' && e.parts.length === 1 && typeof e.parts[0] !== 'string') e = e.parts[0];
  if (cache.size > 50_000) cache.clear();
  cache.set(text, e);
  return e;
}

/** Resolves the roots of references (`var`, `local`, `aws_s3_bucket`, ...) during evaluation. */
export interface Scope {
  /** Value of a root name, or `undefined` when the root is not known to this scope. */
  root(name: string): unknown;
  /**
   * Resolves `<root>.<name>` for roots that are namespaces (var, local, module, data, resource
   * types). Return {@link UNKNOWN} when not resolvable.
   */
  member?(root: string, name: string, rest: string[]): unknown;
}

type Vars = Map<string, unknown>;

/** Evaluates a string (template) against a scope. Syntax errors give {@link UNKNOWN}. */
export function evaluateString(text: string, scope: Scope): unknown {
  if (!text.includes('${') && !text.includes('%{')) return text;
  let e: Expr;
  try {
    e = parseTemplate(text);
  } catch {
    return UNKNOWN;
  }
  return evaluate(e, scope);
}

/** Evaluates a parsed expression. Runtime errors give {@link UNKNOWN}. */
export function evaluate(e: Expr, scope: Scope, vars: Vars = new Map()): unknown {
  try {
    return ev(e, scope, vars);
  } catch (error) {
    if (error instanceof EvalError || error instanceof TypeError || error instanceof RangeError)
      return UNKNOWN;
    throw error;
  }
}

function fail(msg: string): never {
  throw new EvalError(msg);
}

/** Collects the static reference path of an expression like `aws_s3_bucket.this.id`. */
function refPath(e: Expr): string[] | undefined {
  if (e.k === 'ref') return [e.root];
  if (e.k === 'attr') {
    const p = refPath(e.obj);
    return p ? [...p, e.name] : undefined;
  }
  return undefined;
}

function ev(e: Expr, scope: Scope, vars: Vars): unknown {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'tpl': {
      let out = '';
      for (const p of e.parts) {
        if (typeof p === 'string') out += p;
        else {
          const v = ev(p, scope, vars);
          // Unresolved stays unresolved (with its expression); a string built from a value known
          // after apply is known after apply too, but is no longer that resource's attribute.
          if (isUnknown(v)) return v.kind === 'apply' ? unknownFrom('apply', v.expression) : v;
          out += toStr(v);
        }
      }
      return out;
    }
    case 'ref': {
      if (vars.has(e.root)) return vars.get(e.root);
      const v = scope.root(e.root);
      if (v === undefined) return UNKNOWN;
      return v;
    }
    case 'attr': {
      const path = refPath(e);
      if (path && path.length >= 2 && !vars.has(path[0]) && scope.member) {
        // Namespaced roots: var.x, local.x, module.m.out, data.t.n.attr, aws_x.y.attr
        const resolved = scope.member(path[0], path[1], path.slice(2));
        if (resolved !== undefined)
          return path.slice(2).reduce<unknown>((o, k) => index(o, k), resolved);
      }
      const obj = ev(e.obj, scope, vars);
      return index(obj, e.name);
    }
    case 'get': {
      const obj = ev(e.obj, scope, vars);
      const key = ev(e.key, scope, vars);
      if (isUnknown(key)) return UNKNOWN;
      return index(obj, key);
    }
    case 'splat': {
      const obj = ev(e.obj, scope, vars);
      if (isUnknown(obj)) return UNKNOWN;
      const list = obj === null ? [] : Array.isArray(obj) ? obj : [obj];
      return list.map((item) => {
        let v: unknown = item;
        for (const r of e.rest) {
          if (r.name !== undefined) v = index(v, r.name);
          else v = index(v, ev(r.index!, scope, vars));
        }
        return v;
      });
    }
    case 'un': {
      const v = ev(e.e, scope, vars);
      if (isUnknown(v)) return UNKNOWN;
      if (e.op === '!') return !v;
      return -Number(v);
    }
    case 'bin':
      return binary(e, scope, vars);
    case 'cond': {
      const c = ev(e.c, scope, vars);
      if (isUnknown(c)) {
        const t = ev(e.t, scope, vars);
        const f = ev(e.f, scope, vars);
        return !isUnknown(t) && JSON.stringify(t) === JSON.stringify(f) ? t : UNKNOWN;
      }
      return c ? ev(e.t, scope, vars) : ev(e.f, scope, vars);
    }
    case 'tuple':
      return e.items.map((i) => ev(i, scope, vars));
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const { key, value } of e.items) {
        const k = ev(key, scope, vars);
        if (isUnknown(k)) return UNKNOWN;
        out[toStr(k)] = ev(value, scope, vars);
      }
      return out;
    }
    case 'for':
      return forExpr(e, scope, vars);
    case 'call':
      return call(e, scope, vars);
  }
}

function binary(e: Extract<Expr, { k: 'bin' }>, scope: Scope, vars: Vars): unknown {
  const l = ev(e.l, scope, vars);
  if (e.op === '&&' && l === false) return false;
  if (e.op === '||' && l === true) return true;
  const r = ev(e.r, scope, vars);
  if (e.op === '&&')
    return isUnknown(l) ? (r === false ? false : UNKNOWN) : isUnknown(r) ? UNKNOWN : Boolean(r);
  if (e.op === '||')
    return isUnknown(l) ? (r === true ? true : UNKNOWN) : isUnknown(r) ? UNKNOWN : Boolean(r);
  if (isUnknown(l) || isUnknown(r)) return UNKNOWN;
  switch (e.op) {
    case '==':
      return JSON.stringify(l) === JSON.stringify(r);
    case '!=':
      return JSON.stringify(l) !== JSON.stringify(r);
    case '<':
      return Number(l) < Number(r);
    case '>':
      return Number(l) > Number(r);
    case '<=':
      return Number(l) <= Number(r);
    case '>=':
      return Number(l) >= Number(r);
    case '+':
      return Number(l) + Number(r);
    case '-':
      return Number(l) - Number(r);
    case '*':
      return Number(l) * Number(r);
    case '/':
      return Number(l) / Number(r);
    case '%':
      return Number(l) % Number(r);
  }
  return UNKNOWN;
}

function forExpr(e: Extract<Expr, { k: 'for' }>, scope: Scope, vars: Vars): unknown {
  const coll = ev(e.coll, scope, vars);
  if (isUnknown(coll)) return UNKNOWN;
  if (coll === null || typeof coll !== 'object') fail('for over a non-collection');
  const entries: [unknown, unknown][] = Array.isArray(coll)
    ? coll.map((v, i) => [i, v])
    : Object.entries(coll as Record<string, unknown>);
  const list: unknown[] = [];
  const map: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const inner = new Map(vars);
    if (e.keyVar) inner.set(e.keyVar, k);
    inner.set(e.valVar, v);
    if (e.cond) {
      const c = ev(e.cond, scope, inner);
      if (isUnknown(c)) return UNKNOWN;
      if (!c) continue;
    }
    if (!e.kv) list.push(ev(e.valExpr, scope, inner));
    else {
      const key = ev(e.keyExpr!, scope, inner);
      if (isUnknown(key)) return UNKNOWN;
      const value = ev(e.valExpr, scope, inner);
      const ks = toStr(key);
      if (e.group) ((map[ks] ??= []) as unknown[]).push(value);
      else map[ks] = value;
    }
  }
  return e.kv ? map : list;
}

function index(obj: unknown, key: unknown): unknown {
  // An attribute of an unknown is unknown for the same reason (kept for the rules that say why).
  if (isUnknown(obj)) return obj;
  if (obj === null || obj === undefined) fail(`cannot index null with ${String(key)}`);
  if (Array.isArray(obj)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= obj.length) fail('index out of range');
    return obj[i];
  }
  if (typeof obj === 'object') {
    const k = String(key);
    if (!(k in (obj as object))) fail(`no attribute ${k}`);
    return (obj as Record<string, unknown>)[k];
  }
  fail('cannot index a primitive');
}

/** Terraform's string conversion of a primitive. */
export function toStr(v: unknown): string {
  if (v === null || v === undefined) fail('null in string template');
  if (typeof v === 'object') fail('collection in string template');
  return String(v);
}

function known<T>(v: T): T {
  if (isUnknown(v)) throw new UnknownSignal();
  return v;
}

class UnknownSignal extends Error {}

function asList(v: unknown): unknown[] {
  known(v);
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return Object.values(v);
  if (v === null) fail('null collection');
  fail('not a collection');
}

/** JSON text of a value, with Terraform's key ordering; throws {@link UnknownSignal} on unknown. */
function jsonencode(v: unknown): string {
  const norm = (x: unknown): unknown => {
    if (isUnknown(x)) throw new UnknownSignal();
    if (Array.isArray(x)) return x.map(norm);
    if (x && typeof x === 'object')
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, norm((x as Record<string, unknown>)[k])]),
      );
    return x;
  };
  return JSON.stringify(norm(v));
}

function format(fmt: string, args: unknown[]): string {
  let i = 0;
  return fmt.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([sdvqftbeEgGxX%])/g, (_m, _flags, verb: string) => {
    if (verb === '%') return '%';
    const a = known(args[i++]);
    if (verb === 'q') return JSON.stringify(a);
    if (verb === 'd') return String(Math.trunc(Number(a)));
    return typeof a === 'object' ? JSON.stringify(a) : String(a);
  });
}

function call(e: Extract<Expr, { k: 'call' }>, scope: Scope, vars: Vars): unknown {
  if (e.fn === 'try' || e.fn === 'can') {
    for (const a of e.args) {
      try {
        const v = ev(a, scope, vars);
        if (isUnknown(v)) return UNKNOWN;
        return e.fn === 'can' ? true : v;
      } catch (error) {
        if (!(error instanceof EvalError || error instanceof TypeError)) throw error;
      }
    }
    if (e.fn === 'can') return false;
    fail('no try() argument succeeded');
  }
  let args = e.args.map((a) => ev(a, scope, vars));
  if (e.expand) {
    const last = args.pop();
    if (isUnknown(last)) return UNKNOWN;
    args = [...args, ...asList(last)];
  }
  try {
    return builtin(e.fn, args);
  } catch (error) {
    if (error instanceof UnknownSignal) return UNKNOWN;
    throw error;
  }
}

function builtin(fn: string, a: unknown[]): unknown {
  const str = (v: unknown) => toStr(known(v));
  switch (fn) {
    case 'jsonencode':
      try {
        return jsonencode(a[0]);
      } catch (error) {
        // Partly unknown documents stay objects so policy rules can still read the known parts.
        if (error instanceof UnknownSignal && a[0] && typeof a[0] === 'object' && !isUnknown(a[0]))
          return a[0];
        throw error;
      }
    case 'jsondecode':
      return JSON.parse(str(a[0]));
    case 'concat':
      return a.flatMap((x) => asList(x));
    case 'merge': {
      const out: Record<string, unknown> = {};
      for (const x of a) {
        known(x);
        if (x === null) continue;
        Object.assign(out, x);
      }
      return out;
    }
    case 'coalesce': {
      for (const x of a) {
        known(x);
        if (x !== null && x !== '') return x;
      }
      fail('coalesce: no non-null argument');
      break;
    }
    case 'coalescelist':
      for (const x of a) if (asList(x).length) return x;
      return [];
    case 'length': {
      const x = known(a[0]);
      if (typeof x === 'string') return [...x].length;
      return asList(x).length;
    }
    case 'lower':
      return str(a[0]).toLowerCase();
    case 'upper':
      return str(a[0]).toUpperCase();
    case 'format':
      return format(str(a[0]), a.slice(1));
    case 'join':
      return asList(a[1])
        .map((x) => str(x))
        .join(str(a[0]));
    case 'split':
      return str(a[1]).split(str(a[0]));
    case 'distinct': {
      const seen = new Set<string>();
      return asList(a[0]).filter((x) => {
        const k = JSON.stringify(known(x));
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }
    case 'flatten': {
      const flat = (x: unknown): unknown[] =>
        Array.isArray(x) ? x.flatMap(flat) : isUnknown(x) ? (known(x), []) : [x];
      return flat(known(a[0]));
    }
    case 'compact':
      return asList(a[0]).filter((x) => known(x) !== null && x !== '');
    case 'tostring':
      return a[0] === null ? null : str(a[0]);
    case 'tonumber':
      return a[0] === null ? null : Number(known(a[0]));
    case 'tobool':
      return a[0] === null ? null : known(a[0]) === true || a[0] === 'true';
    case 'tolist':
    case 'toset':
      return fn === 'toset'
        ? [...new Map(asList(a[0]).map((x) => [JSON.stringify(known(x)), x])).values()].sort()
        : asList(a[0]);
    case 'tomap':
      return known(a[0]);
    case 'contains':
      return asList(a[0]).some((x) => JSON.stringify(known(x)) === JSON.stringify(known(a[1])));
    case 'keys':
      return Object.keys(known(a[0]) as object).sort();
    case 'values': {
      const o = known(a[0]) as Record<string, unknown>;
      return Object.keys(o)
        .sort()
        .map((k) => o[k]);
    }
    case 'lookup': {
      const o = known(a[0]) as Record<string, unknown>;
      const k = str(a[1]);
      if (k in o) return o[k];
      if (a.length > 2) return a[2];
      fail('lookup: missing key');
      break;
    }
    case 'element': {
      const l = asList(a[0]);
      return l[Number(known(a[1])) % l.length];
    }
    case 'one': {
      const l = asList(a[0]);
      if (l.length > 1) fail('one: more than one element');
      return l.length ? l[0] : null;
    }
    case 'substr': {
      const s = str(a[0]);
      const off = Number(known(a[1]));
      const len = Number(known(a[2]));
      return len < 0 ? s.slice(off) : s.slice(off, off + len);
    }
    case 'replace': {
      const s = str(a[0]);
      const sub = str(a[1]);
      if (sub.startsWith('/') && sub.endsWith('/') && sub.length > 1)
        return s.replace(new RegExp(sub.slice(1, -1), 'g'), str(a[2]));
      return s.split(sub).join(str(a[2]));
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
      return str(a[0]).trim();
    case 'startswith':
      return str(a[0]).startsWith(str(a[1]));
    case 'endswith':
      return str(a[0]).endsWith(str(a[1]));
    case 'strcontains':
      return str(a[0]).includes(str(a[1]));
    case 'min':
      return Math.min(...a.map((x) => Number(known(x))));
    case 'max':
      return Math.max(...a.map((x) => Number(known(x))));
    case 'abs':
      return Math.abs(Number(known(a[0])));
    case 'floor':
      return Math.floor(Number(known(a[0])));
    case 'ceil':
      return Math.ceil(Number(known(a[0])));
    case 'range': {
      const n = a.map((x) => Number(known(x)));
      const [start, end, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
      const out: number[] = [];
      for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
      return out;
    }
    case 'zipmap': {
      const k = asList(a[0]);
      const v = asList(a[1]);
      return Object.fromEntries(k.map((key, i) => [str(key), v[i]]));
    }
    case 'anytrue':
      return asList(a[0]).some((x) => known(x) === true);
    case 'alltrue':
      return asList(a[0]).every((x) => known(x) === true);
    case 'sort':
      return [...asList(a[0])].map((x) => str(x)).sort();
    case 'reverse':
      return [...asList(a[0])].reverse();
    case 'sha1':
    case 'sha256':
    case 'md5':
      return createHash(fn).update(str(a[0])).digest('hex');
    case 'base64encode':
      return Buffer.from(str(a[0])).toString('base64');
    case 'regex': {
      const m = new RegExp(str(a[0])).exec(str(a[1]));
      if (!m) fail('regex: no match');
      return m.length > 1 ? m.slice(1) : m[0];
    }
    default:
      // file(), timestamp(), templatefile(), provider functions...: not evaluated.
      return UNKNOWN;
  }
}

/**
 * Static references of a raw Terraform value (strings anywhere inside it), e.g.
 * `aws_s3_bucket.this`, `data.aws_iam_policy_document.x`, `module.bucket`, `local.policy`,
 * `var.name`. Regex-based: good enough for linking and never evaluated.
 */
export function staticReferences(raw: unknown): string[] {
  const out = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return;
      const re =
        /(?<![\w.])(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|module\.[A-Za-z0-9_-]+|local\.[A-Za-z0-9_-]+|var\.[A-Za-z0-9_-]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*)/g;
      for (const m of v.matchAll(re)) out.add(m[1]);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(raw);
  return [...out];
}
