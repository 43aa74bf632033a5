/**
 * Terraform configurations (HCL folders and Terraform JSON files) → model resources.
 *
 * Both syntaxes are first brought to the shape `@cdktn/hcl2json` produces (every block an array
 * of bodies), then one evaluator walks the module tree: variables take the caller's arguments
 * (module block) or their defaults, locals are evaluated lazily, local child modules are loaded
 * and evaluated with the arguments they are called with, `count`/`for_each`/`dynamic` are
 * expanded when known. Values only known after apply become {@link UNKNOWN}.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseHcl } from '@cdktn/hcl2json';
import { InvalidInputError } from '../errors';
import { evaluateString, staticReferences, type Scope } from '../hcl/expression';
import {
  UNKNOWN,
  isUnknown,
  unknownBranches,
  unknownFrom,
  variantsOf,
  type ConfigurationInfo,
  type GovernanceModel,
  type InputKind,
  type Resource,
  type UnknownValue,
} from '../model';
import { hclBlockLine, jsonKeyLine } from './lines';
import { applyTypeDefaults, parseType } from './types';
import { policyDocumentFromDataSource } from '../policy';

type Body = Record<string, unknown>;

/** A configuration document in hcl2json's shape. */
export interface ConfigDoc {
  resource?: Record<string, Record<string, Body[]>>;
  data?: Record<string, Record<string, Body[]>>;
  module?: Record<string, Body[]>;
  variable?: Record<string, Body[]>;
  output?: Record<string, Body[]>;
  provider?: Record<string, Body[]>;
  locals?: Body[];
  terraform?: Body[];
}

/** One parsed source file. */
export interface SourceFile {
  path: string;
  text: string;
  doc: ConfigDoc;
  kind: 'hcl' | 'tf-json';
  /** Top-level blocks that did not parse (the rest of the file is in `doc`). */
  parseErrors?: ParseError[];
}

/** One configuration folder (HCL) or file (Terraform JSON). */
export interface ConfigModule {
  /** Folder that relative module sources resolve against. */
  dir: string;
  /** What the user named: the folder, or the JSON file. */
  input: string;
  kind: InputKind;
  files: SourceFile[];
}

const asArray = (v: unknown): Body[] =>
  v === undefined || v === null
    ? []
    : (Array.isArray(v) ? v : [v]).filter((x): x is Body => !!x && typeof x === 'object');

const rel = (p: string) => path.relative(process.cwd(), p) || '.';

/** Brings Terraform JSON syntax to hcl2json's shape (blocks as arrays, `//` comments dropped). */
export function normalizeTfJson(raw: Record<string, unknown>): ConfigDoc {
  const doc: ConfigDoc = {};
  const named = (v: unknown) =>
    Object.fromEntries(
      Object.entries((v ?? {}) as Record<string, unknown>)
        .filter(([k]) => k !== '//')
        .map(([k, b]) => [k, asArray(b)]),
    );
  for (const kind of ['resource', 'data'] as const) {
    if (!raw[kind]) continue;
    doc[kind] = Object.fromEntries(
      Object.entries(raw[kind] as Record<string, unknown>)
        .filter(([k]) => k !== '//')
        .map(([type, byName]) => [type, named(byName)]),
    );
  }
  for (const kind of ['module', 'variable', 'output', 'provider'] as const)
    if (raw[kind]) doc[kind] = named(raw[kind]);
  if (raw.locals) doc.locals = asArray(raw.locals);
  if (raw.terraform) doc.terraform = asArray(raw.terraform);
  return doc;
}

/**
 * Loads every `*.tf` and `*.tf.json` file of a folder.
 *
 * @throws InvalidInputError when the folder is missing or a file does not parse.
 */
