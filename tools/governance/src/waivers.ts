/**
 * Waivers: accepted findings with a reason, an owner and an expiry date.
 *
 * Two places: `governance/waivers.yaml` (target = address glob) and inline HCL comments on or
 * above the block they waive:
 *
 * ```hcl
 * # slipway:waive SLW-S3-004 reason="log bucket cannot log to itself" owner="@slipway/platform" expires=2027-03-31
 * resource "aws_s3_bucket" "logs" {
 * ```
 *
 * A waived finding is still reported (marked waived) and never fails a run. An expired waiver
 * fails the run, naming its file and line; a waiver that matches nothing is a warning.
 */
import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, type YAMLMap } from 'yaml';
import { ExpiredWaiverError, InvalidWaiverError } from './errors';
import { globMatch } from './glob';
import { ruleById } from './rules';
import type { Finding } from './rules/types';

/** One waiver, from YAML or an inline comment. */
export interface Waiver {
  ruleId: string;
  /** Address glob (YAML waivers). */
  target?: string;
  /** Block location (inline waivers): the finding's file and line must match. */
  at?: { file: string; line: number };
  reason: string;
  owner: string;
  /** YYYY-MM-DD, last day the waiver is valid (UTC). */
  expires: string;
  /** Only in runs for these environments (YAML `environments`); absent: every run. */
  environments?: string[];
  /** Only for findings from inputs matching these globs (YAML `inputs`); absent: every input. */
  inputs?: string[];
  /** `file:line` of the waiver itself. */
  source: string;
  file: string;
  line?: number;
  matched: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validate(
  raw: Record<string, unknown>,
  file: string,
  line: number | undefined,
): Omit<Waiver, 'target' | 'at' | 'matched' | 'source' | 'file' | 'line'> {
  const ruleId = raw.rule;
  if (typeof ruleId !== 'string' || !ruleId)
    throw new InvalidWaiverError(file, line, 'missing "rule" (a rule id such as SLW-S3-004).');
  if (!ruleById(ruleId))
    throw new InvalidWaiverError(
      file,
      line,
      `unknown rule id "${ruleId}"; run "governance rules" or see tools/governance/README.md for the list.`,
    );
  for (const key of ['reason', 'owner'] as const)
    if (typeof raw[key] !== 'string' || !(raw[key] as string).trim())
      throw new InvalidWaiverError(
        file,
        line,
        `waiver for ${ruleId} is missing "${key}"${key === 'owner' ? ' (a team handle such as @slipway/platform)' : ' (why the finding is acceptable)'}.`,
      );
  const expires =
    raw.expires instanceof Date ? raw.expires.toISOString().slice(0, 10) : raw.expires;
  if (
    typeof expires !== 'string' ||
    !DATE.test(expires) ||
    Number.isNaN(Date.parse(`${expires}T00:00:00Z`))
  )
    throw new InvalidWaiverError(
      file,
      line,
      `waiver for ${ruleId} needs "expires" as a date YYYY-MM-DD (got ${JSON.stringify(raw.expires ?? null)}).`,
    );
  return { ruleId, reason: String(raw.reason), owner: String(raw.owner), expires };
}

/**
 * Reads `governance/waivers.yaml`:
 *
 * ```yaml
 * waivers:
 *   - rule: SLW-S3-004
 *     target: "module.bucket_*.aws_s3_bucket.this"
 *     reason: Dev buckets have no access-log bucket.
 *     owner: "@slipway/platform"
 *     expires: 2027-03-31
 * ```
 *
 * @throws InvalidWaiverError with file and line for malformed YAML, unknown rule ids or missing fields.
 */
export function loadWaiverFile(file: string): Waiver[] {
  if (!existsSync(file))
    throw new InvalidWaiverError(file, undefined, 'file not found; create it or drop --waivers.');
  const text = readFileSync(file, 'utf8');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new InvalidWaiverError(
      file,
      e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line,
      `YAML does not parse: ${e.message.split('\n')[0]}`,
    );
  }
  const root = doc.contents;
  if (root === null || root === undefined) return [];
  const list = isMap(root) ? root.get('waivers', true) : undefined;
  if (!isMap(root) || (list !== undefined && list !== null && !isSeq(list)))
    throw new InvalidWaiverError(file, 1, 'expected a top-level "waivers:" list.');
  const out: Waiver[] = [];
  for (const item of isSeq(list) ? list.items : []) {
    const range = (item as { range?: [number, number, number] } | null)?.range;
    const line = range ? lc.linePos(range[0]).line : undefined;
    if (!isMap(item))
      throw new InvalidWaiverError(
        file,
        line,
        'each waiver must be a mapping with rule, target, reason, owner and expires.',
      );
    const raw = (item as YAMLMap).toJSON() as Record<string, unknown>;
    const v = validate(raw, file, line);
    if (typeof raw.target !== 'string' || !raw.target.trim())
      throw new InvalidWaiverError(
        file,
        line,
        `waiver for ${v.ruleId} is missing "target" (a resource address or glob such as "module.bucket_*.aws_s3_bucket.this").`,
      );
    const scope: Pick<Waiver, 'environments' | 'inputs'> = {};
    for (const key of ['environments', 'inputs'] as const) {
      const value = raw[key];
      if (value === undefined) continue;
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        !value.every((x) => typeof x === 'string' && x)
      )
        throw new InvalidWaiverError(
          file,
          line,
          `waiver for ${v.ruleId}: "${key}" must be a non-empty list of ${key === 'environments' ? 'environment names such as prod' : 'input paths or globs such as terraform/modules/*'}.`,
        );
      scope[key] = value as string[];
    }
    out.push({
      ...v,
      ...scope,
      target: raw.target,
      file,
      line,
      source: `${file}:${line ?? '?'}`,
      matched: 0,
    });
  }
  return out;
}

