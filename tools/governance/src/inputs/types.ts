/**
 * Variable type constraints, only as far as they change a value: `optional(T, default)`
 * attributes of `object(...)` types. Terraform fills an optional attribute the caller left out
 * with its default (or null) before the module sees the value; without this, `s.conditions` of
 * a `list(object({ conditions = optional(list(...), []) }))` element would be missing and every
 * expression reading it (a policy document) unknown.
 */
import { evaluateString, type Scope } from '../hcl/expression';
import { isUnknown } from '../model';

/** A parsed type constraint. */
export type TypeSpec =
  | { kind: 'any' }
  | { kind: 'collection'; element: TypeSpec }
  | { kind: 'tuple'; elements: TypeSpec[] }
  | {
      kind: 'object';
      attributes: Record<string, { type: TypeSpec; optional: boolean; default?: string }>;
    };

const ANY: TypeSpec = { kind: 'any' };
const NO_SCOPE: Scope = { root: () => undefined, member: () => undefined };

/**
 * Parses a type constraint as hcl2json gives it (`${list(object({ a = optional(string, "x") }))}`).
 * Anything it does not understand is `any` (the value is left as it is).
 */
export function parseType(raw: unknown): TypeSpec {
  if (typeof raw !== 'string') return ANY;
  const text = raw.trim().replace(/^\$\{([\s\S]*)\}$/, '$1');
  try {
    const p = new Parser(text);
    return p.type();
  } catch {
    return ANY;
  }
}

/** `value` converted as Terraform would for `type`: omitted optional attributes get their default or null. */
export function applyTypeDefaults(value: unknown, type: TypeSpec): unknown {
  if (value === null || value === undefined || isUnknown(value) || type.kind === 'any')
    return value;
  if (type.kind === 'collection') {
    if (Array.isArray(value)) return value.map((v) => applyTypeDefaults(v, type.element));
    if (typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, applyTypeDefaults(v, type.element)]),
      );
    return value;
  }
  if (type.kind === 'tuple')
    return Array.isArray(value)
      ? value.map((v, i) => applyTypeDefaults(v, type.elements[i] ?? ANY))
      : value;
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [name, attr] of Object.entries(type.attributes)) {
    if (out[name] === undefined || (out[name] === null && attr.optional && attr.default)) {
      if (!attr.optional) continue;
      out[name] =
        attr.default === undefined ? null : evaluateString(`\${${attr.default}}`, NO_SCOPE);
    }
    out[name] = applyTypeDefaults(out[name], attr.type);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  type(): TypeSpec {
    this.ws();
    const name = this.ident();
    if (['string', 'number', 'bool', 'any'].includes(name)) return ANY;
    if (name === 'list' || name === 'set' || name === 'map') {
      this.expect('(');
      const element = this.type();
      this.ws();
      this.expect(')');
      return { kind: 'collection', element };
    }
    if (name === 'tuple') {
      this.expect('(');
      this.ws();
      this.expect('[');
      const elements: TypeSpec[] = [];
      for (;;) {
        this.ws();
        if (this.peek() === ']') break;
        elements.push(this.type());
        this.ws();
        if (this.peek() === ',') this.i++;
      }
      this.expect(']');
      this.ws();
      this.expect(')');
      return { kind: 'tuple', elements };
    }
    if (name === 'object') {
      this.expect('(');
      this.ws();
      this.expect('{');
      const attributes: Record<string, { type: TypeSpec; optional: boolean; default?: string }> =
        {};
      for (;;) {
        this.ws();
        if (this.peek() === '}') break;
        const key = this.ident();
        this.ws();
        this.expect('=');
        this.ws();
        const save = this.i;
        if (this.ident() === 'optional') {
          this.expect('(');
          const t = this.type();
          this.ws();
          let def: string | undefined;
          if (this.peek() === ',') {
            this.i++;
            def = this.until(')').trim();
          }
          this.expect(')');
          attributes[key] = { type: t, optional: true, default: def };
        } else {
          this.i = save;
          attributes[key] = { type: this.type(), optional: false };
        }
        this.ws();
        if (this.peek() === ',') this.i++;
      }
      this.expect('}');
      this.ws();
      this.expect(')');
      return { kind: 'object', attributes };
    }
    throw new Error(`unknown type ${name}`);
  }

  private peek(): string {
    return this.s[this.i];
  }
  private ws(): void {
    while (this.i < this.s.length && /[\s]/.test(this.s[this.i])) this.i++;
    if (this.s.startsWith('#', this.i) || this.s.startsWith('//', this.i)) {
      while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      this.ws();
    }
  }
  private ident(): string {
    this.ws();
    const m = /^"?([A-Za-z_][\w-]*)"?/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`identifier expected at ${this.i}`);
    this.i += m[0].length;
    return m[1];
  }
  private expect(c: string): void {
    this.ws();
    if (this.s[this.i] !== c) throw new Error(`${c} expected at ${this.i}`);
    this.i++;
  }
  /** Raw text up to the `close` at depth 0 (brackets and strings balanced). */
  private until(close: string): string {
    const start = this.i;
    let depth = 0;
    let quote = false;
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i];
      if (quote) {
        if (c === '\\') this.i++;
        else if (c === '"') quote = false;
        continue;
      }
      if (c === '"') quote = true;
      else if ('([{'.includes(c)) depth++;
      else if (depth === 0 && c === close) break;
      else if (')]}'.includes(c)) depth--;
    }
    return this.s.slice(start, this.i);
  }
}