export async function loadHclFolder(dir: string): Promise<ConfigModule> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new InvalidInputError(
      rel(dir),
      undefined,
      'is not a folder; pass --hcl <folder with *.tf files>.',
    );
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.tf') || n.endsWith('.tf.json'))
    .sort();
  const files: SourceFile[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const text = readFileSync(file, 'utf8');
    if (name.endsWith('.tf.json')) {
      files.push({
        path: rel(file),
        text,
        doc: normalizeTfJson(parseJson(file, text)),
        kind: 'tf-json',
      });
      continue;
    }
    const { doc, errors } = await parseHclTolerant(name, text);
    files.push({ path: rel(file), text, doc, kind: 'hcl', parseErrors: errors });
  }
  return { dir, input: rel(dir), kind: 'hcl', files };
}

/** A top-level block of an HCL file that does not parse (SLW-HCL-001 reports it). */
export interface ParseError {
  /** 1-based line of the error (or of the block when the parser gave none). */
  line: number;
  /** The block's header, e.g. `resource "aws_s3_bucket" "logs"`. */
  block: string;
  message: string;
}

/** Top-level block headers start at column 0 with one of these keywords. */
const BLOCK_HEADER =
  /^(resource|data|module|variable|output|locals|provider|terraform|check|import|moved|removed)\b[^\n]*/;

/**
 * Parses an HCL file; when it does not parse, parses each top-level block on its own so one
 * bad block does not hide the others: the blocks that parse are kept, the others are returned
 * as {@link ParseError}s with their line.
 */
async function parseHclTolerant(
  name: string,
  text: string,
): Promise<{ doc: ConfigDoc; errors: ParseError[] }> {
  try {
    return { doc: (await parseHcl(name, text)) as ConfigDoc, errors: [] };
  } catch (error) {
    const lines = text.split('\n');
    const starts = lines.flatMap((l, i) => (BLOCK_HEADER.test(l) ? [i] : []));
    if (starts.length === 0) starts.push(0);
    const doc: ConfigDoc = {};
    const errors: ParseError[] = [];
    for (let k = 0; k < starts.length; k++) {
      const from = k === 0 ? 0 : starts[k];
      const to = k + 1 < starts.length ? starts[k + 1] : lines.length;
      // Earlier lines blank, so the parser's line numbers are the file's.
      const chunk = '\n'.repeat(from) + lines.slice(from, to).join('\n');
      try {
        mergeDoc(doc, (await parseHcl(name, chunk)) as ConfigDoc);
      } catch (e) {
        const msg = (e instanceof Error ? e.message : String(e)).trim();
        const line = Number(/:(\d+),/.exec(msg)?.[1] ?? starts[k] + 1);
        const header = lines[starts[k]]?.match(BLOCK_HEADER)?.[0] ?? '';
        errors.push({ line, block: blockAddress(header) || name, message: firstDiagnostic(msg) });
      }
    }
    if (errors.length === 0)
      // Each block parses alone but not together (e.g. a duplicate): report the file.
      errors.push({
        line: Number(/:(\d+),/.exec(String(error))?.[1] ?? 1),
        block: name,
        message: String(error instanceof Error ? error.message : error).trim(),
      });
    return { doc, errors };
  }
}

/** `resource "aws_s3_bucket" "x" {` → `aws_s3_bucket.x` (data., module., var., output., or the keyword). */
function blockAddress(header: string): string {
  const [kind, ...labels] = [...header.matchAll(/^[a-z_]+|"([^"]*)"/g)].map((m) => m[1] ?? m[0]);
  if (!kind) return '';
  const prefix: Record<string, string> = {
    data: 'data.',
    module: 'module.',
    variable: 'var.',
    output: 'output.',
  };
  if (kind === 'resource') return labels.join('.');
  return labels.length ? `${prefix[kind] ?? `${kind}.`}${labels.join('.')}` : kind;
}

/** hcl2json's `parse config: [f.tf:7,17-8,1: Summary; Detail. More. …]` → `Summary: Detail.` */
function firstDiagnostic(message: string): string {
  const inner = /\[([\s\S]*)\]$/.exec(message)?.[1] ?? message;
  const first = inner.split(/\s(?=[^\s:]+\.tf(?:\.json)?:\d+,)/)[0];
  const text = first.replace(/^[^\s:]+:\d+,\d+(-\d+(,\d+)?)?:\s*/, '');
  const [summary, detail] = text.split(/;\s*/, 2);
  return detail ? `${summary}: ${detail.split(/(?<=\.)\s/)[0]}` : summary;
}

