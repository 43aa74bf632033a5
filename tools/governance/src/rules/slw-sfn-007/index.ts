import {
  ASL_NO_PUBLIC_EQUIVALENT,
  at,
  isLambdaTask,
  stateMachineDefinitions,
  walkStates,
  type AslState,
} from '../../asl';
import { findingFor, type Finding, type Rule } from '../types';

/**
 * Task results whose size the definition does not bound, and the field holding the unbounded
 * part: a function's return value, an object's bytes, a query's items, a child execution's
 * output, a query's result set, received messages.
 */
export const UNBOUNDED_RESULTS: {
  match: (resource: string, state: AslState) => boolean;
  body: string;
  what: string;
}[] = [
  {
    match: (_r, s) => isLambdaTask(s) && /:states:::/.test(String(s.Resource)),
    body: 'Payload',
    what: 'the Lambda Payload',
  },
  {
    match: (r, s) => isLambdaTask(s) && !/:states:::/.test(r),
    body: '',
    what: 'the Lambda result',
  },
  {
    match: (r) => /:states:::aws-sdk:s3:getObject$/.test(r),
    body: 'Body',
    what: 'the S3 object Body',
  },
  {
    match: (r) => /:states:::(aws-sdk:)?dynamodb:(query|scan)$/.test(r),
    body: 'Items',
    what: 'the DynamoDB Items',
  },
  {
    match: (r) => /:states:::states:startExecution\.sync(:2)?$/.test(r),
    body: 'Output',
    what: 'the child execution Output',
  },
  {
    match: (r) => /:states:::(aws-sdk:)?athena:getQueryResults$/.test(r),
    body: 'ResultSet',
    what: 'the Athena ResultSet',
  },
  {
    match: (r) => /:states:::aws-sdk:sqs:receiveMessage$/.test(r),
    body: 'Messages',
    what: 'the SQS Messages',
  },
];

/** `$.a['b'].c` → `['a','b','c']`; `undefined` for what is not a plain reference path. */
function segments(path: string): string[] | undefined {
  if (!path.startsWith('$') || path.startsWith('$$')) return undefined;
  const out: string[] = [];
  const re = /\.([A-Za-z0-9_-]+)|\['([^']*)'\]|\[(\d+|\*)\]/gy;
  re.lastIndex = 1;
  let m: RegExpExecArray | null;
  while (re.lastIndex < path.length && (m = re.exec(path))) out.push(m[1] ?? m[2] ?? m[3]);
  return re.lastIndex === path.length || path.length === 1 ? out : undefined;
}

/** The reference paths inside a selector value (`$.Payload`, or in `States.JsonToString($.Payload)`). */
function pathsIn(value: string): string[] {
  return [...value.matchAll(/(?<![$\w])\$(?:\.[A-Za-z0-9_-]+|\['[^']*'\]|\[\d+\])*/g)].map(
    (m) => m[0],
  );
}

/** True when `path` (result-relative segments) keeps the whole unbounded part: the result itself or `body`. */
const keepsBody = (segs: string[], body: string) =>
  segs.length === 0 || (body !== '' && segs.length === 1 && segs[0] === body);

/** The selector fields that keep the unbounded part, as `key.$ = path`. */
function unboundedSelections(selector: unknown, body: string, prefix = ''): string[] {
  if (!selector || typeof selector !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(selector as Record<string, unknown>)) {
    if (k.endsWith('.$') && typeof v === 'string') {
      if (
        pathsIn(v).some((p) => {
          const s = segments(p);
          return s !== undefined && keepsBody(s, body);
        })
      )
        out.push(`${prefix}${k} = ${v}`);
    } else if (v && typeof v === 'object')
      out.push(...unboundedSelections(v, body, `${prefix}${k}.`));
  }
  return out;
}

/**
 * SLW-SFN-007 — payloads by reference: no Task carries an unbounded result forward.
 *
 * Step Functions caps a state's input and output at 256 KiB; past it the execution fails with
 * `States.DataLimitExceeded`. The heuristic, per Task (Parallel branches and Map processors
 * included) whose result the definition does not bound ({@link UNBOUNDED_RESULTS}: a Lambda
 * invoke's `Payload`, `s3:getObject`'s `Body`, DynamoDB `query`/`scan` `Items`, a `.sync` child
 * execution's `Output`, Athena `getQueryResults`, SQS `receiveMessage`):
 * - `ResultPath: null` discards the result: passes;
 * - a `ResultSelector` passes when none of its fields selects the whole result (`$`) or the
 *   whole unbounded field (`$.Payload`); a named field below it (`$.Payload.status`) is taken as
 *   bounded by the function's contract;
 * - without one, the raw result is kept unless `OutputPath` selects below the unbounded field
 *   (`$.Payload.id`) or leaves the result out.
 * Pass by reference: write the large part to S3 and return its bucket and key.
 *
 * No public equivalent: checkov's Step Functions checks are CKV_AWS_284 and CKV_AWS_285
 * (SLW-SFN-001/002); trivy has none; neither reads the definition.
 */
export const rule: Rule = {
  id: 'SLW-SFN-007',
  title: 'Tasks pass payloads by reference, not unbounded results',
  severity: 'medium',
  rationale:
    'State input and output are capped at 256 KiB: a Task that carries a whole function payload, object body or item list forward fails with States.DataLimitExceeded the day the data grows.',
  fix: 'Keep only bounded fields ("ResultSelector": { "key.$": "$.Payload.key" }), discard the result ("ResultPath": null), or write the large part to S3 and pass { bucket, key }.',
  checkov: [],
  trivy: [],
  noPublicEquivalent: ASL_NO_PUBLIC_EQUIVALENT,
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const { resource, asl } of stateMachineDefinitions(model, this, context, out))
      for (const visit of walkStates(asl)) {
        const s = visit.state;
        if (s.Type !== 'Task' || typeof s.Resource !== 'string') continue;
        const kind = UNBOUNDED_RESULTS.find((u) => u.match(s.Resource as string, s));
        if (!kind || s.ResultPath === null) continue;
        const resultPath = typeof s.ResultPath === 'string' ? s.ResultPath : '$';
        const into = `into ${resultPath}`;
        let kept: string | undefined;
        if (s.ResultSelector !== undefined) {
          const fields = unboundedSelections(s.ResultSelector, kind.body);
          if (fields.length)
            kept = `ResultSelector ${fields.join(', ')} keeps ${kind.what} ${into}`;
        } else {
          const rp = segments(resultPath) ?? [];
          const op = typeof s.OutputPath === 'string' ? segments(s.OutputPath) : [];
          if (op === undefined) continue;
          const covers = op.length <= rp.length && op.every((x, i) => rp[i] === x);
          const inside = op.length > rp.length && rp.every((x, i) => op[i] === x);
          if (covers || (inside && keepsBody(op.slice(rp.length), kind.body)))
            kept = `keeps ${kind.what} (no ResultSelector${s.OutputPath ? `, OutputPath ${s.OutputPath}` : ''}) ${into}`;
        }
        if (kept)
          out.push(
            findingFor(this, resource, `${at(visit)}: ${kept}; state data is capped at 256 KiB.`),
          );
      }
    return out;
  },
};
