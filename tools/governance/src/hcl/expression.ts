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
import { UNKNOWN, isUnknown, unknownFrom, type UnknownValue } from '../model';
import {
  EvalError,
  UnknownSignal,
  arith,
  builtin,
  fail,
  known,
  sortedKeys,
  toNum,
  toStr,
  unify,
} from './functions';

export { toStr } from './functions';

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
  | { k: 'tif'; c: Expr; t: Expr; f: Expr }
  | { k: 'tfor'; keyVar?: string; valVar: string; coll: Expr; body: Expr }
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

type TemplateToken =
  | { t: 'lit'; v: string }
  | { t: 'interp'; e: Expr; sl: boolean; sr: boolean }
  | {
      t: 'dir';
      d: string;
      e?: Expr;
      keyVar?: string;
      valVar?: string;
      sl: boolean;
      sr: boolean;
    };

/**
 * `<<-` heredocs: the smallest indentation of the non-blank lines (a line starting with an
 * interpolation has none) is removed from every line, as HCL's flushHeredocTemplateParts does.
 */
function flushHeredoc(tokens: TemplateToken[]): void {
  let min = Infinity;
  let newline = true;
  const adjust: Extract<TemplateToken, { t: 'lit' }>[] = [];
  for (const tok of tokens) {
    if (newline) {
      newline = false;
      if (tok.t === 'lit') {
        const trimmed = tok.v.replace(/^\s+/u, '');
        if (!(trimmed === '' && tok.v.endsWith('\n'))) {
          min = Math.min(min, [...tok.v.slice(0, tok.v.length - trimmed.length)].length);
          adjust.push(tok);
        }
      } else min = 0;
    }
    if (tok.t === 'lit' && tok.v.endsWith('\n')) newline = true;
  }
  if (min === Infinity) return;
  for (const tok of adjust) tok.v = [...tok.v].slice(min).join('');
}

/** Terraform keeps every string in Unicode normal form C (`"e\u0301"` is `"é"`). */
const nfc = (s: string) => (/[\u0080-\uffff]/.test(s) ? s.normalize('NFC') : s);

/** The parts of a template as one expression (a string). */
const tplOf = (parts: (string | Expr)[]): Expr => ({ k: 'tpl', parts });

