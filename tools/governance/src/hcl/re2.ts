/**
 * Terraform's regular expressions are Go's RE2 (https://github.com/google/re2/wiki/Syntax); the
 * engine runs them on JavaScript's RegExp. This translates the RE2 syntax Terraform accepts into
 * an equivalent JavaScript pattern (flag `u`: code points, as RE2 matches UTF-8 runes), and gives
 * Go's `ReplaceAllString` / `FindAll` semantics. What has no exact JavaScript equivalent (inline
 * flags after the start, `(?U)`, `\S` inside a class, POSIX negated classes) throws
 * {@link RegexUnsupported}: the caller makes the value unknown, never a guess. What RE2 rejects
 * (backreferences, lookaround) throws {@link RegexInvalid}, as Terraform fails.
 */

/** The pattern is valid RE2, but the engine cannot reproduce it exactly in JavaScript. */
export class RegexUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexUnsupported';
  }
}

/** The pattern is not valid RE2 (Terraform rejects it). */
export class RegexInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexInvalid';
  }
}

/** A translated pattern: the JavaScript regex (global) and each capture group's name. */
export interface CompiledRe2 {
  re: RegExp;
  /** Per capture group, in order: its name, or `undefined` for an unnamed group. */
  names: (string | undefined)[];
}

// RE2's \s is [\t\n\f\r ] (no \v, no Unicode spaces), unlike JavaScript's.
const SPACE = '\\t\\n\\f\\r ';
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
// Characters JavaScript lets `u`-mode patterns escape with a backslash.
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');

const hexEscape = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/** Translates an RE2 pattern. @throws RegexUnsupported, RegexInvalid */
export function compileRe2(pattern: string): CompiledRe2 {
  const cache = compiled.get(pattern);
  if (cache) {
    cache.re.lastIndex = 0;
    return cache;
  }
  let flags = '';
  let i = 0;
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead) {
    flags = lead[1];
    i = lead[0].length;
  }
  if (flags.includes('U'))
    throw new RegexUnsupported('the (?U) flag (ungreedy by default) has no JavaScript equivalent');
  const dotAll = flags.includes('s');
  const names: (string | undefined)[] = [];
  let out = '';
  const p = pattern;

  const escape = (inClass: boolean): string => {
    const c = p[i + 1];
    if (c === undefined) throw new RegexInvalid('trailing backslash at end of expression');
    i += 2;
    switch (c) {
      case 'd':
      case 'w':
      case 'D':
      case 'W':
        return `\\${c}`;
      case 'b':
      case 'B':
        if (inClass) throw new RegexInvalid(`invalid escape sequence \\${c} in a class`);
        return `\\${c}`;
      case 's':
        return inClass ? SPACE : `[${SPACE}]`;
      case 'S':
        if (inClass)
          throw new RegexUnsupported('\\S inside a character class has no JavaScript equivalent');
        return `[^${SPACE}]`;
      case 'A':
        return '(?<![\\s\\S])';
      case 'z':
        return '(?![\\s\\S])';
      case 'n':
      case 't':
      case 'r':
      case 'f':
      case 'v':
        return `\\${c}`;
      case 'a':
        return '\\x07';
      case 'Q': {
        const end = p.indexOf('\\E', i);
        const lit = end < 0 ? p.slice(i) : p.slice(i, end);
        i = end < 0 ? p.length : end + 2;
        return [...lit].map((ch) => (/[\w]/.test(ch) ? ch : hexEscape(ch))).join('');
      }
      case 'x': {
        const braced = /^\{([0-9A-Fa-f]+)\}/.exec(p.slice(i));
        if (braced) {
          i += braced[0].length;
          return `\\u{${braced[1]}}`;
        }
        const two = /^[0-9A-Fa-f]{2}/.exec(p.slice(i));
        if (!two) throw new RegexInvalid('invalid escape sequence \\x');
        i += 2;
        return `\\x${two[0]}`;
      }
      case 'p':
      case 'P': {
        const m = /^(?:\{(\^?)([A-Za-z_]+)\}|([A-Za-z]))/.exec(p.slice(i));
        if (!m) throw new RegexInvalid('invalid character class range \\p');
        i += m[0].length;
        const name = m[2] ?? m[3];
        const neg = (c === 'P') !== (m[1] === '^');
        const prop = name.length <= 2 ? name : name === 'Any' ? 'Any' : `Script=${name}`;
        return `\\${neg ? 'P' : 'p'}{${prop}}`;
      }
      default:
        if (/[0-9]/.test(c)) throw new RegexInvalid(`invalid escape sequence \\${c}`);
        if (/[A-Za-z]/.test(c)) throw new RegexInvalid(`invalid escape sequence \\${c}`);
        // RE2 lets any punctuation be escaped; JavaScript's `u` mode only its syntax characters.
        return JS_SYNTAX.has(c) || (inClass && c === '-') ? `\\${c}` : hexEscape(c);
    }
  };

  while (i < p.length) {
    const c = p[i];
    if (c === '\\') out += escape(false);
    else if (c === '(') {
      if (p[i + 1] !== '?') {
        names.push(undefined);
        out += '(';
        i++;
        continue;
      }
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(p.slice(i));
      if (named) {
        names.push(named[1]);
        out += `(?<${named[1]}>`;
        i += named[0].length;
      } else if (p.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
      } else if (/^\(\?[=!<]/.test(p.slice(i)))
        throw new RegexInvalid('invalid or unsupported Perl syntax: lookaround');
      else if (/^\(\?-?[imsU-]+[:)]/.test(p.slice(i)))
        throw new RegexUnsupported(
          'inline flags after the start of a pattern have no JavaScript equivalent in Node 22',
        );
      else throw new RegexInvalid(`invalid or unsupported Perl syntax at ${p.slice(i, i + 4)}`);
    } else if (c === '[') {
      i++;
      let cls = '[';
      if (p[i] === '^') {
        cls += '^';
        i++;
      }
      let first = true;
      while (i < p.length && (p[i] !== ']' || first)) {
        first = false;
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
        if (posix) {
          if (posix[1] || !POSIX[posix[2]])
            throw new RegexUnsupported(`POSIX class [:${posix[1]}${posix[2]}:] is not translated`);
          cls += POSIX[posix[2]];
          i += posix[0].length;
        } else if (p[i] === '\\') cls += escape(true);
        else if (p[i] === '[' || p[i] === ']') {
          cls += `\\${p[i]}`;
          i++;
        } else {
          cls += p[i];
          i++;
        }
      }
      if (p[i] !== ']') throw new RegexInvalid('missing closing ]');
      i++;
      out += `${cls}]`;
    } else if (c === '.') {
      out += dotAll ? '[^]' : '[^\\n]';
      i++;
    } else if (c === '{') {
      const rep = /^\{\d+(?:,\d*)?\}/.exec(p.slice(i));
      if (rep) {
        out += rep[0];
        i += rep[0].length;
      } else {
        out += '\\{';
        i++;
      }
    } else if (c === '}' || c === ']') {
      out += `\\${c}`;
      i++;
    } else {
      out += c;
      i += c.length;
    }
  }
  let re: RegExp;
  try {
    re = new RegExp(out, `gu${flags.replace('s', '')}`);
  } catch (error) {
    throw new RegexInvalid(`invalid pattern: ${(error as Error).message}`);
  }
  const result = { re, names };
  if (compiled.size > 1000) compiled.clear();
  compiled.set(pattern, result);
  return result;
}

