import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The flows this library holds, by name (`<name>.asl.json`). */
export const FLOW_NAMES = ['media', 'etl'] as const;
/** A flow name. */
export type FlowName = (typeof FLOW_NAMES)[number];

/** An Amazon States Language definition (JSONPath). */
export type AslDefinition = { StartAt: string; States: Record<string, AslState>; Comment?: string };
/** One ASL state, loosely typed: only the fields Slipway inspects are named. */
export type AslState = {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Branches?: AslDefinition[];
  Retry?: { ErrorEquals: string[]; [k: string]: unknown }[];
  Catch?: { ErrorEquals: string[]; Next: string; [k: string]: unknown }[];
  TimeoutSeconds?: number;
  [key: string]: unknown;
};

/**
 * A reference in a definition to something each environment names differently:
 * `slipway:lambda:<app>`, `slipway:bus:<name>`, `slipway:role:<name>`. The stacks replace them
 * with real ARNs/names, the sandbox with local ones. (Not `${...}`: Terraform would read that as
 * an interpolation in the synthesized JSON.)
 */
export const PLACEHOLDER = /^slipway:(lambda|bus|role):([a-z][a-z0-9-]*)$/;

/** Kind of a {@link PLACEHOLDER}. */
export type PlaceholderKind = 'lambda' | 'bus' | 'role';

const FLOWS_DIR = join(__dirname, '..');

/** Reads `libs/flows/<name>.asl.json`: the very definition Terraform deploys and the sandbox runs. */
export function loadFlow(name: FlowName): AslDefinition {
  return JSON.parse(readFileSync(join(FLOWS_DIR, `${name}.asl.json`), 'utf8'));
}

/** Every placeholder the definition uses, as `[kind, name]`, sorted and unique. */
export function placeholdersOf(definition: unknown): [PlaceholderKind, string][] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (PLACEHOLDER.test(value)) found.add(value);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(definition);
  return [...found].sort().map((p) => {
    const [, kind, name] = PLACEHOLDER.exec(p)!;
    return [kind as PlaceholderKind, name];
  });
}

/**
 * Returns a copy of the definition with every placeholder replaced by `resolve(kind, name)`.
 *
 * @throws when `resolve` returns undefined for a placeholder, naming it.
 */
export function resolvePlaceholders<T>(
  definition: T,
  resolve: (kind: PlaceholderKind, name: string) => string | undefined,
): T {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const match = PLACEHOLDER.exec(value);
      if (!match) return value;
      const resolved = resolve(match[1] as PlaceholderKind, match[2]);
      if (resolved === undefined) {
        throw new Error(
          `The flow references ${value}, which does not exist: add apps/${match[2]} or fix the name.`,
        );
      }
      return resolved;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(definition) as T;
}

/** Every state of the definition, including those inside Parallel branches and Map processors, with its name. */
export function allStates(definition: AslDefinition): [string, AslState][] {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch)),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor as AslDefinition) : []),
  ]);
}

/** What a Distributed Map of a definition needs from the state machine's role. */
export interface DistributedMapUse {
  /** The Map state's name: its child executions are `execution:<state machine>/<state>:<id>`. */
  state: string;
  /** Reads its items from S3 with an ItemReader (`s3:getObject` or `s3:listObjectsV2`). */
  readsItems: boolean;
  /** Writes its results to S3 with a ResultWriter (`s3:putObject`). */
  writesResults: boolean;
}

/**
 * The Distributed Maps (`ItemProcessor.ProcessorConfig.Mode: DISTRIBUTED`) of a definition, top
 * level and nested, in definition order: what the stacks grant the state machine's role for them
 * (`states:StartExecution` on the state machine itself, `DescribeExecution`/`StopExecution` on
 * its Map Run executions, S3 access for the ItemReader and ResultWriter).
 * https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
 *
 * @example
 * distributedMaps(loadFlow('etl')); // [{ state: 'TransformObjects', readsItems: true, writesResults: true }]
 */
export function distributedMaps(definition: AslDefinition): DistributedMapUse[] {
  return allStates(definition)
    .filter(
      ([, s]) =>
        s.Type === 'Map' &&
        (s.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined)?.ProcessorConfig
          ?.Mode === 'DISTRIBUTED',
    )
    .map(([state, s]) => ({
      state,
      readsItems: s.ItemReader !== undefined,
      writesResults: s.ResultWriter !== undefined,
    }));
}
