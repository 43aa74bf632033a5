/**
 * What the alarm rules (SLW-CW-001, SLW-CW-002, SLW-SNS-002) share: which resource an alarm's
 * value points at. A value points at a resource when it is
 *
 * - a known string equal to one of the resource's known identifying attributes (a plan where the
 *   function name is a literal);
 * - an unknown that came from one of those attributes of that resource (HCL and Terraform JSON:
 *   the evaluator tags `aws_lambda_function.this.function_name` with the resource's address,
 *   through locals, module arguments and outputs);
 * - an unknown whose attribute's references (in the alarm's own module) name the resource (a
 *   plan's "known after apply" with `configuration` references).
 *
 * Anything else unknown cannot be linked, and the rules say so instead of passing.
 */
import { blocks, isUnknown, resourcesOfType, type GovernanceModel, type Resource } from '../model';

/** The two alarm types. */
export const ALARM_TYPES = ['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm'];

/** Every metric and composite alarm of the model. */
export function alarms(model: GovernanceModel): Resource[] {
  return ALARM_TYPES.flatMap((t) => resourcesOfType(model, t));
}

/** `module.a["x"].aws_s3_bucket.b[0]` → `module.a["x"].aws_s3_bucket.b` (the resource, any instance). */
const withoutInstanceKey = (address: string) => address.replace(/\[[^\]]*\]$/, '');

/** How a value relates to a resource. */
export type Pointing = 'yes' | 'no' | 'unknown';

/**
 * Whether `value`, read from attribute `attribute` of `holder`, points at `target`: `yes`, `no`
 * (a known value that is something else, or an unknown that came from another resource), or
 * `unknown` (governance cannot tell).
 *
 * @param identifiers the target's attributes a known value may equal (`function_name`, `arn`).
 */
export function pointsAt(
  value: unknown,
  holder: Resource,
  attribute: string,
  target: Resource,
  identifiers: string[],
): Pointing {
  if (holder.input !== target.input) return 'no';
  if (typeof value === 'string')
    return identifiers.some((k) => target.attributes[k] === value) ? 'yes' : 'no';
  if (!isUnknown(value)) return 'no';
  if (value.kind === 'apply' && value.resource) {
    // The resource's own attribute, and one that identifies it (`.function_name`, not `.role`).
    const attr = value.expression?.split('.').pop() ?? '';
    return withoutInstanceKey(value.resource) === withoutInstanceKey(target.address) &&
      identifiers.includes(attr)
      ? 'yes'
      : 'no';
  }
  if (holder.modulePath === target.modulePath) {
    const local = `${target.type}.${target.name}`;
    if ((holder.references[attribute] ?? []).some((r) => r === local || r.startsWith(`${local}.`)))
      return 'yes';
  }
  return 'unknown';
}

export { describeUnknown } from './types';

/**
 * The values of one dimension of a metric alarm: the alarm's own `dimensions` and those of each
 * `metric_query { metric { dimensions } }`, with the attribute their references are kept under.
 * An unknown `dimensions` map (or query block) is reported as an unknown value.
 */
export function dimensionValues(
  alarm: Resource,
  dimension: string,
): { value: unknown; attribute: string }[] {
  const out: { value: unknown; attribute: string }[] = [];
  const own = alarm.attributes.dimensions;
  if (isUnknown(own)) out.push({ value: own, attribute: 'dimensions' });
  else if (own && typeof own === 'object' && dimension in own)
    out.push({ value: (own as Record<string, unknown>)[dimension], attribute: 'dimensions' });
  const queries = blocks(alarm.attributes, 'metric_query');
  if (isUnknown(queries)) out.push({ value: queries, attribute: 'metric_query' });
  else
    for (const q of queries) {
      const metrics = blocks(q, 'metric');
      if (isUnknown(metrics)) {
        out.push({ value: metrics, attribute: 'metric_query' });
        continue;
      }
      for (const m of metrics) {
        const d = m.dimensions;
        if (isUnknown(d)) out.push({ value: d, attribute: 'metric_query' });
        else if (d && typeof d === 'object' && dimension in d)
          out.push({ value: (d as Record<string, unknown>)[dimension], attribute: 'metric_query' });
      }
    }
  return out;
}

/** `arn:<partition>:sns:<region>:<account>:<name>` → name. */
export function snsTopicName(arn: string): string | undefined {
  return /^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:([A-Za-z0-9_.-]+)$/.exec(arn)?.[1];
}

/**
 * The SNS topics of the model an alarm notifies (its `alarm_actions`): by a known ARN (the
 * topic's ARN, or an ARN ending in the topic's known name), or by an unknown that came from
 * the topic. Topics outside the model (another stack's) are not returned.
 */
export function alarmTopics(alarm: Resource, topics: Resource[]): Resource[] {
  const actions = alarm.attributes.alarm_actions;
  if (!Array.isArray(actions)) return [];
  return topics.filter((topic) =>
    actions.some((a) => {
      if (typeof a === 'string' && topic.input === alarm.input) {
        if (topic.attributes.arn === a) return true;
        const name = snsTopicName(a);
        return name !== undefined && topic.attributes.name === name;
      }
      return pointsAt(a, alarm, 'alarm_actions', topic, ['arn', 'id']) === 'yes';
    }),
  );
}
