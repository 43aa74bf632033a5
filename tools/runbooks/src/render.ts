import { alarmKind, KINDS, type AlarmKind } from './kinds';
import type {
  AlarmMetric,
  CompositeAlarm,
  DomainModel,
  MetricAlarm,
  WatchedResource,
} from './plan';

/** A period in words: 300 → "5 minutes", 86400 → "1 day". */
export function periodWords(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds % 86400 === 0) return unit(seconds / 86400, 'day');
  if (seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return unit(seconds / 60, 'minute');
  return unit(seconds, 'second');
}

const OPERATORS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '≥',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

const XRAY_TYPES: Partial<Record<WatchedResource['kind'], string>> = {
  function: 'AWS::Lambda::Function',
  'state machine': 'AWS::StepFunctions::StateMachine',
};

/** `ns` `name` (k = `v`, …), or the resource the dimensions name when the plan does not know them (an ARN or id). */
function metricWords(m: AlarmMetric, resource: WatchedResource | undefined): string {
  const dims = m.dimensions
    ? Object.entries(m.dimensions)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k} = \`${v}\``)
        .join(', ')
    : `its dimensions name ${resource?.kind ?? 'its resource'} \`${resource?.name ?? '?'}\`, known after apply`;
  return `\`${m.namespace}\` \`${m.name}\` (${dims})`;
}

/** "What fired": the metric or expression, statistic, threshold and period in words. */
export function whatFired(alarm: MetricAlarm): string {
  const op = OPERATORS[alarm.comparison] ?? alarm.comparison;
  const period = alarm.expressionPeriodSeconds ?? alarm.metrics[0]?.periodSeconds ?? NaN;
  const over = `${op} ${alarm.threshold} in ${alarm.evaluationPeriods === 1 ? 'one period' : `${alarm.evaluationPeriods} consecutive periods`} of ${periodWords(period)}`;
  if (alarm.expression && alarm.metrics.length) {
    const parts = alarm.metrics.map((m) => `${metricWords(m, alarm.resource)} (${m.stat})`);
    return `\`${alarm.expression}\` of ${parts.join(' and ')}, ${over}.`;
  }
  if (alarm.expression) return `Metrics Insights \`${alarm.expression}\`, ${over}.`;
  const [m] = alarm.metrics;
  return `${metricWords(m!, alarm.resource)}, ${m!.stat} ${over}.`;
}

/** Partition, region and account of the environment, from the alarm topic's ARN. */
function where(actions: string[]): { partition: string; region: string; account: string } {
  const [, partition = 'aws', , region = '<region>', account = '<account>'] = (
    actions[0] ?? ''
  ).split(':');
  return { partition, region, account };
}

const fnName = (arn: string | undefined) =>
  arn?.includes(':function:') ? arn.split(':function:')[1] : undefined;
const machineName = (arn: string | undefined) =>
  arn?.includes(':stateMachine:') ? arn.split(':stateMachine:')[1] : undefined;

/** The X-Ray filter expression of the node an alarm is about (or its target's). */
function nodeFilter(alarm: MetricAlarm, kind: AlarmKind): string | undefined {
  const r = alarm.resource;
  if (!r) return undefined;
  const condition =
    kind === 'duration'
      ? ` { responsetime > ${alarm.threshold / 1000} }`
      : kind === 'throttles' || kind === 'table-throttles'
        ? ' { throttle = true }'
        : ' { fault = true OR error = true }';
  if (r.kind === 'table') return `service("DynamoDB")${condition}`;
  if (r.kind === 'graphql api') return `service("${r.name}")${condition}`;
  const target =
    r.kind === 'rule' || r.kind === 'schedule'
      ? fnName(r.targetArn) !== undefined
        ? { kind: 'function' as const, name: fnName(r.targetArn)! }
        : machineName(r.targetArn) !== undefined
          ? { kind: 'state machine' as const, name: machineName(r.targetArn)! }
          : undefined
      : r;
  const type = target && XRAY_TYPES[target.kind];
  return target && type
    ? `service(id(name: "${target.name}", type: "${type}"))${condition}`
    : undefined;
}

function dashboardRow(alarm: MetricAlarm): string {
  const r = alarm.resource;
  if (!r) return '';
  if (r.kind === 'function' || r.kind === 'state machine') return `: the row of \`${r.name}\``;
  const target = fnName(r.targetArn) ?? machineName(r.targetArn);
  return target ? `: the row of \`${target}\`, the target` : '';
}