/** Adds the blocks of `from` to `into` (hcl2json shape: every block an array of bodies). */
function mergeDoc(into: ConfigDoc, from: ConfigDoc): void {
  const target = into as Record<string, unknown>;
  for (const [kind, value] of Object.entries(from as Record<string, unknown>)) {
    if (Array.isArray(value)) {
      target[kind] = [...((target[kind] as unknown[]) ?? []), ...value];
      continue;
    }
    const byType = (target[kind] ??= {}) as Record<string, unknown>;
    for (const [type, inner] of Object.entries(value as Record<string, unknown>)) {
      if (Array.isArray(inner)) {
        byType[type] = [...((byType[type] as unknown[]) ?? []), ...inner];
        continue;
      }
      const byName = (byType[type] ??= {}) as Record<string, unknown>;
      for (const [n, bodies] of Object.entries(inner as Record<string, unknown>))
        byName[n] = [...((byName[n] as unknown[]) ?? []), ...(bodies as unknown[])];
    }
  }
}

/** Loads one Terraform JSON file (e.g. `cdktf.out/stacks/<stack>/cdk.tf.json`). */
export function loadTfJsonFile(file: string): ConfigModule {
  if (!existsSync(file))
    throw new InvalidInputError(
      rel(file),
      undefined,
      'file not found; pass --tf-json <cdk.tf.json>.',
    );
  const text = readFileSync(file, 'utf8');
  const doc = normalizeTfJson(parseJson(file, text));
  return {
    dir: path.dirname(file),
    input: rel(file),
    kind: 'tf-json',
    files: [{ path: rel(file), text, doc, kind: 'tf-json' }],
  };
}

function parseJson(file: string, text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw new Error('top level is not an object');
    return v;
  } catch (error) {
    const pos = /position (\d+)/.exec(String(error))?.[1];
    const line = pos ? text.slice(0, Number(pos)).split('\n').length : undefined;
    throw new InvalidInputError(
      rel(file),
      line,
      `not valid JSON (${(error as Error).message}); regenerate or fix the file.`,
      {
        cause: error,
      },
    );
  }
}

/** Local module source (`./x`, `../x`) resolved to a folder, or undefined. */
export function localSource(dir: string, source: unknown): string | undefined {
  if (typeof source !== 'string' || !/^\.\.?(\/|$)/.test(source)) return undefined;
  return path.resolve(dir, source);
}

/** Loads the local child modules of a configuration, recursively (async: hcl2json is async). */
export async function loadModuleTree(
  root: ConfigModule,
  cache: Map<string, ConfigModule>,
  depth = 0,
): Promise<void> {
  if (depth > 8) return;
  for (const f of root.files)
    for (const bodies of Object.values(f.doc.module ?? {}))
      for (const b of bodies) {
        const dir = localSource(root.dir, b.source);
        if (!dir || cache.has(dir) || !existsSync(dir)) continue;
        const child = await loadHclFolder(dir);
        cache.set(dir, child);
        await loadModuleTree(child, cache, depth + 1);
      }
}

