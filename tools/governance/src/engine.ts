/**
 * The scan: read inputs into one model, run the profile's rules, apply waivers.
 */
import path from 'node:path';
import { defaultConfig, loadConfig, type GovernanceConfig } from './config';
import { UsageError } from './errors';
import {
  configurationInfo,
  evaluateConfiguration,
  loadHclFolder,
  loadModuleTree,
  loadTfJsonFile,
  type ConfigModule,
} from './inputs/config';
import { addPlan, addPlanFile } from './inputs/plan';
import { linkResources } from './links';
import { emptyModel, indexModel, type GovernanceModel } from './model';
import { PROFILE_NAMES, builtinProfile, type Profile, type ProfileName } from './profiles';
import { RULES } from './rules';
import {
  atLeast,
  findingFor,
  warningText,
  type CheckContext,
  type Finding,
  type Rule,
  type Severity,
  type Unverified,
} from './rules/types';
import { applyWaivers, inlineWaivers, loadWaiverFile, type Waiver } from './waivers';
import { destructiveKind } from './rules/slw-plan-001';

/** What to scan and how. */
export interface ScanOptions {
  /** HCL folders. */
  hcl?: string[];
  /** Terraform JSON files (CDK Terrain synth output). */
  tfJson?: string[];
  /** Plan JSON files (`terraform show -json`). */
  plans?: string[];
  /** Parsed plans (for tests and benchmarks), with the name to report them under. */
  planObjects?: { file: string; plan: Record<string, unknown> }[];
  /** Folder the plans were made in, to map module resources to HCL lines. */
  planRoot?: string;
  /** Per plan file: the folder it was made in (wins over `planRoot`). */
  planRoots?: Record<string, string>;
  /** Explicit profile; wins over `environment`. */
  profile?: ProfileName;
  /** Environment name, mapped to a profile by the config. */
  environment?: string;
  /** Waiver file (YAML). */
  waivers?: string;
  /** Config file; defaults to governance/config.yaml when it exists. */
  config?: string;
  allowDestroy?: string[];
  /** Injected clock for waiver expiry. */
  now?: Date;
  /** Only these rules (ids), e.g. in rule tests. */
  onlyRules?: string[];
}

/** Changes per stack, as a reviewer counts them. */
export interface BlastRadius {
  create: number;
  update: number;
  delete: number;
  replace: number;
}

/** The outcome of a scan. */
export interface ScanResult {
  findings: Finding[];
  warnings: string[];
  profile: Profile;
  rules: Rule[];
  inputs: string[];
  resourceCount: number;
  blastRadius: Record<string, BlastRadius>;
  waivers: Waiver[];
}

/** Resolves the profile from options and config. */
export function resolveProfile(options: ScanOptions, config: GovernanceConfig): Profile {
  let name: ProfileName = 'baseline';
  if (options.profile) {
    if (!PROFILE_NAMES.includes(options.profile))
      throw new UsageError(
        `unknown profile "${options.profile}"; use one of ${PROFILE_NAMES.join(', ')}.`,
      );
    name = options.profile;
  } else if (options.environment) {
    const mapped = config.environments[options.environment];
    if (!mapped)
      throw new UsageError(
        `environment "${options.environment}" has no profile in governance/config.yaml (known: ${Object.keys(config.environments).join(', ')}); add it or pass --profile.`,
      );
    name = mapped;
  }
  return builtinProfile(name, config.requiredTags);
}

/** Reads every input into one linked model; also returns the loaded HCL files (for inline waivers). */
export async function buildModel(
  options: ScanOptions,
): Promise<{ model: GovernanceModel; modules: ConfigModule[] }> {
  const model = emptyModel();
  const cache = new Map<string, ConfigModule>();
  const roots: ConfigModule[] = [];
  for (const dir of options.hcl ?? []) {
    const mod = await loadHclFolder(path.resolve(dir));
    cache.set(path.resolve(dir), mod);
    roots.push(mod);
  }
  for (const file of options.tfJson ?? []) roots.push(loadTfJsonFile(path.resolve(file)));
  for (const root of roots) await loadModuleTree(root, cache);
  for (const root of roots) {
    model.configurations.push(configurationInfo(root));
    evaluateConfiguration(root, model, cache);
  }
  // Child modules are not configurations of their own, but a block of theirs that does not
  // parse must still be reported (SLW-HCL-001).
  for (const child of cache.values()) {
    if (roots.includes(child)) continue;
    const errors = child.files.flatMap((f) =>
      (f.parseErrors ?? []).map((e) => ({ ...e, file: f.path })),
    );
    if (errors.length)
      model.configurations.push({
        path: child.input,
        inputKind: child.kind,
        isRoot: false,
        hasLockFile: false,
        requiredProviders: [],
        moduleCalls: [],
        variables: [],
        parseErrors: errors,
      });
  }
  for (const file of options.plans ?? [])
    addPlanFile(file, model, options.planRoots?.[file] ?? options.planRoot);
  for (const { file, plan } of options.planObjects ?? [])
    addPlan(plan, file, model, options.planRoot);
  indexModel(model);
  linkResources(model);
  return { model, modules: [...cache.values(), ...roots.filter((r) => r.kind === 'tf-json')] };
}

