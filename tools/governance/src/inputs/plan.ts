/**
 * `terraform show -json` plans → model resources and resource changes.
 *
 * Attribute values come from `resource_changes[].change.after`, with every leaf marked true in
 * `after_unknown` replaced by {@link UNKNOWN}. References (for linking a bucket to its
 * configuration resources when the bucket name is unknown) come from `configuration`, which
 * keeps the expressions' references per module call. Data sources read at plan time come from
 * `prior_state`. When `planRoot` (the folder the plan was made in) is given, resources inside
 * local modules get the module's HCL file and line.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError, UnsupportedPlanFormatError } from '../errors';
import {
  AFTER_APPLY,
  UNKNOWN,
  type GovernanceModel,
  type PlanAction,
  type Resource,
  type ResourceChange,
} from '../model';
import { hclBlockLine } from './lines';

type Json = Record<string, unknown>;

interface ConfigModuleJson {
  resources?: { address: string; type: string; name: string; mode: string; expressions?: Json }[];
  module_calls?: Record<string, { source?: string; module?: ConfigModuleJson }>;
}

/** Reads a plan file and adds its resources and changes to the model. */
export function addPlanFile(file: string, model: GovernanceModel, planRoot?: string): void {
  if (!existsSync(file))
    throw new InvalidInputError(
      rel(file),
      undefined,
      'plan file not found; create it with terraform show -json <planfile> > plan.json.',
    );
  if (statSync(file).isDirectory())
    throw new InvalidInputError(
      rel(file),
      undefined,
      'is a folder, not a plan file; pass each plan JSON (--plan <folder>/<stack>.json), or scan every stack of an environment with `stacks --environment <env>`.',
    );
  const text = readFileSync(file, 'utf8');
  let plan: Json;
  try {
    plan = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      rel(file),
      undefined,
      `not valid JSON (${(error as Error).message}); pass the output of terraform show -json.`,
      {
        cause: error,
      },
    );
  }
  addPlan(plan, rel(file), model, planRoot);
}

/** Adds an already parsed plan (see {@link addPlanFile}). */
export function addPlan(plan: Json, file: string, model: GovernanceModel, planRoot?: string): void {
  const fv = plan.format_version;
  if (typeof fv !== 'string' || !/^1\.\d+$/.test(fv))
    throw new UnsupportedPlanFormatError(file, fv);
  if (!Array.isArray(plan.resource_changes) && !plan.planned_values)
    throw new InvalidInputError(
      file,
      undefined,
      'has no resource_changes or planned_values: is this a plan (terraform show -json <planfile>) and not a state?',
    );
  const stack = path.basename(file).replace(/\.json$/, '');
  model.plans.push({ file, stack });

  // References and module sources from the configuration.
  const refs = new Map<string, Record<string, string[]>>();
  const sources = new Map<string, string>();
  const walk = (m: ConfigModuleJson | undefined, modulePath: string, dir: string | undefined) => {
    if (!m) return;
    for (const r of m.resources ?? []) {
      const byAttr: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(r.expressions ?? {})) byAttr[k] = collectReferences(v);
      refs.set(`${modulePath}|${r.address}`, byAttr);
    }
    for (const [name, call] of Object.entries(m.module_calls ?? {})) {
      const childPath = modulePath ? `${modulePath}.module.${name}` : `module.${name}`;
      const childDir =
        dir && call.source && /^\.\.?\//.test(call.source)
          ? path.resolve(dir, call.source)
          : undefined;
      if (childDir) sources.set(childPath, childDir);
      walk(call.module, childPath, childDir);
    }
  };
  const configuration = plan.configuration as
    { root_module?: ConfigModuleJson; provider_config?: Json } | undefined;
  walk(configuration?.root_module, '', planRoot ? path.resolve(planRoot) : undefined);

  const defaultTags = providerDefaultTags(configuration?.provider_config);
  const fileCache = new Map<string, { file: string; text: string }[]>();
  const locate = (modulePath: string, mode: string, type: string, name: string) => {
    const dir = modulePath
      ? sources.get(modulePath)
      : planRoot
        ? path.resolve(planRoot)
        : undefined;
    if (!dir || !existsSync(dir)) return undefined;
    let files = fileCache.get(dir);
    if (!files) {
      files = readdirSync(dir)
        .filter((n) => n.endsWith('.tf'))
        .map((n) => ({
          file: rel(path.join(dir, n)),
          text: readFileSync(path.join(dir, n), 'utf8'),
        }));
      fileCache.set(dir, files);
    }
    for (const f of files) {
      const line = hclBlockLine(f.text, mode === 'data' ? 'data' : 'resource', [type, name]);
      if (line) return { file: f.file, line };
    }
    return undefined;
  };

  for (const rc of (plan.resource_changes ?? []) as Json[]) {
    const change = (rc.change ?? {}) as Json;
    const actions = (change.actions ?? []) as PlanAction[];
    const modulePath = stripIndexes(String(rc.module_address ?? ''));
    const type = String(rc.type);
    const name = String(rc.name);
    const address = String(rc.address);
    const c: ResourceChange = {
      address,
      type,
      name,
      modulePath,
      actions,
      before: change.before,
      after: change.after,
      afterUnknown: change.after_unknown,
      file,
      stack,
    };
    model.changes.push(c);
    if (actions.length === 1 && actions[0] === 'delete') continue;
    if (rc.mode === 'data') continue;
    const where = locate(modulePath, String(rc.mode), type, name);
    const resource: Resource = {
      address,
      mode: 'managed',
      type,
      name,
      modulePath,
      attributes: withUnknowns(change.after, change.after_unknown) as Record<string, unknown>,
      file: where?.file ?? file,
      line: where?.line,
      inputKind: 'plan',
      input: file,
      references: refs.get(`${modulePath}|${type}.${name}`) ?? {},
      defaultTags,
      links: {},
    };
    model.resources.push(resource);
  }

  // Data sources read while planning (policy documents, partition, ...).
  const visitState = (m: { resources?: Json[]; child_modules?: Json[] } | undefined) => {
    if (!m) return;
    for (const r of m.resources ?? []) {
      if (r.mode !== 'data') continue;
      const address = String(r.address);
      const modulePath = stripIndexes(address.replace(/\.?data\..*$/, ''));
      model.resources.push({
        address,
        mode: 'data',
        type: String(r.type),
        name: String(r.name),
        modulePath,
        attributes: (r.values ?? {}) as Record<string, unknown>,
        file,
        inputKind: 'plan',
        input: file,
        references: {},
        defaultTags,
        links: {},
      });
    }
    for (const c of (m.child_modules ?? []) as { resources?: Json[]; child_modules?: Json[] }[])
      visitState(c);
  };
  const prior = plan.prior_state as
    { values?: { root_module?: { resources?: Json[]; child_modules?: Json[] } } } | undefined;
  visitState(prior?.values?.root_module);
}

