/**
 * The rule fixtures and what each must report: `src/rules/<id>/fixtures/<folder>/` (HCL, or plan
 * JSON made in that folder) and `src/rules/<id>/fixtures/expected.yaml`. Read by rules.spec.ts
 * (the one table-driven spec of every rule) and update-expected.ts (prints or rewrites the file).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildModel, runRule } from '../../../src/engine';
import { builtinProfile, type ProfileName } from '../../../src/profiles';
import type { Finding, Rule } from '../../../src/rules/types';
import { trackUnknownReads, type UnknownRead } from './track-reads';

/** What one fixture folder reports under one profile. */
export interface Outcome {
  /** `<rule> <address> <file>:<line> <message>`, file relative to the folder. */
  findings: string[];
  /** Warnings, with the folder's path written `<fixture>`. */
  warnings: string[];
}

/** expected.yaml: per folder, per profile, the outcome (a list is the findings, no warnings); a string: not scanned on its own, why. */
export type Expectations = Record<
  string,
  Partial<Record<ProfileName, string[] | Partial<Outcome>>> | string
>;

export const RULES_DIR = path.join(__dirname, '../../../src/rules');

/** The fixtures folder of a rule. */
export const fixturesOf = (rule: Pick<Rule, 'id'>): string =>
  path.join(RULES_DIR, rule.id.toLowerCase(), 'fixtures');

/** The fixture folders of a rule (`pass`, `fail`, `unknown`, `plan`, …). */
export function folders(rule: Pick<Rule, 'id'>): string[] {
  const dir = fixturesOf(rule);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** The parsed expected.yaml of a rule (`{}` when missing). */
export function expectations(rule: Pick<Rule, 'id'>): Expectations {
  const file = path.join(fixturesOf(rule), 'expected.yaml');
  return existsSync(file) ? ((parse(readFileSync(file, 'utf8')) as Expectations | null) ?? {}) : {};
}

/** The profiles a rule runs in, in a fixed order. */
export const profilesOf = (rule: Rule): ProfileName[] =>
  (['baseline', 'strict'] as const).filter((p) => rule.profiles[p]);

/** The expected outcome of `folder` under `profile`: listed, or none at all (a pass folder). */
export function expected(
  all: Expectations,
  folder: string,
  profile: ProfileName,
): Outcome | undefined {
  const entry = all[folder];
  if (typeof entry === 'string') return undefined;
  const value = entry?.[profile];
  if (value === undefined) return folder === 'pass' ? { findings: [], warnings: [] } : undefined;
  return Array.isArray(value)
    ? { findings: value, warnings: [] }
    : { findings: value.findings ?? [], warnings: value.warnings ?? [] };
}

/** `<rule> <address> <file>:<line> <message>` of a finding, the file relative to `folder`. */
export function findingLine(f: Finding, folder: string): string {
  const file = f.file
    ? path.relative(folder, path.resolve(f.file)).split(path.sep).join('/') || '.'
    : '';
  return `${f.ruleId} ${f.address} ${file}${f.line ? `:${f.line}` : ''} ${f.message}`;
}

/** Result of running one rule on one fixture folder. */
export interface Run extends Outcome {
  /** The unknown values the rule read (see {@link trackUnknownReads}). */
  reads: UnknownRead[];
  /** The findings themselves. */
  raw: Finding[];
}

/**
 * Runs `rule` alone on `folder` under `profile`, the way a scan does (the engine's `runRule`, so
 * what it could not verify is a finding or a warning), and records the unknowns it read.
 */
export async function runFixture(rule: Rule, folder: string, profile: ProfileName): Promise<Run> {
  const dir = path.join(fixturesOf(rule), folder);
  const plans = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(dir, f));
  const { model } = await buildModel(
    plans.length ? { plans, planRoot: dir, allowDestroy: [] } : { hcl: [dir], allowDestroy: [] },
  );
  const reads = trackUnknownReads(model);
  const { findings, warnings } = runRule(rule, model, builtinProfile(profile), {
    allowDestroy: [],
  });
  const relative = path.relative(process.cwd(), dir).split(path.sep).join('/');
  return {
    findings: findings.map((f) => findingLine(f, dir)).sort(),
    warnings: warnings.map((w) => w.split(relative).join('<fixture>')).sort(),
    reads,
    raw: findings,
  };
}
