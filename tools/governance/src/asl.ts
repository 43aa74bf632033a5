/**
 * Amazon States Language (ASL) definitions of the state machines a scan sees, for the rules that
 * read them (SLW-SFN-003 … SLW-SFN-008).
 *
 * Where the definition comes from: `aws_sfn_state_machine.definition` when governance knows it
 * (HCL `jsonencode({...})`, a literal, a plan of an update). When it is unknown — Slipway's
 * `terraform/modules/state-machine` appends `substr(<log group arn>, 0, 0)` so that offline plans
 * work, which makes the deployed text "known after apply" to Terraform and to this engine — the
 * ASL is the argument of the module call the state machine lives in: the argument the resource's
 * `definition` references (`var.<name>`), else the one argument whose value is an ASL document
 * (a JSON text or object with `StartAt` and `States`). That argument is read from the input
 * itself: the `module` block of a synthesized `cdk.tf.json`, or
 * `configuration.…module_calls.<call>.expressions.<arg>.constant_value` of a plan. Anything else
 * (a `file()` or `templatefile()` governance does not evaluate, a variable without a value) is
 * unknown, and each ASL rule reports it as "cannot verify" (a strict finding, a baseline warning).
 */
import { readFileSync, statSync } from 'node:fs';
import {
  isUnknown,
  resourcesOfType,
  type GovernanceModel,
  type Resource,
  type UnknownValue,
} from './model';
import {
  cannotVerify,
  findingFor,
  reportUnverified,
  type CheckContext,
  type Finding,
  type Rule,
} from './rules/types';

/** One ASL state, loosely typed: the fields the rules read are named. */
export interface AslState {
  Type: string;
  Resource?: unknown;
  Parameters?: unknown;
  Next?: unknown;
  End?: unknown;
  Retry?: unknown;
  Catch?: unknown;
  Branches?: unknown;
  ItemProcessor?: unknown;
  Iterator?: unknown;
  Choices?: unknown;
  Default?: unknown;
  [field: string]: unknown;
}

/** A state machine (or a Parallel branch, a Map processor): `StartAt` and `States`. */
export interface AslMachine {
  StartAt?: unknown;
  States: Record<string, AslState>;
  [field: string]: unknown;
}

/** One state met by {@link walkStates}. */
export interface StateVisit {
  /** Its name. */
  name: string;
  /** Where it is: `Validate`, `ProcessImage/Branches[0]/GenerateThumbnails`, `TransformObjects/ItemProcessor/Transform`. */
  path: string;
  state: AslState;
  /** The machine (top level, branch or processor) whose `States` hold it. */
  machine: AslMachine;
  /** The Parallel or Map state holding {@link machine}; absent at the top level. */
  parent?: StateVisit;
}

/** Why the ASL rules (SLW-SFN-003 … 008) name no checkov or trivy check. */
export const ASL_NO_PUBLIC_EQUIVALENT =
  "checkov's only Step Functions checks (CKV_AWS_284 X-Ray, CKV_AWS_285 logging) read the resource, not the ASL definition; trivy has none.";

/** A state machine whose ASL governance could read. */
export interface ReadDefinition {
  resource: Resource;
  asl: AslMachine;
  /** Where the ASL came from, for messages: `definition` or `module.flow_media argument definition`. */
  source: string;
}

/** True when `value` looks like an ASL document (an object with `States`). */
export function isAslMachine(value: unknown): value is AslMachine {
  return (
    !!value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !isUnknown(value) &&
    !!(value as Record<string, unknown>).States &&
    typeof (value as Record<string, unknown>).States === 'object'
  );
}

/** Parses a definition value (JSON text or object); `undefined` when it is not an ASL document. */
export function parseAsl(value: unknown): { asl: AslMachine } | { error: string } | undefined {
  let doc = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch (error) {
      // Node 22 appends "(line L column C)" to the position: keep one wording on every Node.
      const message = (error as Error).message.replace(/ \(line \d+ column \d+\)$/, '');
      return { error: `not valid JSON (${message})` };
    }
  }
  return isAslMachine(doc) ? { asl: doc } : undefined;
}