const rel = (p: string) => path.relative(process.cwd(), p) || p;

/** `module.a["x"].module.b[0]` → `module.a.module.b`. */
export function stripIndexes(address: string): string {
  return address.replace(/\[[^\]]*\]/g, '');
}

function collectReferences(expr: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (Array.isArray(o.references)) out.push(...(o.references as string[]));
      for (const [k, x] of Object.entries(o))
        if (k !== 'references' && k !== 'constant_value') visit(x);
    }
  };
  visit(expr);
  return out;
}

function providerDefaultTags(
  providerConfig: Json | undefined,
): Record<string, unknown> | typeof UNKNOWN | undefined {
  if (!providerConfig) return undefined;
  const aws = Object.values(providerConfig).find(
    (p) => (p as Json).name === 'aws' && !(p as Json).alias,
  ) as Json | undefined;
  if (!aws) return undefined;
  const dt = ((aws.expressions as Json | undefined)?.default_tags as Json[] | undefined)?.[0];
  if (!dt) return {};
  const tags = dt.tags as Json | undefined;
  if (tags && 'constant_value' in tags)
    return (tags.constant_value ?? {}) as Record<string, unknown>;
  return UNKNOWN;
}

/** Replaces every leaf marked `true` in `after_unknown` with {@link UNKNOWN}. */
export function withUnknowns(after: unknown, unknown: unknown): unknown {
  // A plan's unknown is "known after apply": Terraform computes it then.
  if (unknown === true) return AFTER_APPLY;
  if (after === null || after === undefined) {
    if (unknown && typeof unknown === 'object')
      return withUnknowns(Array.isArray(unknown) ? [] : {}, unknown);
    return after;
  }
  if (!unknown || typeof unknown !== 'object') return after;
  if (Array.isArray(after)) {
    const u = unknown as unknown[];
    const len = Math.max(after.length, Array.isArray(u) ? u.length : 0);
    return Array.from({ length: len }, (_, i) =>
      withUnknowns(after[i], Array.isArray(u) ? u[i] : undefined),
    );
  }
  if (typeof after === 'object') {
    const out: Record<string, unknown> = { ...(after as Json) };
    for (const [k, u] of Object.entries(unknown as Json))
      out[k] = withUnknowns((after as Json)[k], u);
    return out;
  }
  return after;
}