/** Repository metadata of a configuration (for the SLW-REPO rules). */
export function configurationInfo(mod: ConfigModule): ConfigurationInfo {
  const info: ConfigurationInfo = {
    path: mod.input,
    inputKind: mod.kind,
    isRoot: false,
    hasLockFile: existsSync(path.join(mod.dir, '.terraform.lock.hcl')),
    requiredProviders: [],
    moduleCalls: [],
    variables: [],
    parseErrors: [],
  };
  for (const f of mod.files) {
    for (const e of f.parseErrors ?? []) info.parseErrors!.push({ ...e, file: f.path });
    const d = f.doc;
    if (Object.keys(d.provider ?? {}).length) info.isRoot = true;
    for (const t of d.terraform ?? []) {
      if (t.backend || t.cloud) info.isRoot = true;
      for (const rp of asArray(t.required_providers))
        for (const [name, spec] of Object.entries(rp)) {
          if (name === '//') continue;
          const s = typeof spec === 'string' ? { version: spec } : (spec as Body);
          info.requiredProviders.push({
            name,
            source: typeof s.source === 'string' ? s.source : undefined,
            version: typeof s.version === 'string' ? s.version : undefined,
            file: f.path,
            line:
              f.kind === 'hcl'
                ? hclAttrBlockLine(f.text, name)
                : jsonKeyLine(f.text, ['required_providers', name]),
          });
        }
    }
    for (const [name, bodies] of Object.entries(d.module ?? {}))
      for (const b of bodies)
        info.moduleCalls.push({
          name,
          source: typeof b.source === 'string' ? b.source : undefined,
          version: typeof b.version === 'string' ? b.version : undefined,
          file: f.path,
          line:
            f.kind === 'hcl'
              ? hclBlockLine(f.text, 'module', [name])
              : jsonKeyLine(f.text, ['module', name]),
        });
    for (const [name, bodies] of Object.entries(d.variable ?? {}))
      for (const b of bodies)
        info.variables.push({
          name,
          hasDescription: typeof b.description === 'string' && b.description.trim().length > 0,
          hasType: b.type !== undefined,
          file: f.path,
          line:
            f.kind === 'hcl'
              ? hclBlockLine(f.text, 'variable', [name])
              : jsonKeyLine(f.text, ['variable', name]),
        });
  }
  return info;
}

function hclAttrBlockLine(text: string, name: string): number | undefined {
  const start = text.search(/required_providers\s*\{/);
  if (start < 0) return undefined;
  const m = new RegExp(`^\\s*${name}\\s*=`, 'm').exec(text.slice(start));
  return m
    ? text.slice(0, start + m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0)
    : undefined;
}

/** Context of one module instance being evaluated. */
interface EvalContext {
  model: GovernanceModel;
  modules: Map<string, ConfigModule>;
  modulePath: string;
  /** Module address including instance keys, for resource addresses. */
  addressPrefix: string;
  defaultTags?: Record<string, unknown> | UnknownValue;
  /** The default aws provider's known `region`, inherited by child modules (`data.aws_region`). */
  region?: string;
  input: string;
  inputKind: InputKind;
  depth: number;
}

const META = new Set([
  'count',
  'for_each',
  'depends_on',
  'lifecycle',
  'provider',
  'provisioner',
  'connection',
  '//',
]);

/**
 * Evaluates a configuration and its local child modules into model resources.
 *
 * @param args the caller's module arguments; `undefined` for a root (variables take defaults).
 */
export function evaluateConfiguration(
  mod: ConfigModule,
  model: GovernanceModel,
  modules: Map<string, ConfigModule>,
  args?: Record<string, unknown>,
  parent?: Pick<
    EvalContext,
    'modulePath' | 'addressPrefix' | 'defaultTags' | 'region' | 'depth' | 'input' | 'inputKind'
  >,
): void {
  const ctx: EvalContext = {
    model,
    modules,
    modulePath: parent?.modulePath ?? '',
    addressPrefix: parent?.addressPrefix ?? '',
    defaultTags: parent?.defaultTags,
    region: parent?.region,
    input: parent?.input ?? mod.input,
    inputKind: parent?.inputKind ?? mod.kind,
    depth: parent?.depth ?? 0,
  };
  const scope = moduleScope(mod, args, ctx.addressPrefix, modules, ctx.depth);
  scope.region = ctx.region;

  // Provider default tags: a module's own provider block wins, else the caller's are inherited.
  for (const f of mod.files) {
    const aws = f.doc.provider?.aws?.find((p) => p.alias === undefined) ?? f.doc.provider?.aws?.[0];
    if (!aws) continue;
    const region = evaluateValue(aws.region, scope.scope);
    ctx.region = typeof region === 'string' ? region : undefined;
    scope.region = ctx.region;
    const dt = aws.default_tags;
    if (dt === undefined) ctx.defaultTags = {};
    else {
      const tags = evaluateValue(asArray(dt)[0]?.tags ?? {}, scope.scope);
      ctx.defaultTags = isUnknown(tags) ? UNKNOWN : ((tags ?? {}) as Record<string, unknown>);
    }
  }

  for (const f of mod.files) {
    for (const mode of ['resource', 'data'] as const)
      for (const [type, byName] of Object.entries(f.doc[mode] ?? {}))
        for (const [name, bodies] of Object.entries(byName))
          for (const body of bodies) addResource(ctx, scope, f, mode, type, name, body);

    for (const [name, bodies] of Object.entries(f.doc.module ?? {}))
      for (const body of bodies) {
        const dir = localSource(mod.dir, body.source);
        const child = dir ? modules.get(dir) : undefined;
        if (!child || ctx.depth > 8) continue;
        for (const inst of instances(body, scope.scope)) {
          const callArgs: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(body))
            if (!META.has(k) && k !== 'source' && k !== 'version' && k !== 'providers')
              callArgs[k] = evaluateValue(v, inst.scope);
          const modAddr = `module.${name}${inst.key}`;
          evaluateConfiguration(child, model, modules, callArgs, {
            modulePath: ctx.modulePath ? `${ctx.modulePath}.module.${name}` : `module.${name}`,
            addressPrefix: ctx.addressPrefix ? `${ctx.addressPrefix}.${modAddr}` : modAddr,
            defaultTags: ctx.defaultTags,
            region: ctx.region,
            depth: ctx.depth + 1,
            input: ctx.input,
            inputKind: ctx.inputKind,
          });
        }
      }
  }
}