/** The three things to open first: the saved query, the X-Ray group or filter, the dashboard. */
function firstThree(
  model: DomainModel,
  query: string,
  filter: string | undefined,
  row: string,
): string[] {
  const saved = model.queries[query];
  const groups = model.xrayGroups.map((g) => `group \`${g.name}\` (filter \`${g.filter}\`)`);
  const xray = [
    ...groups,
    ...(filter ? [`${groups.length ? 'then narrow with ' : ''}filter \`${filter}\``] : []),
  ];
  return [
    saved
      ? `Logs Insights, saved query \`${saved}\`${query === 'execution-logs' ? " (put the failed execution's correlation id in place of `REPLACE-WITH-CORRELATION-ID`)" : ''}.`
      : 'Logs Insights: this domain has no saved queries (no function of its own); open the log groups of the functions it calls.',
    xray.length ? `X-Ray: ${xray.join(', ')}.` : 'X-Ray: the service map of the time of the alarm.',
    model.dashboard
      ? `Dashboard \`${model.dashboard}\`${row}.`
      : 'Dashboard: this domain has none.',
  ];
}

const ROLL_BACK =
  "Roll back by re-applying the previous artifact: revert the change on main (`git revert <commit>`) and deploy main's head. Lambda code is content-addressed in the artifact bucket (`<env>/<lambda>/<sha256>.zip`), so the revert plans the previous `s3_key` and `source_code_hash` and nothing else; deploy-guard refuses to apply an older commit itself (docs/delivery.md).";

/** How to recover from an alarm of a kind, with the environment's real names. */
function recovery(alarm: MetricAlarm, kind: AlarmKind, model: DomainModel): string[] {
  const { partition, region, account } = where(alarm.actions);
  const r = alarm.resource;
  const queue = alarm.metrics[0]?.dimensions?.QueueName;
  const queueUrl = queue
    ? `https://sqs.${region}.amazonaws.com/${account}/${queue}`
    : '<queue url>';
  const machine = (name: string) =>
    `arn:${partition}:states:${region}:${account}:stateMachine:${name}`;
  const dlqOf = (fn: string) =>
    model.alarms.find(
      (a) =>
        a.resource?.kind === 'function' &&
        a.resource.name === fn &&
        alarmKind(a) === 'function-dlq',
    )?.metrics[0]?.dimensions?.QueueName;
  const redrive = (q: string) =>
    `Redrive what failed meanwhile: \`npm run slipway -- redrive --queue ${q} --dry-run\`, then without \`--dry-run\` (messages that fail again are kept, with the reason).`;
  const machines = [
    ...new Set(
      model.alarms.flatMap((a) => (a.resource?.kind === 'state machine' ? [a.resource.name] : [])),
    ),
  ].sort();
  const rerun = (status: string) =>
    machines.map(
      (name) =>
        `Re-run each ${status} execution of \`${name}\` from its input: \`aws stepfunctions list-executions --state-machine-arn ${machine(name)} --status-filter ${status}\`, then \`npm run slipway -- rerun --execution <execution arn>\` for each.`,
    );
  const fnRecovery = (extra: string) => {
    const dlq = r?.kind === 'function' ? dlqOf(r.name) : undefined;
    return [extra, ROLL_BACK, ...(dlq ? [redrive(dlq)] : []), ...rerun('FAILED')].filter(Boolean);
  };
  const eventDlq =
    "Fix the cause, then replay: `npm run slipway -- redrive` re-sends the records of function dead-letter queues only; this queue holds EventBridge's or Scheduler's dead letters, so read them with `aws sqs receive-message --queue-url " +
    queueUrl +
    ' --attribute-names All --message-attribute-names All` and replay the period from the bus archive (`aws events start-replay`, terraform/modules/event-bus/README.md) or re-send each message body to its target, then delete it.';
  switch (kind) {
    case 'errors':
      return fnRecovery(
        'Find the failing input or dependency from the correlation ids; when the last deploy caused it:',
      );
    case 'throttles':
      return fnRecovery(
        `Raise \`reservedConcurrency\` in \`apps/<lambda>/lambda.manifest.json\` (or ask AWS for a higher account concurrency quota in ${region}), or slow the producer down.`,
      );
    case 'duration':
      return fnRecovery(
        'Raise `memory` (CPU follows it) or `timeout` in `apps/<lambda>/lambda.manifest.json`, or fix the slow dependency; when the last deploy made it slow:',
      );
    case 'function-dlq':
      return [
        'Fix the cause first (the record keeps the error: `responsePayload`), or the redrive fails again.',
        redrive(queue ?? '<queue>'),
      ];
    case 'ratio':
      return [
        "Look at the quarantined rows and their reasons (the function's logs); fix the producer or the contract, then re-run the day:",
        ...rerun('SUCCEEDED'),
        ROLL_BACK,
      ];
    case 'executions-failed':
      return [...rerun('FAILED'), ROLL_BACK];
    case 'executions-timed-out':
      return [...rerun('TIMED_OUT'), ROLL_BACK];
    case 'executions-throttled':
      return [
        `Lower the start rate (its trigger or schedule) or ask AWS for a higher Step Functions quota in ${region}. A refused start created no execution: its trigger's dead-letter queue holds the event (that alarm's section says how to replay it).`,
      ];
    case 'rule-failed-invocations':
    case 'rule-dlq':
    case 'schedule-dlq':
      return [eventDlq];
    case 'dead-letter-delivery':
      return [
        "Fix the dead-letter queue's policy (events.amazonaws.com, aws:SourceArn = the rule) or its encryption first; then replay the lost period from the bus archive (`aws events start-replay`, terraform/modules/event-bus/README.md).",
      ];
    case 'table-throttles':
      return [
        'On-demand tables adapt within about 30 minutes; a lasting hot key needs a better partition key (CloudWatch Contributor Insights shows it). Nothing to roll back unless a deploy changed the access pattern:',
        ROLL_BACK,
      ];
    case 'table-errors':
      return [
        'Nothing to roll back: the SDK retried. If it lasts, follow the AWS Health Dashboard and open a support case.',
      ];
    case 'api-5xx':
    case 'api-4xx':
    case 'api-latency':
      return [
        'Find the failing resolver or route Lambda (its own alarms and the errors query), then, when the last deploy caused it:',
        ROLL_BACK,
      ];
    case 'metric':
      return [ROLL_BACK];
  }
}

