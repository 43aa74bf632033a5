/**
 * The normalized model every rule reads. HCL folders, Terraform JSON (CDK Terrain synth output) and
 * `terraform show -json` plans all become the same {@link GovernanceModel}: resources with
 * evaluated attributes, where a value Terraform cannot know before apply is the explicit
 * {@link UNKNOWN} marker (distinct from an absent attribute), plus links between resources that
 * belong together (a bucket and its encryption configuration, a function and its role).
 */

/**
 * Why a value is unknown: `apply` — a resource attribute Terraform only knows after apply (it
 * exists then; a plan's "known after apply" leaves); `unresolved` — governance could not
 * evaluate it (a root variable without default or argument, a module output, an expression it
 * does not evaluate).
 */
export type UnknownKind = 'apply' | 'unresolved';

/**
 * Marker class of a value that is only known after apply (or that governance could not resolve).
 * Most code only asks {@link isUnknown}; rules that must not pass an unknown value (SLW-CW-001)
 * read {@link unknownKind} and {@link unknownExpression}. Both are non-enumerable, so tagged
 * unknowns still compare equal to {@link UNKNOWN} in tests.
 */
export class UnknownValue {
  readonly unknown = true;
  declare readonly kind: UnknownKind;
  /** The expression the value came from (`var.alarm_actions`, `aws_sns_topic.alarms.arn`), when known. */
  declare readonly expression: string | undefined;
  /** For kind `apply`: the address of the resource it is an attribute of, when known. */
  declare readonly resource: string | undefined;
  /** Why it is unknown, when the evaluator knows better than {@link unknownWhy}'s guess. */
  declare readonly reason: string | undefined;
  /**
   * The values it may take, when they are few and known in shape: a `dynamic` block whose
   * `for_each` is unknown is either absent or present with its content ({@link variantsOf}).
   */
  declare readonly branches: readonly unknown[] | undefined;
  constructor(
    kind: UnknownKind = 'unresolved',
    expression?: string,
    resource?: string,
    reason?: string,
    branches?: readonly unknown[],
  ) {
    Object.defineProperty(this, 'kind', { value: kind, enumerable: false });
    Object.defineProperty(this, 'expression', { value: expression, enumerable: false });
    Object.defineProperty(this, 'resource', { value: resource, enumerable: false });
    Object.defineProperty(this, 'reason', { value: reason, enumerable: false });
    Object.defineProperty(this, 'branches', { value: branches, enumerable: false });
  }
  toJSON(): string {
    return '(known after apply)';
  }
}

/** The generic {@link UnknownValue} (kind `unresolved`, no expression). Compare with {@link isUnknown}. */
export const UNKNOWN = new UnknownValue();

/** The generic "known after apply" of a plan leaf (kind `apply`). */
export const AFTER_APPLY = new UnknownValue('apply');

/** An unknown that says where it came from (see {@link UnknownKind}). */
export function unknownFrom(
  kind: UnknownKind,
  expression?: string,
  resource?: string,
  reason?: string,
): UnknownValue {
  return new UnknownValue(kind, expression, resource, reason);
}

/**
 * An unknown that is one of `branches` (a `dynamic` block whose `for_each` is unknown: absent,
 * or present with its content). Rules see an unknown; the engine re-runs them on each branch.
 */
export function unknownBranches(
  expression: string | undefined,
  reason: string,
  branches: readonly unknown[],
): UnknownValue {
  return new UnknownValue('unresolved', expression, undefined, reason, branches);
}

/**
 * Why `value` is unknown, for messages: the evaluator's reason, else a reading of its kind and
 * expression, or `expression` when it has none (`var.x`: no default and no value passed; `module.m.o`: an output governance
 * cannot follow; a resource attribute: known only after apply).
 */
