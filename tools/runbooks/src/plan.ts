import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanReadError, UnreadableAlarmError } from './errors';

/** The parts of a `terraform show -json` resource change a runbook reads. */
export interface ResourceChange {
  address: string;
  module_address?: string;
  type: string;
  mode?: string;
  change: { actions: string[]; after: Record<string, unknown> | null };
}

/** One stack's plan: its name (`<domain>-<env>`) and its resource changes. */
export interface StackPlan {
  stack: string;
  resources: ResourceChange[];
}

/** A metric of an alarm or of one of its metric queries. */
export interface AlarmMetric {
  namespace: string;
  name: string;
  /** null when the plan does not know them yet (an ARN known after apply). */
  dimensions: Record<string, string> | null;
  stat: string;
  periodSeconds: number;
}

/** What a resource an alarm watches is, found beside the alarm in its module. */
export interface WatchedResource {
  kind: 'function' | 'state machine' | 'queue' | 'rule' | 'schedule' | 'table' | 'graphql api';
  name: string;
  /** The function or state machine a rule, schedule or queue delivers to, by ARN. */
  targetArn?: string;
}

/** A CloudWatch metric alarm as planned. */
export interface MetricAlarm {
  name: string;
  /** The module's description without its trailing "Runbook: …" link. */
  advice: string;
  /** Whether the description links `docs/runbooks/<domain>.md#<name>`. */
  linksRunbook: string | undefined;
  /** One metric, or the metrics a math or Metrics Insights expression reads. */
  metrics: AlarmMetric[];
  /** The expression of a metric-math or Metrics Insights alarm. */
  expression?: string;
  /** The period of a Metrics Insights expression (a math expression takes its metrics'). */
  expressionPeriodSeconds?: number;
  threshold: number;
  comparison: string;
  evaluationPeriods: number;
  resource: WatchedResource | undefined;
  actions: string[];
}

/** A composite alarm as planned. */
export interface CompositeAlarm {
  name: string;
  advice: string;
  linksRunbook: string | undefined;
  rule: string;
  actions: string[];
}

/** Everything one domain's runbook is written from. */
export interface DomainModel {
  domain: string;
  environment: string;
  stack: string;
  alarms: MetricAlarm[];
  composites: CompositeAlarm[];
  dashboard: string | undefined;
  /** Saved query names by kind (`errors-by-correlation-id`, …). */
  queries: Record<string, string>;
  xrayGroups: { name: string; filter: string }[];
}

/**
 * Reads every `<stack>.json` of a plans folder (`dist/terraform/plans/<env>`, written by
 * `nx run stacks:plan:<env>`; `summary.json` is skipped), in name order.
 *
 * @throws {PlanReadError} when the folder is missing or a file is not a plan's JSON.
 */
export function readPlans(dir: string): StackPlan[] {
  if (!existsSync(dir))
    throw new PlanReadError(
      `${dir} does not exist: plan the stacks first (npx nx run stacks:plan:dev).`,
    );
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'summary.json')
    .sort()
    .map((f) => {
      let plan: { resource_changes?: ResourceChange[]; format_version?: string };
      try {
        plan = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      } catch (error) {
        throw new PlanReadError(`${join(dir, f)}: not JSON (${(error as Error).message}).`, {
          cause: error,
        });
      }
      if (typeof plan !== 'object' || plan === null || typeof plan.format_version !== 'string')
        throw new PlanReadError(
          `${join(dir, f)}: not the output of terraform show -json (no format_version): re-run npx nx run stacks:plan:dev.`,
        );
      return { stack: f.slice(0, -'.json'.length), resources: plan.resource_changes ?? [] };
    });
}

const RUNBOOK_LINK = / Runbook: (\S+)$/;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : NaN);
const obj = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);

/** Splits a description into the module's advice and the runbook link it ends with. */
function splitDescription(description: string): { advice: string; link: string | undefined } {
  const match = RUNBOOK_LINK.exec(description);
  return match
    ? { advice: description.slice(0, match.index), link: match[1] }
    : { advice: description, link: undefined };
}

/** What an alarm watches, from the resources of its own module. */
function watchedResource(siblings: ResourceChange[]): WatchedResource | undefined {
  const after = (type: string) => siblings.find((r) => r.type === type)?.change.after ?? null;
  const fn = after('aws_lambda_function');
  if (fn) return { kind: 'function', name: str(fn.function_name) };
  const machine = after('aws_sfn_state_machine');
  if (machine) return { kind: 'state machine', name: str(machine.name) };
  const api = after('aws_appsync_graphql_api');
  if (api) return { kind: 'graphql api', name: str(api.name) };
  const table = after('aws_dynamodb_table');
  if (table) return { kind: 'table', name: str(table.name) };
  const rule = after('aws_cloudwatch_event_rule');
  if (rule)
    return {
      kind: 'rule',
      name: str(rule.name),
      targetArn: str(after('aws_cloudwatch_event_target')?.arn) || undefined,
    };
  const schedule = after('aws_scheduler_schedule');
  if (schedule)
    return {
      kind: 'schedule',
      name: str(schedule.name),
      targetArn: str(obj(list(schedule.target)[0])?.arn) || undefined,
    };
  return undefined;
}