function alarmSection(alarm: MetricAlarm, model: DomainModel): string {
  const kind = alarmKind(alarm);
  const { meaning, query } = KINDS[kind];
  const subject = alarm.resource
    ? `${alarm.resource.kind} \`${alarm.resource.name}\``
    : 'the domain';
  return [
    `## ${alarm.name}`,
    '',
    `**What fired:** ${subject}: ${whatFired(alarm)}`,
    '',
    `> ${alarm.advice}`,
    '',
    `**What it usually means:** ${meaning}`,
    '',
    '**First three things to look at:**',
    '',
    ...firstThree(model, query, nodeFilter(alarm, kind), dashboardRow(alarm)).map(
      (l, i) => `${i + 1}. ${l}`,
    ),
    '',
    '**How to recover:**',
    '',
    ...recovery(alarm, kind, model).map((l) => `- ${l}`),
  ].join('\n');
}

function compositeSection(c: CompositeAlarm, model: DomainModel): string {
  const members = [...c.rule.matchAll(/ALARM\("([^"]+)"\)/g)].map((m) => m[1]!).sort();
  return [
    `## ${c.name}`,
    '',
    `**What fired:** the composite alarm of domain ${model.domain}: ${members.length} alarms ORed (\`ALARM("…") OR …\`), at least one of them is in ALARM.`,
    '',
    `> ${c.advice}`,
    '',
    '**What it usually means:** one part of the domain is unhealthy; the member in ALARM says which, and its own section below says what to do.',
    '',
    '**First three things to look at:**',
    '',
    ...firstThree(model, 'errors-by-correlation-id', undefined, ': every row of the domain').map(
      (l, i) => `${i + 1}. ${l}`,
    ),
    '',
    '**How to recover:**',
    '',
    `- Find the member in ALARM: \`aws cloudwatch describe-alarms --state-value ALARM --query 'MetricAlarms[].AlarmName'\`, then follow its section: ${members.map((m) => `[${m}](#${m})`).join(', ')}.`,
  ].join('\n');
}

/**
 * The runbook of one domain, deterministic for the same plan: a header naming where it comes
 * from, then one section per alarm (heading = the alarm's name, so `#<alarm name>` links it),
 * the composite alarm first, then the others by name.
 */
export function renderRunbook(model: DomainModel): string {
  const header = [
    `# Runbook: ${model.domain}`,
    '',
    `Generated by \`npm run runbooks\` (tools/runbooks) from the ${model.environment} plan of stack \`${model.stack}\`: do not edit. Change the alarms (terraform/modules, terraform/stacks) and regenerate. Every environment has the same alarms, named \`<prefix>-<env>-…\` instead of \`…-${model.environment}-…\`.`,
    '',
    `Dashboard \`${model.dashboard ?? 'none'}\` · saved queries ${
      Object.values(model.queries)
        .map((q) => `\`${q}\``)
        .join(', ') || 'none'
    } · X-Ray groups ${model.xrayGroups.map((g) => `\`${g.name}\``).join(', ') || 'none'} · ${model.alarms.length + model.composites.length} alarms.`,
  ].join('\n');
  return `${[header, ...model.composites.map((c) => compositeSection(c, model)), ...model.alarms.map((a) => alarmSection(a, model))].join('\n\n')}\n`;
}