export function unknownWhy(value: UnknownValue, expression = value.expression): string {
  if (value.reason) return value.reason;
  if (value.kind === 'apply')
    return value.resource
      ? `an attribute of ${value.resource}, known only after apply`
      : 'known only after apply';
  const e = expression ?? '';
  if (e.startsWith('var.')) return 'the variable has no default and no value is passed to it';
  if (e.startsWith('module.')) return 'an output of a module governance cannot follow';
  if (e.startsWith('data.')) return 'a data source governance does not read';
  if (e.startsWith('each.') || e.startsWith('count.'))
    return 'the count or for_each of the resource is unknown';
  return 'governance cannot evaluate the expression';
}

/** At most this many variants of one resource are evaluated (2 per unknown `dynamic` block). */
export const MAX_VARIANTS = 16;

/**
 * Every combination of the branches of the unknowns in `value` ({@link unknownBranches}), or
 * `[value]` when it holds none (or more than {@link MAX_VARIANTS} combinations).
 */
export function variantsOf(value: unknown): unknown[] {
  if (!hasBranches(value)) return [value];
  const all = expand(value);
  return all.length > MAX_VARIANTS ? [value] : all;
}

function hasBranches(value: unknown): boolean {
  if (isUnknown(value)) return !!value.branches;
  if (Array.isArray(value)) return value.some(hasBranches);
  if (value && typeof value === 'object') return Object.values(value).some(hasBranches);
  return false;
}

function expand(value: unknown): unknown[] {
  if (isUnknown(value)) return value.branches ? value.branches.flatMap(expand) : [value];
  if (!hasBranches(value)) return [value];
  if (Array.isArray(value)) {
    let acc: unknown[][] = [[]];
    for (const v of value) {
      const alts = expand(v);
      acc = acc.flatMap((a) => alts.map((x) => [...a, x]));
      if (acc.length > MAX_VARIANTS) return [value];
    }
    return acc;
  }
  let acc: Record<string, unknown>[] = [{}];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const alts = expand(v);
    acc = acc.flatMap((a) => alts.map((x) => ({ ...a, [k]: x })));
    if (acc.length > MAX_VARIANTS) return [value];
  }
  return acc;
}

/** True when `value` is the {@link UNKNOWN} marker. */
export function isUnknown(value: unknown): value is UnknownValue {
  return value instanceof UnknownValue;
}

/** Where a model was read from. */
export type InputKind = 'hcl' | 'tf-json' | 'plan';

/** Plan actions of one resource change, as Terraform writes them. */
export type PlanAction = 'create' | 'update' | 'delete' | 'no-op' | 'read';

/** One change of a plan (`resource_changes[]`), kept for the plan guards. */
export interface ResourceChange {
  address: string;
  type: string;
  name: string;
  modulePath: string;
  actions: PlanAction[];
  before: unknown;
  after: unknown;
  afterUnknown: unknown;
  /** The plan file, for findings. */
  file: string;
  /** The stack the plan belongs to (plan file name without `.json`). */
  stack: string;
}

/** One resource (or data source) instance. */
export interface Resource {
  /** Full address, e.g. `module.bucket_media.aws_s3_bucket.this` or `aws_sqs_queue.dlq[0]`. */
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** `module.a.module.b`, or `''` for the root module. Instance keys are dropped. */
  modulePath: string;
  /** Evaluated attributes; nested blocks are arrays of objects; unknown leaves are {@link UNKNOWN}. */
  attributes: Record<string, unknown>;
  /** Source file (relative to the working directory) and 1-based line of the block, when known. */
  file?: string;
  line?: number;
  inputKind: InputKind;
  /** The input this resource came from (folder, JSON file or plan file). */
  input: string;
  /**
   * Resources referenced by each top-level attribute, as addresses relative to the module
   * (`aws_s3_bucket.this`, `data.aws_iam_policy_document.x`).
   */
  references: Record<string, string[]>;
  /** Provider `default_tags` in effect; `undefined` when no provider configuration is visible. */
  defaultTags?: Record<string, unknown> | UnknownValue;
  /**
   * The source text of each top-level attribute given as an expression (HCL and Terraform JSON),
   * whitespace collapsed: `var.bucket_name`, `"${local.prefix}-media"`. Links use it to tie a
   * bucket and its configuration that name the same unknown value.
   */
  expressions?: Record<string, string>;
  /** Linked resources by their type, filled by {@link linkResources}. */
  links: Record<string, Resource[]>;
  /**
   * The attribute maps the resource may have when a `dynamic` block's `for_each` is unknown
   * (each branch resolved: block absent / present), see {@link variantsOf}. The engine
   * re-runs a rule on each when the rule could not verify the resource.
   */
  variants?: Record<string, unknown>[];
}