interface ModuleScope {
  scope: Scope;
  localsRaw: Map<string, unknown>;
  /** Raw output expressions, filled when the scope serves `module.<call>.<output>`. */
  outputs?: Map<string, unknown>;
  /** The provider region in effect (see {@link EvalContext.region}). */
  region?: string;
}

function moduleScope(
  mod: ConfigModule,
  args: Record<string, unknown> | undefined,
  addressPrefix = '',
  modules?: Map<string, ConfigModule>,
  depth = 0,
): ModuleScope {
  const variables = new Map<string, Body>();
  const localsRaw = new Map<string, unknown>();
  const dataBodies = new Map<string, Map<string, Body>>();
  for (const f of mod.files) {
    for (const [name, bodies] of Object.entries(f.doc.variable ?? {}))
      variables.set(name, bodies[0] ?? {});
    for (const block of f.doc.locals ?? [])
      for (const [k, v] of Object.entries(block)) if (k !== '//') localsRaw.set(k, v);
    for (const [type, byName] of Object.entries(f.doc.data ?? {}))
      for (const [name, bodies] of Object.entries(byName)) {
        if (!dataBodies.has(type)) dataBodies.set(type, new Map());
        dataBodies.get(type)!.set(name, bodies[0] ?? {});
      }
  }
  const moduleCalls = new Map<string, Body>();
  for (const f of mod.files)
    for (const [name, bodies] of Object.entries(f.doc.module ?? {}))
      if (bodies[0]) moduleCalls.set(name, bodies[0]);
  const outputScopes = new Map<string, ModuleScope | undefined>();
  const localValues = new Map<string, unknown>();
  const evaluating = new Set<string>();
  const dataValues = new Map<string, unknown>();

  const varValues = new Map<string, unknown>();
  const varValue = (name: string): unknown => {
    if (varValues.has(name)) return varValues.get(name);
    const decl = variables.get(name);
    let v: unknown;
    if (args && name in args) {
      v = args[name];
      if (v === null && decl && decl.nullable === false && decl.default !== undefined)
        v = evaluateValue(decl.default, scope);
    } else if (decl && 'default' in decl) v = evaluateValue(decl.default, scope);
    else return unknownFrom('unresolved', `var.${name}`);
    // Terraform converts the value to the variable's type: optional() attributes get defaults.
    if (decl?.type !== undefined) v = applyTypeDefaults(v, parseType(decl.type));
    varValues.set(name, v);
    return v;
  };

  const scope: Scope = {
    root(name) {
      if (name === 'path') return { module: mod.dir, root: mod.dir, cwd: process.cwd() };
      if (name === 'terraform') return { workspace: 'default' };
      return undefined;
    },
    member(root, name, rest) {
      if (root === 'var') return varValue(name);
      if (root === 'local') {
        if (localValues.has(name)) return localValues.get(name);
        if (!localsRaw.has(name) || evaluating.has(name)) return UNKNOWN;
        evaluating.add(name);
        const v = evaluateValue(localsRaw.get(name), scope);
        evaluating.delete(name);
        localValues.set(name, v);
        return v;
      }
      if (root === 'data') {
        const key = name;
        if (dataValues.has(key)) return dataValues.get(key);
        const byName = dataBodies.get(name);
        let v: unknown = UNKNOWN;
        if (byName && name === 'aws_partition')
          v = Object.fromEntries(
            [...byName.keys()].map((n) => [
              n,
              { partition: 'aws', dns_suffix: 'amazonaws.com', id: 'aws' },
            ]),
          );
        else if (byName && name === 'aws_region' && self.region)
          // Without arguments, aws_region is the provider's region (read without an API call).
          v = Object.fromEntries(
            [...byName.entries()].map(([n, body]) => [
              n,
              Object.keys(body).some((k) => !META.has(k))
                ? UNKNOWN
                : { name: self.region, region: self.region, id: self.region },
            ]),
          );
        else if (byName && name === 'aws_iam_policy_document') {
          v = Object.fromEntries(
            [...byName.entries()].map(([n, body]) => {
              const doc = policyDocumentFromDataSource(evaluateBody(body, scope));
              return [n, { json: doc, minified_json: doc }];
            }),
          );
        }
        dataValues.set(key, v);
        return v;
      }
      if (root === 'module') {
        const output = rest[0] === undefined ? undefined : moduleOutput(name, rest[0]);
        // The caller indexes the result with `rest` (the output name first).
        return output === undefined
          ? unknownFrom('unresolved', ['module', name, ...rest.slice(0, 1)].join('.'))
          : { [rest[0]]: output };
      }
      if (root === 'each' || root === 'count' || root === 'self') return UNKNOWN;
      // Resource references: attributes are only known after apply (the resource exists then).
      if (/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(root))
        return unknownFrom(
          'apply',
          [root, name, ...rest].join('.'),
          addressPrefix ? `${addressPrefix}.${root}.${name}` : `${root}.${name}`,
        );
      return undefined;
    },
  };

  /**
   * `module.<call>.<output>` of a local child module called once (no count / for_each): the
   * output's expression in the child's scope, so a resource attribute behind it stays tagged
   * with the resource's address. `undefined` when it cannot be followed.
   */
  function moduleOutput(call: string, output: string): unknown {
    const body = moduleCalls.get(call);
    if (!body || !modules || depth > 8 || body.count !== undefined || body.for_each !== undefined)
      return undefined;
    if (!outputScopes.has(call)) {
      const dir = localSource(mod.dir, body.source);
      const child = dir ? modules.get(dir) : undefined;
      let childScope: ModuleScope | undefined;
      if (child) {
        const callArgs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(body))
          if (!META.has(k) && k !== 'source' && k !== 'version' && k !== 'providers')
            callArgs[k] = evaluateValue(v, scope);
        const prefix = addressPrefix ? `${addressPrefix}.module.${call}` : `module.${call}`;
        childScope = moduleScope(child, callArgs, prefix, modules, depth + 1);
        childScope.region = self.region;
        childScope.outputs = new Map();
        for (const f of child.files)
          for (const [n, bodies] of Object.entries(f.doc.output ?? {}))
            if (bodies[0] && 'value' in bodies[0]) childScope.outputs.set(n, bodies[0].value);
      }
      outputScopes.set(call, childScope);
    }
    const childScope = outputScopes.get(call);
    if (!childScope?.outputs?.has(output)) return undefined;
    return evaluateValue(childScope.outputs.get(output), childScope.scope);
  }

  const self: ModuleScope = { scope, localsRaw };
  return self;
}