function metricOf(m: Record<string, unknown>, period: number, stat: string): AlarmMetric {
  const dims = obj(m.dimensions);
  return {
    namespace: str(m.namespace),
    name: str(m.metric_name),
    dimensions: dims && Object.keys(dims).length ? (dims as Record<string, string>) : null,
    stat,
    periodSeconds: period,
  };
}

/**
 * The alarms, dashboard, saved queries and X-Ray groups of one stack's plan: the model its
 * runbook is written from. The stack is `<domain>-<env>`.
 *
 * @throws {UnreadableAlarmError} for a stack name without an environment, or an alarm without a
 *   metric or expression.
 */
export function domainModel(plan: StackPlan): DomainModel {
  const dash = plan.stack.lastIndexOf('-');
  if (dash <= 0)
    throw new UnreadableAlarmError(
      `${plan.stack}.json: the stack name is not <domain>-<env>; runbooks are per domain stack.`,
    );
  const managed = plan.resources.filter((r) => (r.mode ?? 'managed') === 'managed');
  const afterOf = (r: ResourceChange) => r.change.after ?? {};
  const inModule = (m: string | undefined) => managed.filter((r) => r.module_address === m);
  const alarms = managed
    .filter((r) => r.type === 'aws_cloudwatch_metric_alarm')
    .map((r): MetricAlarm => {
      const a = afterOf(r);
      const name = str(a.alarm_name);
      const { advice, link } = splitDescription(str(a.alarm_description));
      const queries = list(a.metric_query).map((q) => obj(q)!);
      const stat = str(a.extended_statistic) || str(a.statistic);
      const metrics = a.metric_name
        ? [metricOf(a, num(a.period), stat)]
        : queries.flatMap((q) =>
            list(q.metric).map((m) => {
              const metric = obj(m)!;
              return metricOf(metric, num(metric.period), str(metric.stat));
            }),
          );
      const expression = queries.find((q) => q.return_data === true)?.expression;
      if (!metrics.length && !expression)
        throw new UnreadableAlarmError(
          `${plan.stack}: ${r.address} (${name}) has neither a metric nor an expression the runbook could describe.`,
        );
      const expressionPeriod = num(queries.find((q) => q.return_data === true)?.period);
      return {
        name,
        advice,
        linksRunbook: link,
        metrics,
        ...(typeof expression === 'string' && expression ? { expression } : {}),
        threshold: num(a.threshold),
        comparison: str(a.comparison_operator),
        evaluationPeriods: num(a.evaluation_periods),
        resource: watchedResource(inModule(r.module_address)),
        actions: list(a.alarm_actions).map(String),
        ...(Number.isNaN(expressionPeriod) ? {} : { expressionPeriodSeconds: expressionPeriod }),
      };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
  const composites = managed
    .filter((r) => r.type === 'aws_cloudwatch_composite_alarm')
    .map((r): CompositeAlarm => {
      const a = afterOf(r);
      const { advice, link } = splitDescription(str(a.alarm_description));
      return {
        name: str(a.alarm_name),
        advice,
        linksRunbook: link,
        rule: str(a.alarm_rule),
        actions: list(a.alarm_actions).map(String),
      };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
  const queries = Object.fromEntries(
    managed
      .filter((r) => r.type === 'aws_cloudwatch_query_definition')
      .map((r) => str(afterOf(r).name))
      .sort()
      .map((name) => [name.slice(name.lastIndexOf('/') + 1), name]),
  );
  return {
    domain: plan.stack.slice(0, dash),
    environment: plan.stack.slice(dash + 1),
    stack: plan.stack,
    alarms,
    composites,
    dashboard: managed
      .filter((r) => r.type === 'aws_cloudwatch_dashboard')
      .map((r) => str(afterOf(r).dashboard_name))[0],
    queries,
    xrayGroups: managed
      .filter((r) => r.type === 'aws_xray_group')
      .map((r) => ({
        name: str(afterOf(r).group_name),
        filter: str(afterOf(r).filter_expression),
      }))
      .sort((x, y) => x.name.localeCompare(y.name)),
  };
}