const INLINE = /#\s*slipway:waive\s+(\S+)(.*)$/;

/**
 * Inline waivers of one HCL file: a `# slipway:waive <RULE> key="value" ...` comment on the
 * block's first line or in the comment lines directly above it.
 */
export function inlineWaivers(file: string, text: string): Waiver[] {
  const lines = text.split('\n');
  const out: Waiver[] = [];
  lines.forEach((l, i) => {
    const m = INLINE.exec(l);
    if (!m) return;
    const raw: Record<string, unknown> = { rule: m[1] };
    for (const kv of m[2].matchAll(/(\w+)=("((?:[^"\\]|\\.)*)"|\S+)/g)) raw[kv[1]] = kv[3] ?? kv[2];
    const v = validate(raw, file, i + 1);
    let target: number | undefined;
    for (let j = i; j < lines.length; j++) {
      const t = lines[j].trim();
      if (/^(resource|data|module|variable|provider)\s+"/.test(t)) {
        target = j + 1;
        break;
      }
      if (j > i && t && !t.startsWith('#') && !t.startsWith('//')) break;
    }
    if (!target)
      throw new InvalidWaiverError(
        file,
        i + 1,
        `inline waiver for ${v.ruleId} is not on or directly above a resource, data, module or variable block.`,
      );
    out.push({
      ...v,
      at: { file, line: target },
      file,
      line: i + 1,
      source: `${file}:${i + 1}`,
      matched: 0,
    });
  });
  return out;
}

/** True when the waiver's expiry day is before `now`'s UTC day. */
export function isExpired(w: Pick<Waiver, 'expires'>, now: Date): boolean {
  return now.toISOString().slice(0, 10) > w.expires;
}

/** What a run covers, for waivers scoped with `environments` / `inputs`. */
export interface WaiverScope {
  environment?: string;
  /** The run's inputs (paths as given on the command line). */
  inputs: string[];
}

/** True when a scoped waiver concerns this run at all. */
function inScope(w: Waiver, scope: WaiverScope): boolean {
  if (w.environments && !(scope.environment && w.environments.includes(scope.environment)))
    return false;
  if (w.inputs && !scope.inputs.some((i) => w.inputs!.some((g) => globMatch(g, normalise(i)))))
    return false;
  return true;
}

const normalise = (p: string) => p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/$/, '');

/**
 * Marks the findings covered by waivers, in place. A waiver scoped to other environments or
 * inputs than this run's is left out: it neither applies nor warns (its expiry still counts).
 *
 * @returns warnings (waivers in scope that matched nothing).
 * @throws ExpiredWaiverError naming every expired waiver.
 */
export function applyWaivers(
  findings: Finding[],
  allWaivers: Waiver[],
  now: Date,
  scope: WaiverScope = { inputs: [] },
): string[] {
  const expired = allWaivers.filter((w) => isExpired(w, now));
  if (expired.length)
    throw new ExpiredWaiverError(
      expired.map((w) => ({ file: w.file, line: w.line, ruleId: w.ruleId, expires: w.expires })),
    );
  const waivers = allWaivers.filter((w) => inScope(w, scope));
  for (const f of findings) {
    const w = waivers.find(
      (w) =>
        (!w.inputs ||
          (f.input !== undefined && w.inputs.some((g) => globMatch(g, normalise(f.input!))))) &&
        w.ruleId === f.ruleId &&
        ((w.target !== undefined && globMatch(w.target, f.address)) ||
          (w.at !== undefined && w.at.file === f.file && w.at.line === f.line)),
    );
    if (!w) continue;
    w.matched++;
    f.waived = { reason: w.reason, owner: w.owner, expires: w.expires, source: w.source };
  }
  return waivers
    .filter((w) => w.matched === 0)
    .map(
      (w) =>
        `${w.source}: waiver for ${w.ruleId} (${w.target ?? `block at ${w.at?.file}:${w.at?.line}`}) matched no finding; remove it if the issue is fixed.`,
    );
}
