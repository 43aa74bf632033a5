import { Fn, TerraformHclModule, TerraformOutput, type TerraformStack } from 'cdktn';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FlowName } from '@slipway/flows';
import { apiName } from './api';
import type { EnvironmentConfig, StacksConfig } from './config';
import type { DomainSpec } from './domains';
import type { DiscoveredLambda } from './lambdas';
import { moduleSource } from './modules';

/**
 * What makes an environment's alarms reach someone and a domain readable at 3 a.m. (issue 15):
 * the environment's alarm topic (in the stack of the domain whose spec has `alarmTopic`), every
 * alarm's actions and runbook link, and one `domain-observability` module per domain stack.
 * Kept apart from domain-stack.ts, which only calls these.
 */

/** The governed modules, read from this checkout (like the flows' ASL files). */
const MODULES = join(__dirname, '../../modules');

/**
 * Modules that declare CloudWatch alarms: every governed module with an `alarms.tf`. Each takes
 * `alarm_actions`, `runbook` and outputs `alarm_names`; a new one is wired with no edit here.
 */
export const ALARMED_MODULES: readonly string[] = readdirSync(MODULES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(MODULES, d.name, 'alarms.tf')))
  .map((d) => d.name)
  .sort();

/** The environment's alarm topic name, `<namePrefix>-<env>-alarms`. */
export function alarmTopicName(config: StacksConfig, env: EnvironmentConfig): string {
  return `${config.namePrefix}-${env.name}-alarms`;
}

/**
 * The alarm topic's ARN, built from known parts: every stack's alarms name it literally (it
 * lives in one stack per environment), so their actions are readable in the plan.
 */
export function alarmTopicArn(config: StacksConfig, env: EnvironmentConfig): string {
  return `arn:${env.partition}:sns:${env.region}:${env.accountId}:${alarmTopicName(config, env)}`;
}

/** The runbook of a domain, from the repository root (written by tools/runbooks). */
export const runbookPath = (domain: string) => `docs/runbooks/${domain}.md`;

/** The `<namePrefix>-<env>-<domain>` name of a domain's dashboard (and its queries' folder). */
export function observabilityName(
  config: StacksConfig,
  env: EnvironmentConfig,
  domain: string,
): string {
  return `${config.namePrefix}-${env.name}-${domain}`;
}

/** The environment's alarm topic: the `alarm-topic` module with `alarms.subscriptions`. */
export function addAlarmTopic(
  stack: TerraformStack,
  ctx: { config: StacksConfig; env: EnvironmentConfig; stack: string },
): void {
  const topic = new TerraformHclModule(stack, 'alarm_topic', {
    source: moduleSource('alarm-topic', ctx.stack),
    skipAssetCreationFromLocalModules: true,
    variables: {
      name: alarmTopicName(ctx.config, ctx.env),
      account_id: ctx.env.accountId,
      subscriptions: ctx.env.alarms.subscriptions.map((s) => ({
        protocol: s.protocol,
        endpoint: s.endpoint,
      })),
      tags: { purpose: 'alarms' },
    },
  });
  new TerraformOutput(stack, 'alarm_topic_arn', { value: topic.get('topic_arn') });
}

/**
 * Points every alarm of the stack at the environment's alarm topic (on ALARM and on OK) and at
 * its section of the domain's runbook: each module of {@link ALARMED_MODULES} in the stack gets
 * `alarm_actions` and `runbook`, whoever added it. Returns those modules, in construct order.
 */
export function routeAlarms(
  stack: TerraformStack,
  ctx: { config: StacksConfig; env: EnvironmentConfig; domain: string },
): TerraformHclModule[] {
  const alarmed = stack.node.children.filter(
    (c): c is TerraformHclModule =>
      c instanceof TerraformHclModule && ALARMED_MODULES.includes(basename(c.source)),
  );
  for (const module of alarmed) {
    module.set('alarm_actions', [alarmTopicArn(ctx.config, ctx.env)]);
    module.set('runbook', runbookPath(ctx.domain));
  }
  return alarmed;
}

/** What {@link addObservability} reads from the domain stack. */
export interface ObservabilityContext {
  config: StacksConfig;
  env: EnvironmentConfig;
  domain: string;
  spec: DomainSpec;
  stack: string;
  lambdas: DiscoveredLambda[];
  /** Real function name of a manifest name. */
  functionName: (name: string) => string;
  /** The stack deploys the environment's REST API. */
  hasRestApi: boolean;
  /** The stack's alarmed modules ({@link routeAlarms}). */
  alarmed: TerraformHclModule[];
}

/**
 * The domain's `domain-observability` module, every input generated: its functions (and their
 * dead-letter queues, `<function>-dlq` of the lambda-function module), its flows' state
 * machines, the REST API it deploys, the manifests' `alarms.ratios` as ratio widgets, the spec's
 * `metricBreakdowns` of functions it deploys, and the `alarm_names` of every alarmed module for
 * the composite alarm. Nothing for a domain with nothing to watch (platform: only the bus).
 */
export function addObservability(stack: TerraformStack, ctx: ObservabilityContext): void {
  const { config, env, domain, spec, lambdas } = ctx;
  const flows: readonly FlowName[] = spec.flows ?? [];
  if (!lambdas.length && !flows.length && !ctx.hasRestApi && !ctx.alarmed.length) return;
  const prefix = `${config.namePrefix}-${env.name}`;
  const deployed = new Set(lambdas.map((l) => l.manifest.name));
  const module = new TerraformHclModule(stack, 'observability', {
    source: moduleSource('domain-observability', ctx.stack),
    skipAssetCreationFromLocalModules: true,
    variables: {
      name: observabilityName(config, env, domain),
      domain,
      functions: lambdas.map((l) => ({
        name: ctx.functionName(l.manifest.name),
        dead_letter_queue: `${ctx.functionName(l.manifest.name)}-dlq`,
      })),
      state_machines: flows.map((flow) => ({
        name: `${prefix}-${flow}`,
        arn: `arn:${env.partition}:states:${env.region}:${env.accountId}:stateMachine:${prefix}-${flow}`,
      })),
      rest_apis: ctx.hasRestApi ? [{ name: apiName(config, env), stage: env.name }] : [],
      // The same Powertools metrics the ratio alarms read (namespace Slipway/<domain>, dimension
      // service = the manifest name: libs/observability's createObservability).
      metric_ratios: lambdas.flatMap((l) =>
        l.manifest.alarms.ratios.map((r) => ({
          title: `${l.manifest.name}: ${r.name} (${r.numerator} / ${r.denominator})`,
          namespace: `Slipway/${domain}`,
          numerator: r.numerator,
          denominator: r.denominator,
          dimensions: { service: l.manifest.name },
        })),
      ),
      metric_breakdowns: (spec.metricBreakdowns ?? [])
        .filter((b) => deployed.has(b.lambda))
        .map((b) => ({
          title: b.title,
          namespace: `Slipway/${domain}`,
          metric: b.metric,
          dimensions: { service: b.lambda },
          split_by: { name: b.splitBy.name, values: [...b.splitBy.values] },
        })),
      // Module outputs, not names rebuilt here: known at plan, and the composite alarm waits
      // for the alarms it names.
      alarm_names: ctx.alarmed.length
        ? Fn.concat(ctx.alarmed.map((m) => m.get('alarm_names')))
        : [],
      alarm_actions: [alarmTopicArn(config, env)],
      runbook: runbookPath(domain),
      tags: { purpose: 'observability' },
    },
  });
  new TerraformOutput(stack, 'dashboard_name', { value: module.get('dashboard_name') });
}