/**
 * Runs a scan.
 *
 * @throws InvalidInputError / UnsupportedPlanFormatError / InvalidWaiverError for bad input,
 *   ExpiredWaiverError when a waiver has expired, UsageError for bad options.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const config = options.config ? loadConfig(options.config) : defaultConfig();
  const profile = resolveProfile(options, config);
  const { model, modules } = await buildModel(options);

  const rules = RULES.filter(
    (r) => r.profiles[profile.name] && (!options.onlyRules || options.onlyRules.includes(r.id)),
  );
  const ruleWarnings: string[] = [];
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const context = { allowDestroy: options.allowDestroy ?? [] };
  for (const rule of rules) {
    const result = runRule(rule, model, profile, context);
    for (const w of result.warnings) if (!ruleWarnings.includes(w)) ruleWarnings.push(w);
    for (const f of result.findings) {
      const key = `${f.ruleId}|${f.input}|${f.address}|${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(f);
    }
  }

  const waivers: Waiver[] = [];
  if (options.waivers) waivers.push(...loadWaiverFile(options.waivers));
  const files = new Set<string>();
  for (const m of modules)
    for (const f of m.files)
      if (f.kind === 'hcl' && !files.has(f.path)) {
        files.add(f.path);
        waivers.push(...inlineWaivers(f.path, f.text));
      }
  const warnings = [...ruleWarnings];
  warnings.push(
    ...applyWaivers(findings, waivers, options.now ?? new Date(), {
      environment: options.environment,
      inputs: [
        ...(options.hcl ?? []),
        ...(options.tfJson ?? []),
        ...(options.plans ?? []),
        ...(options.planObjects ?? []).map((p) => p.file),
      ],
    }),
  );

  return {
    findings,
    warnings,
    profile,
    rules,
    inputs: [
      ...(options.hcl ?? []),
      ...(options.tfJson ?? []),
      ...(options.plans ?? []),
      ...(options.planObjects ?? []).map((p) => p.file),
    ],
    resourceCount: model.resources.length,
    blastRadius: blastRadius(model),
    waivers,
  };
}

/** What one rule reported on a model: findings, and warnings (what it could not verify under baseline). */
export interface RuleResult {
  findings: Finding[];
  warnings: string[];
}

/**
 * Runs one rule the way a scan does: what the rule could not verify becomes a finding ("cannot
 * verify …", at the profile's `unknowns.severity`) or a warning, as `profile.unknowns` says.
 * A resource the rule could not verify that has {@link Resource.variants} (unknown `dynamic`
 * blocks) is checked once per branch: every branch failing is a finding, every branch passing
 * is a pass, anything else stays "cannot verify".
 */
export function runRule(
  rule: Rule,
  model: GovernanceModel,
  profile: Profile,
  context: Pick<CheckContext, 'allowDestroy'>,
): RuleResult {
  const once = () => {
    const records: Unverified[] = [];
    const warnings: string[] = [];
    const findings = rule.check(model, profile, {
      allowDestroy: context.allowDestroy,
      unverified: (r) => records.push(r),
      warn: (w) => warnings.push(w),
    });
    return { findings, records, warnings };
  };
  const base = once();
  let records = base.records;
  const findings = [...base.findings];
  if (records.length)
    for (const r of model.resources) {
      if (!r.variants || r.variants.length < 2) continue;
      const original = r.attributes;
      const runs = r.variants.map((v) => {
        r.attributes = v;
        try {
          return once();
        } finally {
          r.attributes = original;
        }
      });
      records = records.filter((rec) => {
        const address = rec.resource.address;
        const isNew = (f: Finding) =>
          f.address === address &&
          !base.findings.some((b) => b.address === f.address && b.message === f.message);
        const failing = runs.map((run) => run.findings.find(isNew));
        const unsure = runs.some((run) => run.records.some((x) => x.resource.address === address));
        if (failing.every((f) => f !== undefined)) {
          const first = failing[0]!;
          if (!findings.some((f) => f.address === address && f.message === first.message))
            findings.push({
              ...first,
              message:
                `${first.message} This holds in every branch of the dynamic blocks of ${r.address}, whose for_each ${rec.expression ?? ''} is unknown.`.replace(
                  '  is',
                  ' is',
                ),
            });
          return false;
        }
        return unsure || failing.some((f) => f !== undefined);
      });
    }
  const warnings = [...base.warnings];
  for (const rec of records) {
    if (profile.unknowns.report === 'finding')
      findings.push({
        ...findingFor(
          rec.rule,
          rec.resource,
          rec.message,
          `Give ${rec.expression ?? 'the value'} a value governance can read (a default, a module argument, a literal or a resource reference), or waive the finding with a reason. Then: ${rec.rule.fix}`,
        ),
        severity: profile.unknowns.severity,
        unverified: { expression: rec.expression },
      });
    else {
      const w = warningText(rec);
      if (!warnings.includes(w)) warnings.push(w);
    }
  }
  return { findings, warnings };
}

/** Creates / updates / deletes / replaces per plan stack. */
export function blastRadius(model: GovernanceModel): Record<string, BlastRadius> {
  const out: Record<string, BlastRadius> = {};
  for (const p of model.plans) out[p.stack] ??= { create: 0, update: 0, delete: 0, replace: 0 };
  for (const c of model.changes) {
    const b = (out[c.stack] ??= { create: 0, update: 0, delete: 0, replace: 0 });
    const kind = destructiveKind(c.actions);
    if (kind) b[kind]++;
    else if (c.actions.includes('create')) b.create++;
    else if (c.actions.includes('update')) b.update++;
  }
  return out;
}

/** Findings that fail the run at this threshold: not waived, not allowed, severe enough. */
export function failingFindings(result: Pick<ScanResult, 'findings'>, failOn: Severity): Finding[] {
  return result.findings.filter((f) => !f.waived && !f.allowed && atLeast(f.severity, failOn));
}

/** 0 when nothing fails at the threshold, else 1. (Bad input and expired waivers exit 2 in the CLI.) */
export function exitCode(result: Pick<ScanResult, 'findings'>, failOn: Severity): number {
  return failingFindings(result, failOn).length ? 1 : 0;
}