/** Evaluates a raw hcl2json value: strings as templates, collections recursively. */
export function evaluateValue(raw: unknown, scope: Scope): unknown {
  if (typeof raw === 'string') return evaluateString(raw, scope);
  if (Array.isArray(raw)) return raw.map((v) => evaluateValue(v, scope));
  if (raw && typeof raw === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) if (k !== '//') out[k] = evaluateValue(v, scope);
    return out;
  }
  return raw;
}

/** Evaluates a block body: attributes, nested blocks and `dynamic` blocks. */
function evaluateBody(body: Body, scope: Scope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (META.has(k)) continue;
    if (k === 'dynamic') continue;
    if (
      Array.isArray(v) &&
      v.length > 0 &&
      v.every((b) => b && typeof b === 'object' && !Array.isArray(b)) &&
      isBlockLike(v)
    )
      out[k] = v.map((b) => evaluateBody(b as Body, scope));
    else out[k] = evaluateValue(v, scope);
  }
  const dyn = body.dynamic as Record<string, Body[]> | undefined;
  if (dyn && typeof dyn === 'object')
    for (const [blockName, defs] of Object.entries(dyn))
      for (const def of asArray(defs)) {
        const forEach = evaluateValue(def.for_each, scope);
        const iterator =
          typeof def.iterator === 'string' ? def.iterator.replace(/^\$\{|\}$/g, '') : blockName;
        const existing = out[blockName];
        if (isUnknown(forEach) || forEach === null || typeof forEach !== 'object') {
          // Unknown for_each: the block is absent, or present with its content (iterator unknown).
          const expression = forEachText(def.for_each);
          const why = `the for_each of dynamic "${blockName}" is unknown${isUnknown(forEach) && forEach.expression && forEach.expression !== expression ? `: ${forEach.expression}` : ''}`;
          const inner: Scope = {
            root: (n) =>
              n === iterator
                ? {
                    key: unknownFrom('unresolved', `${iterator}.key`, undefined, why),
                    value: unknownFrom('unresolved', `${iterator}.value`, undefined, why),
                  }
                : scope.root(n),
            member: (r, n, rest) => (r === iterator ? undefined : scope.member?.(r, n, rest)),
          };
          const before = isUnknown(existing) ? [] : Array.isArray(existing) ? existing : [];
          out[blockName] = unknownBranches(expression, why, [
            [...before, evaluateBody(asArray(def.content)[0] ?? {}, inner)],
            before,
          ]);
          continue;
        }
        const entries = Array.isArray(forEach)
          ? forEach.map((v, i) => [i, v] as const)
          : Object.entries(forEach as Record<string, unknown>);
        const generated = entries.map(([key, value]) => {
          const inner: Scope = {
            root: (n) => (n === iterator ? { key, value } : scope.root(n)),
            member: (r, n) => (r === iterator ? undefined : scope.member?.(r, n, [])),
          };
          return evaluateBody(asArray(def.content)[0] ?? {}, inner);
        });
        out[blockName] = isUnknown(existing)
          ? UNKNOWN
          : [...(Array.isArray(existing) ? existing : []), ...generated];
      }
  return out;
}

