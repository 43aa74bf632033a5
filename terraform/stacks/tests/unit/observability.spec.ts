/**
 * Issue 15 in the stacks: the environment's alarm topic (platform stack, subscriptions from
 * environments.json), every alarm's actions and runbook link in every stack, and the domain
 * observability module's inputs generated from the manifests, flows and domains.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StacksConfigError } from '../../src/errors';
import { ALARMED_MODULES } from '../../src/observability';
import { DOMAINS } from '../../src/domains';
import { REPO, synth, workspace, type TfJson } from '../support/workspace';

const ACCOUNTS = { dev: '111111111111', staging: '222222222222', prod: '333333333333' } as const;
const topicOf = (env: keyof typeof ACCOUNTS) =>
  `arn:aws:sns:eu-west-1:${ACCOUNTS[env]}:slipway-${env}-alarms`;

describe('alarms that reach someone', () => {
  const { stacks, read } = synth(workspace());

  it('knows the alarmed modules from the modules folder: every one with an alarms.tf', () => {
    expect(ALARMED_MODULES).toEqual([
      'event-rule',
      'event-trigger',
      'graphql-api',
      'lambda-function',
      'schedule',
      'state-machine',
      'table',
    ]);
  });

  it.each(Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[])(
    'puts the %s alarm topic in the platform stack only, subscribed as environments.json says',
    (env) => {
      const { '//': _metadata, ...topic } = read(`platform-${env}`).module.alarm_topic;

      expect(topic).toEqual({
        source: '../../../../modules/alarm-topic',
        name: `slipway-${env}-alarms`,
        account_id: ACCOUNTS[env],
        subscriptions: [
          {
            protocol: 'email',
            endpoint: env === 'prod' ? 'oncall@slipway.example' : `oncall@${env}.slipway.example`,
          },
        ],
        tags: { purpose: 'alarms' },
      });
      expect(
        stacks
          .filter((s) => s.endsWith(`-${env}`))
          .filter((s) => read(s).module?.alarm_topic !== undefined),
      ).toEqual([`platform-${env}`]);
    },
  );

  it('points every alarmed module of every stack at its environment topic and its domain runbook', () => {
    const wiring = stacks.flatMap((stack) => {
      const [domain, env] = stack.split('-') as [string, keyof typeof ACCOUNTS];
      return Object.entries((read(stack).module ?? {}) as TfJson).flatMap(([id, call]) =>
        ALARMED_MODULES.includes(String(call.source).split('/').pop()!)
          ? [{ stack, id, actions: call.alarm_actions, runbook: call.runbook, domain, env }]
          : [],
      );
    });

    // 20 per environment: 13 functions, 2 flows, the media trigger, the etl schedule, 3 tables.
    expect(wiring.length).toBe(60);
    for (const w of wiring)
      expect({ stack: w.stack, id: w.id, actions: w.actions, runbook: w.runbook }).toEqual({
        stack: w.stack,
        id: w.id,
        actions: [topicOf(w.env)],
        runbook: `docs/runbooks/${w.domain}.md`,
      });
    // The kinds present, so a new kind cannot slip by unwired.
    expect(
      [
        ...new Set(wiring.map((w) => String(read(w.stack).module[w.id].source).split('/').pop())),
      ].sort(),
    ).toEqual(['event-trigger', 'lambda-function', 'schedule', 'state-machine', 'table']);
  });

  it('gives the functions the INFO system log level: the saved queries read platform.report', () => {
    expect(read('media-dev').module.lambda_thumbs.system_log_level).toBe('INFO');
  });
});

describe('the domain observability module', () => {
  const { read } = synth(workspace());

  it('is generated for media-dev from its functions, flow, breakdown and alarmed modules', () => {
    const { '//': _metadata, ...media } = read('media-dev').module.observability;
    const fns = [
      'media-finalize',
      'media-metadata',
      'media-poster',
      'media-probe',
      'media-quarantine',
      'media-thumbnails',
      'media-validate',
      'thumbs',
    ];

    expect(media).toEqual({
      source: '../../../../modules/domain-observability',
      name: 'slipway-dev-media',
      domain: 'media',
      functions: fns.map((f) => ({
        name: `slipway-dev-${f}`,
        dead_letter_queue: `slipway-dev-${f}-dlq`,
      })),
      state_machines: [
        {
          name: 'slipway-dev-media',
          arn: 'arn:aws:states:eu-west-1:111111111111:stateMachine:slipway-dev-media',
        },
      ],
      rest_apis: [],
      metric_ratios: [],
      metric_breakdowns: [
        {
          title: 'Quarantines by outcome (MediaQuarantined)',
          namespace: 'Slipway/media',
          metric: 'MediaQuarantined',
          dimensions: { service: 'media-quarantine' },
          split_by: { name: 'outcome', values: ['rejected', 'failed'] },
        },
      ],
      alarm_names: `\${concat(${[
        ...fns.map((f) => `module.lambda_${f.replaceAll('-', '_')}.alarm_names`),
        'module.flow_media.alarm_names',
        'module.flow_media_trigger.alarm_names',
      ].join(', ')})}`,
      alarm_actions: [topicOf('dev')],
      runbook: 'docs/runbooks/media.md',
      tags: { purpose: 'observability' },
    });
  });

  it("charts the etl manifests' ratios with the metrics the ratio alarm reads", () => {
    expect(read('etl-dev').module.observability.metric_ratios).toEqual([
      {
        title: 'etl-transform: rejected-rows (RowsRejected / RowsInput)',
        namespace: 'Slipway/etl',
        numerator: 'RowsRejected',
        denominator: 'RowsInput',
        dimensions: { service: 'etl-transform' },
      },
    ]);
    expect(read('etl-dev').module.observability.metric_breakdowns).toEqual([]);
  });

  it('has none in a stack with nothing to watch (platform: the bus and the topic)', () => {
    expect(read('platform-dev').module.observability).toBeUndefined();
    expect(Object.keys(read('platform-dev').module).sort()).toEqual([
      'alarm_topic',
      'bus_platform',
    ]);
  });

  it("charts the quarantine metric exactly as the handler emits it (name, dimension, the lib's outcomes)", () => {
    const handler = readFileSync(join(REPO, 'apps/media-quarantine/src/handler.ts'), 'utf8');
    const lib = readFileSync(join(REPO, 'libs/media/src/pipeline/quarantine.ts'), 'utf8');
    const [breakdown] = DOMAINS.media!.metricBreakdowns!;

    expect(handler).toContain(
      `obs.metrics.addDimension('${breakdown!.splitBy.name}', result.outcome);`,
    );
    expect(handler).toContain(
      `obs.metrics.addMetric('${breakdown!.metric}', MetricUnit.Count, 1);`,
    );
    expect(lib).toContain(
      `outcome: ${breakdown!.splitBy.values.map((v) => `'${v}'`).join(' | ')};`,
    );
  });
});

describe('environments.json alarms', () => {
  const broken = (change: (alarms: Record<string, unknown>) => unknown) => {
    const root = workspace();
    const file = join(root, 'terraform/stacks/environments.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.environments.staging.alarms = change(config.environments.staging.alarms);
    if (config.environments.staging.alarms === undefined) delete config.environments.staging.alarms;
    writeFileSync(file, JSON.stringify(config));
    return () => synth(root);
  };

  it.each([
    [
      'missing',
      () => undefined,
      `environments.staging.alarms: must be { "subscriptions": [{ "protocol": "email", "endpoint": "oncall@..." }] }: who the environment's alarms page`,
    ],
    [
      'without subscriptions',
      () => ({ subscriptions: [] }),
      'environments.staging.alarms.subscriptions: must list at least one subscription: an alarm that reaches nobody is not an alarm',
    ],
    [
      'an sms subscription',
      () => ({ subscriptions: [{ protocol: 'sms', endpoint: '+15555550100' }] }),
      'environments.staging.alarms.subscriptions.0.protocol: must be "email", "https", "sqs" or "lambda" (sms and http are not accepted)',
    ],
    [
      'an email endpoint that is no address',
      () => ({ subscriptions: [{ protocol: 'email', endpoint: 'oncall' }] }),
      'environments.staging.alarms.subscriptions.0.endpoint: must be an email address such as oncall@dev.example.com (lowercase domain)',
    ],
    [
      'an https endpoint over http',
      () => ({ subscriptions: [{ protocol: 'https', endpoint: 'http://hooks.example.com/a' }] }),
      'environments.staging.alarms.subscriptions.0.endpoint: must be the webhook as an https:// URL without query, fragment or credentials',
    ],
    [
      'a lambda endpoint that is a queue',
      () => ({
        subscriptions: [{ protocol: 'lambda', endpoint: 'arn:aws:sqs:eu-west-1:222222222222:q' }],
      }),
      'environments.staging.alarms.subscriptions.0.endpoint: must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)',
    ],
    [
      'the same subscription twice',
      (alarms: Record<string, unknown>) => ({
        subscriptions: [
          ...(alarms.subscriptions as unknown[]),
          ...(alarms.subscriptions as unknown[]),
        ],
      }),
      'environments.staging.alarms.subscriptions: must not list the same protocol and endpoint twice',
    ],
  ])('stops on %s, naming the field', (_case, change, message) => {
    const run = broken(change);

    expect(run).toThrow(StacksConfigError);
    expect(run).toThrow(message);
  });
});