/** Metadata of one HCL or JSON configuration folder, for the repository rules. */
export interface ConfigurationInfo {
  /** Folder (HCL) or file (Terraform JSON). */
  path: string;
  inputKind: InputKind;
  /** True when the folder has a backend or a provider block (a root configuration). */
  isRoot: boolean;
  hasLockFile: boolean;
  requiredProviders: {
    name: string;
    source?: string;
    version?: string;
    file: string;
    line?: number;
  }[];
  moduleCalls: {
    name: string;
    source?: string;
    version?: string;
    file: string;
    line?: number;
  }[];
  variables: {
    name: string;
    hasDescription: boolean;
    hasType: boolean;
    file: string;
    line?: number;
  }[];
  /** Top-level blocks that do not parse; the rest of their file was read (SLW-HCL-001). */
  parseErrors?: { file: string; line: number; block: string; message: string }[];
}

/** Everything the rules see. */
export interface GovernanceModel {
  resources: Resource[];
  configurations: ConfigurationInfo[];
  changes: ResourceChange[];
  /** Per plan stack: format_version etc. for reports. */
  plans: { file: string; stack: string }[];
  /** Resources by type, built by {@link indexModel}. */
  byType: Map<string, Resource[]>;
}

/** Creates an empty model. */
export function emptyModel(): GovernanceModel {
  return { resources: [], configurations: [], changes: [], plans: [], byType: new Map() };
}

/** Rebuilds {@link GovernanceModel.byType}. */
export function indexModel(model: GovernanceModel): GovernanceModel {
  model.byType = new Map();
  for (const r of model.resources) {
    const list = model.byType.get(r.type);
    if (list) list.push(r);
    else model.byType.set(r.type, [r]);
  }
  return model;
}

/** Managed resources of one type. */
export function resourcesOfType(model: GovernanceModel, type: string): Resource[] {
  return (model.byType.get(type) ?? []).filter((r) => r.mode === 'managed');
}

/** The resources linked to `resource` of the given type. */
export function linked(resource: Resource, type: string): Resource[] {
  return resource.links[type] ?? [];
}

/**
 * Nested block(s) of an attribute map as an array: plans and HCL give blocks as arrays, Terraform
 * JSON may give a single object. Unknown → {@link UNKNOWN}; absent → `[]`.
 */
export function blocks(
  attributes: Record<string, unknown> | undefined,
  name: string,
): Record<string, unknown>[] | UnknownValue {
  const value = attributes?.[name];
  if (isUnknown(value)) return value;
  if (value === undefined || value === null) return [];
  if (Array.isArray(value))
    return value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
  if (typeof value === 'object') return [value as Record<string, unknown>];
  return [];
}

/** First nested block, `undefined` when absent, {@link UNKNOWN} when unknown. */
export function firstBlock(
  attributes: Record<string, unknown> | undefined,
  name: string,
): Record<string, unknown> | UnknownValue | undefined {
  const list = blocks(attributes, name);
  if (isUnknown(list)) return list;
  const unknown = list.find((b) => isUnknown(b));
  if (unknown) return unknown as unknown as UnknownValue;
  return list[0];
}

/** True when the value or anything inside it is {@link UNKNOWN}. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === 'object') return Object.values(value).some(containsUnknown);
  return false;
}