/**
 * Every state of `machine`, depth first in definition order, including the states of Parallel
 * `Branches` and of Map `ItemProcessor` (or the older `Iterator`).
 */
export function walkStates(machine: AslMachine, parent?: StateVisit, prefix = ''): StateVisit[] {
  const out: StateVisit[] = [];
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    if (!state || typeof state !== 'object') continue;
    const visit: StateVisit = { name, path: `${prefix}${name}`, state, machine, parent };
    out.push(visit);
    for (const [field, sub] of nestedMachines(state))
      out.push(...walkStates(sub, visit, `${visit.path}/${field}/`));
  }
  return out;
}

/** The machines nested in a Parallel or Map state, with their field (`Branches[1]`, `ItemProcessor`). */
export function nestedMachines(state: AslState): [string, AslMachine][] {
  const out: [string, AslMachine][] = [];
  if (Array.isArray(state.Branches))
    state.Branches.forEach((b, i) => {
      if (isAslMachine(b)) out.push([`Branches[${i}]`, b]);
    });
  for (const field of ['ItemProcessor', 'Iterator'] as const)
    if (isAslMachine(state[field])) out.push([field, state[field] as AslMachine]);
  return out;
}

/** The Lambda integration ARNs (`arn:aws:states:::lambda:invoke`, `.waitForTaskToken`). */
const LAMBDA_INVOKE = /^arn:[a-z-]+:states:::lambda:invoke(\.waitForTaskToken)?$/;
/** A Lambda function ARN used directly as a Task's Resource (the legacy form). */
const LAMBDA_ARN = /^arn:[a-z-]+:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/;

/** True when the Task invokes a Lambda function (integration or function ARN). */
export function isLambdaTask(state: AslState): boolean {
  return (
    typeof state.Resource === 'string' &&
    (LAMBDA_INVOKE.test(state.Resource) || LAMBDA_ARN.test(state.Resource))
  );
}

/**
 * The function a Task invokes: `Parameters.FunctionName` of the integration, the Resource of
 * the legacy form. `{ dynamic }` when chosen at run time (`FunctionName.$`); `undefined` when
 * the Task does not invoke Lambda.
 */
export function invokedFunction(state: AslState): string | { dynamic: string } | undefined {
  if (!isLambdaTask(state)) return undefined;
  const resource = state.Resource as string;
  if (LAMBDA_ARN.test(resource)) return resource;
  const params = (state.Parameters ?? {}) as Record<string, unknown>;
  if (typeof params.FunctionName === 'string') return params.FunctionName;
  const dyn = params['FunctionName.$'];
  return { dynamic: typeof dyn === 'string' ? dyn : '(no FunctionName)' };
}

/**
 * The definitions of every state machine of the model that `rule` can read. A definition
 * governance cannot read is reported through {@link cannotVerify} (the one "unknown is not pass"
 * mechanism); one that is not valid JSON is a finding of `rule` (AWS would reject it at apply).
 */
export function stateMachineDefinitions(
  model: GovernanceModel,
  rule: Pick<Rule, 'id' | 'severity' | 'title' | 'fix'>,
  context: CheckContext,
  out: Finding[],
): ReadDefinition[] {
  const read: ReadDefinition[] = [];
  for (const sm of resourcesOfType(model, 'aws_sfn_state_machine')) {
    const found = readDefinition(sm);
    if ('asl' in found) read.push({ resource: sm, asl: found.asl, source: found.source });
    else if ('error' in found)
      out.push(findingFor(rule, sm, `definition (${found.source}) is ${found.error}.`));
    else if (found.unknown)
      cannotVerify(rule, sm, 'the state machine definition', found.unknown, 'definition', context);
    else
      reportUnverified(
        rule,
        sm,
        `cannot verify the state machine definition of ${sm.address} because it is not an ASL document (no States).`,
        context,
        'definition',
      );
  }
  return read;
}