/** The text of a `for_each` expression (`var.rules`), for messages. */
function forEachText(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = /^\$\{([\s\S]*)\}$/.exec(raw.trim());
  return (m ? m[1] : raw).trim();
}

/** hcl2json gives nested blocks as arrays of objects; an attribute list of objects looks the same. */
function isBlockLike(v: unknown[]): boolean {
  return v.every((b) => !Object.keys(b as object).some((k) => k.includes(':')));
}

interface Instance {
  key: string;
  scope: Scope;
}

/** Expands `count` / `for_each` into instances; unknown → one instance keyed `[*]`. */
function instances(body: Body, scope: Scope): Instance[] {
  const withRoot = (extra: Record<string, unknown>): Scope => ({
    root: (n) => (n in extra ? extra[n] : scope.root(n)),
    member: (r, n, rest) => (r in extra ? undefined : scope.member?.(r, n, rest)),
  });
  if (body.count !== undefined) {
    const n = evaluateValue(body.count, scope);
    if (isUnknown(n) || typeof n !== 'number')
      return [{ key: '[*]', scope: withRoot({ count: { index: UNKNOWN } }) }];
    return Array.from({ length: n }, (_, i) => ({
      key: `[${i}]`,
      scope: withRoot({ count: { index: i } }),
    }));
  }
  if (body.for_each !== undefined) {
    const fe = evaluateValue(body.for_each, scope);
    if (isUnknown(fe) || fe === null || typeof fe !== 'object')
      return [{ key: '[*]', scope: withRoot({ each: { key: UNKNOWN, value: UNKNOWN } }) }];
    const entries = Array.isArray(fe) ? fe.map((v) => [String(v), v] as const) : Object.entries(fe);
    return entries.map(([k, v]) => ({
      key: `[${JSON.stringify(k)}]`,
      scope: withRoot({ each: { key: k, value: v } }),
    }));
  }
  return [{ key: '', scope }];
}