const compiled = new Map<string, CompiledRe2>();

/**
 * Every match, as Go's `FindAll*` gives them: an empty match right after the previous match is
 * skipped (JavaScript's `matchAll` would keep it).
 */
export function findAll(c: CompiledRe2, s: string): RegExpExecArray[] {
  const { re } = c;
  re.lastIndex = 0;
  const out: RegExpExecArray[] = [];
  let prevEnd = -1;
  while (re.lastIndex <= s.length) {
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) {
      const step = (s.codePointAt(start) ?? 0) > 0xffff ? 2 : 1;
      re.lastIndex = start + step;
      if (start === prevEnd) continue;
    }
    out.push(m);
    prevEnd = end;
  }
  return out;
}

/** Go's `Regexp.Expand` of a replacement: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, m: RegExpExecArray, names: (string | undefined)[]): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) break;
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(template.slice(i));
    const bare = /^[A-Za-z0-9_]+/.exec(template.slice(i));
    if (braced) {
      name = braced[1];
      i += braced[0].length;
    } else if (bare) {
      name = bare[0];
      i += bare[0].length;
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    let group = -1;
    if (/^\d+$/.test(name) && !(name.length > 1 && name[0] === '0')) group = Number(name);
    else group = names.indexOf(name) + 1 || -1;
    if (group >= 0 && group < m.length) out += m[group] ?? '';
  }
  return out + template.slice(i);
}

/** Go's `ReplaceAllString`. */
export function replaceAll(c: CompiledRe2, s: string, replacement: string): string {
  let out = '';
  let last = 0;
  for (const m of findAll(c, s)) {
    out += s.slice(last, m.index) + expand(replacement, m, c.names);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}