/** Raised when an expression does not parse; callers treat the value as unknown. */
export class ExpressionSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

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

  /**
   * Template text until `stop` (`"` for quoted strings, end of input for top-level templates and
   * heredoc bodies), with `%{ if }` / `%{ for }` directives and `~` strip markers. A strip marker
   * trims the whitespace of the literal right next to it only; in a heredoc every line is its own
   * literal (as in HCL), so `~` never reaches past a line break there.
   */
  template(stop: '"' | null, heredoc = false, flushIndent = false): Expr {
    const tokens: TemplateToken[] = [];
    let buf = '';
    const flush = () => {
      if (buf) tokens.push({ t: 'lit', v: nfc(buf) });
      buf = '';
    };
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (stop && c === stop) break;
      if (c === '\\' && stop) {
        const n = s[this.i + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (n === 'u' || n === 'U') {
          const len = n === 'u' ? 4 : 8;
          buf += String.fromCodePoint(parseInt(s.slice(this.i + 2, this.i + 2 + len), 16));
          this.i += 2 + len;
        } else {
          buf += map[n] ?? n;
          this.i += 2;
        }
        continue;
      }
      if ((c === '$' || c === '%') && s[this.i + 1] === c && s[this.i + 2] === '{') {
        // "$${" and "%%{" are a literal "${" and "%{"
        buf += `${c}{`;
        this.i += 3;
        continue;
      }
      if ((c === '$' || c === '%') && s[this.i + 1] === '{') {
        flush();
        this.i += 2;
        const sl = s[this.i] === '~';
        if (sl) this.i++;
        if (c === '$') {
          const e = this.expr();
          const sr = this.eat('~');
          this.expect('}');
          tokens.push({ t: 'interp', e, sl, sr });
        } else tokens.push(this.directive(sl));
        continue;
      }
      buf += c;
      this.i++;
      if (heredoc && c === '\n') flush();
    }
    flush();
    if (flushIndent) flushHeredoc(tokens);
    // Strip markers act on the neighbouring literal token only.
    tokens.forEach((tok, i) => {
      if (tok.t === 'lit') return;
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      if (tok.sl && prev?.t === 'lit') prev.v = prev.v.replace(/\s+$/u, '');
      if (tok.sr && next?.t === 'lit') next.v = next.v.replace(/^\s+/u, '');
    });
    let at = 0;
    const seq = (until: string[]): { parts: (string | Expr)[]; end?: string } => {
      const parts: (string | Expr)[] = [];
      while (at < tokens.length) {
        const tok = tokens[at++];
        if (tok.t === 'lit') {
          if (tok.v) {
            if (typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += tok.v;
            else parts.push(tok.v);
          }
        } else if (tok.t === 'interp') parts.push(tok.e);
        else if (until.includes(tok.d)) return { parts, end: tok.d };
        else if (tok.d === 'if') {
          const t = seq(['else', 'endif']);
          const f = t.end === 'else' ? seq(['endif']) : { parts: [], end: 'endif' };
          if (f.end !== 'endif') throw new ExpressionSyntaxError('%{ if } without %{ endif }');
          parts.push({ k: 'tif', c: tok.e!, t: tplOf(t.parts), f: tplOf(f.parts) });
        } else if (tok.d === 'for') {
          const body = seq(['endfor']);
          if (body.end !== 'endfor')
            throw new ExpressionSyntaxError('%{ for } without %{ endfor }');
          parts.push({
            k: 'tfor',
            keyVar: tok.keyVar,
            valVar: tok.valVar!,
            coll: tok.e!,
            body: tplOf(body.parts),
          });
        } else throw new ExpressionSyntaxError(`unexpected %{ ${tok.d} }`);
      }
      return { parts };
    };
    const { parts, end } = seq([]);
    if (end) throw new ExpressionSyntaxError(`unexpected %{ ${end} }`);
    if (parts.length === 0) return { k: 'lit', v: '' };
    if (parts.length === 1 && typeof parts[0] === 'string') return { k: 'lit', v: parts[0] };
    // A template that is one interpolation keeps its value's type (HCL does not convert it).
    if (parts.length === 1 && tokens.length === 1 && tokens[0].t === 'interp')
      return parts[0] as Expr;
    return { k: 'tpl', parts };
  }

  /** `%{ if c }`, `%{ else }`, `%{ endif }`, `%{ for k, v in coll }`, `%{ endfor }` after `%{`. */
  directive(sl: boolean): TemplateToken {
    const word = this.ident();
    let tok: TemplateToken;
    if (word === 'if') tok = { t: 'dir', d: 'if', e: this.expr(), sl, sr: false };
    else if (word === 'for') {
      const first = this.ident();
      if (!first) throw new ExpressionSyntaxError('for variable expected');
      let keyVar: string | undefined;
      let valVar = first;
      if (this.eat(',')) {
        keyVar = first;
        valVar = this.ident() ?? '';
      }
      if (!this.peekKeyword('in')) throw new ExpressionSyntaxError('"in" expected');
      tok = { t: 'dir', d: 'for', keyVar, valVar, e: this.expr(), sl, sr: false };
    } else if (word === 'else' || word === 'endif' || word === 'endfor')
      tok = { t: 'dir', d: word, sl, sr: false };
    else throw new ExpressionSyntaxError(`unknown template directive %{ ${word ?? ''} }`);
    tok.sr = this.eat('~');
    this.expect('}');
    return tok;
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
      const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(s.slice(this.i));
      if (!m) throw new ExpressionSyntaxError('bad heredoc');
      const start = this.i + m[0].length;
      const endRe = new RegExp(`(?:^|\\n)[ \\t]*${m[2]}(?![A-Za-z0-9_-])`);
      const rel = endRe.exec(s.slice(start));
      if (!rel) throw new ExpressionSyntaxError('unterminated heredoc');
      const bodyEnd = start + rel.index + (rel[0].startsWith('\n') ? 1 : 0);
      const body = s.slice(start, bodyEnd);
      this.i = start + rel.index + rel[0].length;
      return new Parser(body).template(null, true, m[1] === '-');
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
  if (!text.includes('${') && !text.includes('%{')) return nfc(text);
  let e: Expr;
  try {
    e = parseTemplate(text);
  } catch (error) {
    return unknownFrom(
      'unresolved',
      text,
      undefined,
      `the expression does not parse: ${(error as Error).message}`,
    );
  }
  return evaluate(e, scope, new Map(), text);
}

/**
 * Evaluates a parsed expression. What Terraform would reject, and what the engine does not
 * reproduce, gives an unknown whose `reason` says why (`text` becomes its expression).
 */
export function evaluate(e: Expr, scope: Scope, vars: Vars = new Map(), text?: string): unknown {
  try {
    return ev(e, scope, vars);
  } catch (error) {
    return unknownFor(error, text);
  }
}

/** The unknown an evaluation error stands for; rethrows what is not an evaluation error. */
function unknownFor(error: unknown, text?: string): UnknownValue {
  if (error instanceof UnknownSignal)
    return error.value
      ? error.value.kind === 'unresolved' && !text
        ? error.value
        : unknownFrom(
            'unresolved',
            error.value.expression ?? text,
            undefined,
            error.value.reason ??
              `it depends on ${error.value.expression ?? 'a value'} that is unknown`,
          )
      : unknownFrom('unresolved', text, undefined, error.reason);
  if (error instanceof EvalError || error instanceof TypeError || error instanceof RangeError)
    return unknownFrom(
      'unresolved',
      text,
      undefined,
      `Terraform would reject it: ${error.message}`,
    );
  throw error;
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
      return nfc(out);
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
      if (isUnknown(v)) return v;
      if (e.op === '!') {
        if (typeof v !== 'boolean') fail('! needs a bool');
        return !v;
      }
      return arith('-', 0, toNum(v));
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
      if (typeof c !== 'boolean') fail(`the condition must be a bool, not ${JSON.stringify(c)}`);
      // Both branches decide the result type (`true ? 1 : "a"` is "1"); only the chosen one's
      // errors count, as in HCL (`var.x == null ? "none" : split(":", var.x)[1]`).
      const chosen = ev(c ? e.t : e.f, scope, vars);
      let other: unknown;
      try {
        other = ev(c ? e.f : e.t, scope, vars);
      } catch {
        return chosen;
      }
      if (isUnknown(chosen) || isUnknown(other)) return chosen;
      return unify([chosen, other])[0];
    }
    case 'tif': {
      const c = ev(e.c, scope, vars);
      if (isUnknown(c)) return c;
      if (typeof c !== 'boolean' && c !== 'true' && c !== 'false')
        fail('the condition of %{ if } must be a bool');
      return ev(c === true || c === 'true' ? e.t : e.f, scope, vars);
    }
    case 'tfor': {
      const coll = known(ev(e.coll, scope, vars));
      let out = '';
      for (const [k, v] of entriesOf(coll)) {
        const inner = new Map(vars);
        if (e.keyVar) inner.set(e.keyVar, k);
        inner.set(e.valVar, v);
        const part = ev(e.body, scope, inner);
        if (isUnknown(part)) return part;
        out += toStr(part);
      }
      return out;
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
  if (isUnknown(l)) return l;
  if (isUnknown(r)) return r;
  switch (e.op) {
    case '==':
      return equal(l, r);
    case '!=':
      return !equal(l, r);
    case '<':
      return toNum(l) < toNum(r);
    case '>':
      return toNum(l) > toNum(r);
    case '<=':
      return toNum(l) <= toNum(r);
    case '>=':
      return toNum(l) >= toNum(r);
    default:
      return arith(e.op, toNum(l), toNum(r));
  }
}

/** Terraform's `==`: same type and value (`1 == "1"` is false), maps whatever their key order. */
function equal(l: unknown, r: unknown): boolean {
  if (l === null || r === null || typeof l !== 'object' || typeof r !== 'object') return l === r;
  if (Array.isArray(l) !== Array.isArray(r)) return false;
  const lk = sortedKeys(l);
  const rk = sortedKeys(r);
  if (lk.length !== rk.length || lk.some((k, i) => k !== rk[i])) return false;
  return lk.every((k) =>
    equal((l as Record<string, unknown>)[k], (r as Record<string, unknown>)[k]),
  );
}

/** The entries a `for` iterates: a list's index and element, a map's keys in lexical order. */
function entriesOf(coll: unknown): [unknown, unknown][] {
  if (coll === null || typeof coll !== 'object') fail('for needs a list, set, map or object');
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  const o = coll as Record<string, unknown>;
  return sortedKeys(o).map((k) => [k, o[k]]);
}

function forExpr(e: Extract<Expr, { k: 'for' }>, scope: Scope, vars: Vars): unknown {
  const coll = ev(e.coll, scope, vars);
  if (isUnknown(coll)) return UNKNOWN;
  const entries = entriesOf(coll);
  const list: unknown[] = [];
  const map: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const inner = new Map(vars);
    if (e.keyVar) inner.set(e.keyVar, k);
    inner.set(e.valVar, v);
    if (e.cond) {
      const c = ev(e.cond, scope, inner);
      if (isUnknown(c)) return c;
      if (typeof c !== 'boolean') fail('the if of a for expression must be a bool');
      if (!c) continue;
    }
    if (!e.kv) list.push(ev(e.valExpr, scope, inner));
    else {
      const key = ev(e.keyExpr!, scope, inner);
      if (isUnknown(key)) return UNKNOWN;
      const value = ev(e.valExpr, scope, inner);
      const ks = toStr(key);
      if (e.group) ((map[ks] ??= []) as unknown[]).push(value);
      else if (Object.prototype.hasOwnProperty.call(map, ks))
        fail(`duplicate object key "${ks}" in a for expression (use ... to group)`);
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

function call(e: Extract<Expr, { k: 'call' }>, scope: Scope, vars: Vars): unknown {
  if (e.fn === 'try' || e.fn === 'can') {
    if (e.fn === 'can' && e.args.length !== 1) fail('can() takes exactly one argument');
    if (e.args.length === 0) fail('try() needs at least one argument');
    for (const a of e.args) {
      try {
        const v = ev(a, scope, vars);
        // An unknown argument might have succeeded or failed: so is the result.
        if (isUnknown(v)) return v;
        return e.fn === 'can' ? true : v;
      } catch (error) {
        if (!(error instanceof EvalError || error instanceof TypeError)) throw error;
      }
    }
    if (e.fn === 'can') return false;
    fail('no expression given to try() succeeded');
  }
  let args = e.args.map((a) => ev(a, scope, vars));
  if (e.expand) {
    const last = known(args.pop());
    if (!Array.isArray(last)) fail('the expanded argument ... must be a list');
    args = [...args, ...last];
  }
  try {
    return builtin(e.fn, args);
  } catch (error) {
    if (error instanceof UnknownSignal) {
      // Partly unknown documents stay objects so policy rules can still read the known parts.
      if (
        e.fn === 'jsonencode' &&
        error.value &&
        args[0] &&
        typeof args[0] === 'object' &&
        !isUnknown(args[0])
      )
        return args[0];
      return unknownFor(error, `${e.fn}(…)`);
    }
    throw error;
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