type Found =
  | { asl: AslMachine; source: string }
  | { error: string; source: string }
  | { unknown?: UnknownValue };

/** The ASL of one state machine (see the file comment for where it is looked for). */
export function readDefinition(sm: Resource): Found {
  const value = sm.attributes.definition;
  if (!isUnknown(value)) {
    const parsed = parseAsl(value);
    if (parsed && 'error' in parsed) return { error: parsed.error, source: 'definition' };
    return parsed ? { asl: parsed.asl, source: 'definition' } : {};
  }
  const fromCall = moduleArgument(sm);
  if (fromCall) {
    const parsed = parseAsl(fromCall.value);
    const source = `${sm.modulePath} argument ${fromCall.argument}`;
    if (parsed && 'error' in parsed) return { error: parsed.error, source };
    if (parsed) return { asl: parsed.asl, source };
  }
  return { unknown: value };
}

type Json = Record<string, unknown>;
/** Parsed inputs by path, kept while the file is unchanged (six rules read the same plan). */
const inputCache = new Map<string, { stamp: string; json: Json | undefined }>();

function readJson(file: string): Json | undefined {
  let stamp: string;
  try {
    const st = statSync(file);
    stamp = `${st.mtimeMs}:${st.size}`;
  } catch {
    return undefined;
  }
  const cached = inputCache.get(file);
  if (cached?.stamp === stamp) return cached.json;
  let json: Json | undefined;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch {
    json = undefined;
  }
  inputCache.set(file, { stamp, json });
  return json;
}

/**
 * The module-call argument that holds the definition of `sm` (a resource inside a module), read
 * from the Terraform JSON or plan file it came from; `undefined` when there is none.
 */
function moduleArgument(sm: Resource): { argument: string; value: unknown } | undefined {
  if (!sm.modulePath || sm.inputKind === 'hcl') return undefined;
  const calls = sm.modulePath.split('.').filter((_, i) => i % 2 === 1);
  const json = readJson(sm.input);
  if (!json) return undefined;
  let args: Record<string, unknown> | undefined;
  if (sm.inputKind === 'plan') {
    let mod = (json.configuration as Json | undefined)?.root_module as Json | undefined;
    let call: Json | undefined;
    for (const name of calls) {
      call = (mod?.module_calls as Json | undefined)?.[name] as Json | undefined;
      mod = call?.module as Json | undefined;
    }
    const expressions = (call?.expressions ?? {}) as Record<string, Json>;
    args = Object.fromEntries(
      Object.entries(expressions)
        .filter(([, e]) => e && typeof e === 'object' && 'constant_value' in e)
        .map(([k, e]) => [k, e.constant_value]),
    );
  } else {
    // Terraform JSON: only a root module call's literal arguments (nested calls are evaluated).
    if (calls.length !== 1) return undefined;
    args = (json.module as Json | undefined)?.[calls[0]] as Json | undefined;
  }
  if (!args) return undefined;
  const literal = (v: unknown) => !(typeof v === 'string' && v.includes('${'));
  const referenced = (sm.references.definition ?? [])
    .filter((r) => r.startsWith('var.'))
    .map((r) => r.slice(4));
  for (const name of referenced)
    if (name in args && literal(args[name])) return { argument: name, value: args[name] };
  const asl = Object.entries(args).filter(([, v]) => {
    const parsed = literal(v) ? parseAsl(v) : undefined;
    return !!parsed && 'asl' in parsed;
  });
  return asl.length === 1 ? { argument: asl[0][0], value: asl[0][1] } : undefined;
}

/** `state <path>` for messages. */
export function at(visit: StateVisit): string {
  return `state ${visit.path}`;
}