function addResource(
  ctx: EvalContext,
  ms: ModuleScope,
  f: SourceFile,
  mode: 'resource' | 'data',
  type: string,
  name: string,
  body: Body,
): void {
  const line =
    f.kind === 'hcl'
      ? hclBlockLine(f.text, mode, [type, name])
      : jsonKeyLine(f.text, [mode, type, name]);
  const references: Record<string, string[]> = {};
  const expressions: Record<string, string> = {};
  for (const [k, v] of Object.entries(body))
    if (!META.has(k)) {
      references[k] = expandLocalRefs(staticReferences(v), ms);
      if (typeof v === 'string' && v.includes('${')) expressions[k] = v.replace(/\s+/g, ' ').trim();
    }
  for (const inst of instances(body, ms.scope)) {
    const local = `${mode === 'data' ? 'data.' : ''}${type}.${name}${inst.key}`;
    const resource: Resource = {
      address: ctx.addressPrefix ? `${ctx.addressPrefix}.${local}` : local,
      mode: mode === 'data' ? 'data' : 'managed',
      type,
      name,
      modulePath: ctx.modulePath,
      attributes: evaluateBody(body, inst.scope),
      file: f.path,
      line,
      inputKind: ctx.inputKind,
      input: ctx.input,
      references,
      expressions,
      defaultTags: ctx.defaultTags,
      links: {},
    };
    const variants = variantsOf(resource.attributes);
    if (variants.length > 1) resource.variants = variants as Record<string, unknown>[];
    ctx.model.resources.push(resource);
  }
}

/** Adds the references made through `local.x` (one level of locals, transitively). */
function expandLocalRefs(refs: string[], ms: ModuleScope): string[] {
  if (!refs.some((r) => r.startsWith('local.'))) return refs;
  const locals = ms.localsRaw;
  const out = new Set(refs);
  const queue = refs.filter((r) => r.startsWith('local.'));
  const seen = new Set<string>();
  while (queue.length) {
    const r = queue.pop()!;
    if (seen.has(r)) continue;
    seen.add(r);
    const raw = locals.get(r.slice('local.'.length));
    for (const x of staticReferences(raw)) {
      out.add(x);
      if (x.startsWith('local.')) queue.push(x);
    }
  }
  return [...out];
}
