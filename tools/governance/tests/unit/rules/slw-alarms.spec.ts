import path from 'node:path';
import { buildModel, exitCode, runRule, scan, type ScanOptions } from '../../../src/engine';
import { isUnknown, type GovernanceModel, type Resource } from '../../../src/model';
import { builtinProfile, type ProfileName } from '../../../src/profiles';
import { RULES } from '../../../src/rules';
import { ALARM_TYPES, alarmTopics, dimensionValues } from '../../../src/rules/alarms';
import { rule as cw001 } from '../../../src/rules/slw-cw-001';
import { rule as cw002 } from '../../../src/rules/slw-cw-002';
import { rule as sns002 } from '../../../src/rules/slw-sns-002';
import type { Finding, Rule, Severity } from '../../../src/rules/types';
import { fixtureDir } from './run-rule';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../../..')));

/** One line per finding: rule, address, file:line, message. */
const lines = (findings: Finding[]) =>
  findings
    .map((f) => `${f.ruleId} ${f.address} ${path.basename(f.file ?? '')}:${f.line} ${f.message}`)
    .sort();

/** Runs one rule on its own and keeps what it reports both ways. */
async function check(
  rule: Rule,
  inputs: Pick<ScanOptions, 'hcl' | 'plans'>,
  profile: ProfileName,
): Promise<{ findings: string[]; warnings: string[] }> {
  const { model } = await buildModel({ ...inputs, allowDestroy: [] });
  const { findings, warnings } = runRule(rule, model, builtinProfile(profile), {
    allowDestroy: [],
  });
  return { findings: lines(findings), warnings: warnings.sort() };
}

/** A value as the rules see it: `apply(<expression> @ <resource>)` / `unresolved(...)` when unknown. */
const show = (v: unknown): string =>
  isUnknown(v)
    ? `${v.kind}(${v.expression ?? ''}${v.resource ? ` @ ${v.resource}` : ''})`
    : Array.isArray(v)
      ? `[${v.map(show).join(', ')}]`
      : v === undefined
        ? 'none'
        : JSON.stringify(v);

/** A fixture folder of a rule: pass, fail, unknown or plan. */
const dir = (ruleId: string, variant: string) =>
  path.join(fixtureDir(ruleId, 'pass'), '..', variant);
/** The unknown fixtures' files, as warnings name them. */
const CW001_UNKNOWN = 'tools/governance/src/rules/slw-cw-001/fixtures/unknown/main.tf';
const CW002_UNKNOWN = 'tools/governance/src/rules/slw-cw-002/fixtures/unknown/main.tf';
const SNS002_UNKNOWN = 'tools/governance/src/rules/slw-sns-002/fixtures/unknown/main.tf';

/**
 * The three alarm rules of issue 15. Each fail fixture is its pass fixture with one field broken
 * per reported resource; each unknown fixture holds values governance cannot evaluate, which are
 * findings under strict and warnings under baseline (never a silent pass).
 */
const cases: {
  rule: Rule;
  severity: Severity;
  checkov: string[];
  trivy: string[];
  /** What the rule reads of the pass fixture, by address, to prove it was evaluated. */
  read: (model: GovernanceModel) => Record<string, string>;
  pass: Record<string, string>;
  fail: string[];
  /** The unknown fixture: the warnings under baseline and the findings under strict. */
  unknown: { warnings: string[]; strict: string[] };
}[] = [
  {
    rule: cw001 as Rule,
    severity: 'high',
    // Verified: CKV_AWS_319 checks actions_enabled only; trivy has no alarm-action check.
    checkov: ['CKV_AWS_319'],
    trivy: [],
    read: (model) =>
      Object.fromEntries(
        model.resources
          .filter((r) => ALARM_TYPES.includes(r.type))
          .map((r) => [
            r.address,
            `enabled=${show(r.attributes.actions_enabled)} actions=${show(r.attributes.alarm_actions)}`,
          ]),
      ),
    pass: {
      'aws_cloudwatch_metric_alarm.known_arn':
        'enabled=none actions=["arn:aws:sns:eu-west-1:111111111111:slipway-dev-alarms"]',
      'aws_cloudwatch_metric_alarm.referenced':
        'enabled=none actions=[apply(aws_sns_topic.alarms.arn @ aws_sns_topic.alarms)]',
      'aws_cloudwatch_metric_alarm.enabled':
        'enabled=true actions=[apply(aws_sns_topic.alarms.arn @ aws_sns_topic.alarms)]',
      'aws_cloudwatch_composite_alarm.domain':
        'enabled=none actions=[apply(aws_sns_topic.alarms.arn @ aws_sns_topic.alarms)]',
      // The caller's argument reaches the module's alarm still tagged with the caller's topic.
      'module.queue.aws_cloudwatch_metric_alarm.this':
        'enabled=none actions=[apply(aws_sns_topic.alarms.arn @ aws_sns_topic.alarms)]',
      // The module's output is followed to the topic inside it.
      'aws_cloudwatch_metric_alarm.via_output':
        'enabled=none actions=[apply(aws_sns_topic.this.arn @ module.topic.aws_sns_topic.this)]',
      // data.aws_partition and data.aws_region answered from the provider block.
      'aws_cloudwatch_metric_alarm.built_arn':
        'enabled=none actions=["arn:aws:sns:eu-west-1:111111111111:slipway-dev-alarms"]',
    },
    fail: [
      'SLW-CW-001 aws_cloudwatch_composite_alarm.domain main.tf:47 alarm_actions is empty: the alarm changes state but notifies no one.',
      'SLW-CW-001 aws_cloudwatch_metric_alarm.enabled main.tf:34 alarm_actions is empty: the alarm changes state but notifies no one.',
      'SLW-CW-001 aws_cloudwatch_metric_alarm.known_arn main.tf:7 alarm_actions is empty: the alarm changes state but notifies no one.',
      'SLW-CW-001 aws_cloudwatch_metric_alarm.referenced main.tf:20 actions_enabled = false: the alarm changes state but notifies no one.',
      'SLW-CW-001 module.queue.aws_cloudwatch_metric_alarm.this main.tf:6 alarm_actions is empty: the alarm changes state but notifies no one.',
    ],
    unknown: {
      warnings: [
        `SLW-CW-001 aws_cloudwatch_metric_alarm.counted_module (${CW001_UNKNOWN}:60): cannot verify alarm actions of aws_cloudwatch_metric_alarm.counted_module because module.counted is unknown (an output of a module governance cannot follow).`,
        `SLW-CW-001 aws_cloudwatch_metric_alarm.from_data (${CW001_UNKNOWN}:48): cannot verify alarm actions of aws_cloudwatch_metric_alarm.from_data because data.aws_sns_topic.existing is unknown (a data source governance does not read).`,
        `SLW-CW-001 aws_cloudwatch_metric_alarm.from_variable (${CW001_UNKNOWN}:24): cannot verify alarm actions of aws_cloudwatch_metric_alarm.from_variable because var.alarm_topic_arn is unknown (the variable has no default and no value is passed to it).`,
        `SLW-CW-001 aws_cloudwatch_metric_alarm.whole_list (${CW001_UNKNOWN}:36): cannot verify alarm actions of aws_cloudwatch_metric_alarm.whole_list because var.alarm_actions is unknown (the variable has no default and no value is passed to it).`,
        `SLW-CW-001 aws_cloudwatch_composite_alarm.enabled_unknown (${CW001_UNKNOWN}:72): cannot verify alarm actions of aws_cloudwatch_composite_alarm.enabled_unknown because var.paging_enabled is unknown (the variable has no default and no value is passed to it).`,
      ],
      strict: [
        'SLW-CW-001 aws_cloudwatch_composite_alarm.enabled_unknown main.tf:72 cannot verify alarm actions of aws_cloudwatch_composite_alarm.enabled_unknown because var.paging_enabled is unknown (the variable has no default and no value is passed to it).',
        'SLW-CW-001 aws_cloudwatch_metric_alarm.counted_module main.tf:60 cannot verify alarm actions of aws_cloudwatch_metric_alarm.counted_module because module.counted is unknown (an output of a module governance cannot follow).',
        'SLW-CW-001 aws_cloudwatch_metric_alarm.from_data main.tf:48 cannot verify alarm actions of aws_cloudwatch_metric_alarm.from_data because data.aws_sns_topic.existing is unknown (a data source governance does not read).',
        'SLW-CW-001 aws_cloudwatch_metric_alarm.from_variable main.tf:24 cannot verify alarm actions of aws_cloudwatch_metric_alarm.from_variable because var.alarm_topic_arn is unknown (the variable has no default and no value is passed to it).',
        'SLW-CW-001 aws_cloudwatch_metric_alarm.whole_list main.tf:36 cannot verify alarm actions of aws_cloudwatch_metric_alarm.whole_list because var.alarm_actions is unknown (the variable has no default and no value is passed to it).',
      ],
    },
  },
  {
    rule: cw002 as Rule,
    severity: 'medium',
    // Verified: no checkov or trivy check relates an alarm to the resource it watches.
    checkov: [],
    trivy: [],
    read: (model) =>
      Object.fromEntries(
        model.resources
          .filter((r) => r.type === 'aws_cloudwatch_metric_alarm')
          .map((r) => [
            r.address,
            ['FunctionName', 'StateMachineArn']
              .map((d) => `${d}=${show(dimensionValues(r, d).map((x) => x.value))}`)
              .join(' '),
          ]),
      ),
    pass: {
      'aws_cloudwatch_metric_alarm.referenced_errors':
        'FunctionName=[apply(aws_lambda_function.referenced.function_name @ aws_lambda_function.referenced)] StateMachineArn=[]',
      'aws_cloudwatch_metric_alarm.literal_errors':
        'FunctionName=["slipway-dev-literal"] StateMachineArn=[]',
      'aws_cloudwatch_metric_alarm.via_local_errors':
        'FunctionName=[apply(aws_lambda_function.via_local.function_name @ aws_lambda_function.via_local)] StateMachineArn=[]',
      'aws_cloudwatch_metric_alarm.math_error_rate':
        'FunctionName=[apply(aws_lambda_function.math.function_name @ aws_lambda_function.math)] StateMachineArn=[]',
      'aws_cloudwatch_metric_alarm.flow_failed':
        'FunctionName=[] StateMachineArn=[apply(aws_sfn_state_machine.flow.arn @ aws_sfn_state_machine.flow)]',
      'aws_cloudwatch_metric_alarm.queue_depth': 'FunctionName=[] StateMachineArn=[]',
    },
    fail: [
      'SLW-CW-002 aws_lambda_function.literal main.tf:16 no CloudWatch metric alarm has dimensions.FunctionName = this function: its failures page no one.',
      'SLW-CW-002 aws_lambda_function.math main.tf:32 no CloudWatch metric alarm has dimensions.FunctionName = this function: its failures page no one.',
      'SLW-CW-002 aws_lambda_function.referenced main.tf:8 no CloudWatch metric alarm has dimensions.FunctionName = this function: its failures page no one.',
      'SLW-CW-002 aws_lambda_function.via_local main.tf:24 no CloudWatch metric alarm has dimensions.FunctionName = this function: its failures page no one.',
      'SLW-CW-002 aws_sfn_state_machine.flow main.tf:40 no CloudWatch metric alarm has dimensions.StateMachineArn = this state machine: its failures page no one.',
    ],
    unknown: {
      warnings: [
        `SLW-CW-002 aws_lambda_function.unclear (${CW002_UNKNOWN}:11): cannot verify that aws_lambda_function.unclear has an alarm: the FunctionName dimension of aws_cloudwatch_metric_alarm.by_variable (var.function_name), aws_cloudwatch_metric_alarm.whole_map (var.dimensions) could not be evaluated.`,
        `SLW-CW-002 aws_sfn_state_machine.unclear (${CW002_UNKNOWN}:27): cannot verify that aws_sfn_state_machine.unclear has an alarm: the StateMachineArn dimension of aws_cloudwatch_metric_alarm.whole_map (var.dimensions) could not be evaluated.`,
      ],
      strict: [
        'SLW-CW-002 aws_lambda_function.unclear main.tf:11 cannot verify that aws_lambda_function.unclear has an alarm: the FunctionName dimension of aws_cloudwatch_metric_alarm.by_variable (var.function_name), aws_cloudwatch_metric_alarm.whole_map (var.dimensions) could not be evaluated.',
        'SLW-CW-002 aws_sfn_state_machine.unclear main.tf:27 cannot verify that aws_sfn_state_machine.unclear has an alarm: the StateMachineArn dimension of aws_cloudwatch_metric_alarm.whole_map (var.dimensions) could not be evaluated.',
      ],
    },
  },
  {
    rule: sns002 as Rule,
    severity: 'high',
    checkov: ['CKV_AWS_26'],
    trivy: ['AVD-AWS-0095', 'AVD-AWS-0136'],
    read: (model) => {
      const alarmList = model.resources.filter((r) => ALARM_TYPES.includes(r.type));
      return Object.fromEntries(
        model.resources
          .filter((r) => r.type === 'aws_sns_topic')
          .map((t) => [
            t.address,
            `key=${show(t.attributes.kms_master_key_id)} notified_by=${show(
              alarmList.filter((a) => alarmTopics(a, [t]).length).map((a) => a.address),
            )}`,
          ]),
      );
    },
    pass: {
      'aws_sns_topic.created_key':
        'key=apply(aws_kms_key.alarms.arn @ aws_kms_key.alarms) notified_by=["aws_cloudwatch_metric_alarm.errors"]',
      // Linked by the name at the end of a known ARN.
      'aws_sns_topic.alias':
        'key="alias/slipway-dev-alarms" notified_by=["aws_cloudwatch_metric_alarm.throttles"]',
      'aws_sns_topic.other': 'key="alias/aws/sns" notified_by=[]',
      'module.topic.aws_sns_topic.this':
        'key=apply(aws_kms_key.alarms.arn @ aws_kms_key.alarms) notified_by=["aws_cloudwatch_composite_alarm.domain"]',
    },
    fail: [
      'SLW-SNS-002 aws_sns_topic.alias main.tf:12 alarm topic (notified by aws_cloudwatch_metric_alarm.throttles) uses the AWS managed key alias/aws/sns, whose policy cannot allow cloudwatch.amazonaws.com: CloudWatch cannot publish, no alarm notification is delivered.',
      'SLW-SNS-002 aws_sns_topic.created_key main.tf:8 alarm topic (notified by aws_cloudwatch_metric_alarm.errors) has no kms_master_key_id: its alarm notifications are stored unencrypted.',
      'SLW-SNS-002 module.topic.aws_sns_topic.this main.tf:6 alarm topic (notified by aws_cloudwatch_composite_alarm.domain) uses the AWS managed key arn:aws:kms:eu-west-1:111111111111:alias/aws/sns, whose policy cannot allow cloudwatch.amazonaws.com: CloudWatch cannot publish, no alarm notification is delivered.',
    ],
    unknown: {
      warnings: [
        `SLW-SNS-002 aws_sns_topic.from_variable (${SNS002_UNKNOWN}:11): cannot verify the key of alarm topic aws_sns_topic.from_variable (notified by aws_cloudwatch_metric_alarm.errors) because var.kms_key is unknown (the variable has no default and no value is passed to it).`,
        `SLW-SNS-002 aws_sns_topic.from_data (${SNS002_UNKNOWN}:16): cannot verify the key of alarm topic aws_sns_topic.from_data (notified by aws_cloudwatch_metric_alarm.errors) because data.aws_kms_alias.shared is unknown (a data source governance does not read).`,
      ],
      strict: [
        'SLW-SNS-002 aws_sns_topic.from_data main.tf:16 cannot verify the key of alarm topic aws_sns_topic.from_data (notified by aws_cloudwatch_metric_alarm.errors) because data.aws_kms_alias.shared is unknown (a data source governance does not read).',
        'SLW-SNS-002 aws_sns_topic.from_variable main.tf:11 cannot verify the key of alarm topic aws_sns_topic.from_variable (notified by aws_cloudwatch_metric_alarm.errors) because var.kms_key is unknown (the variable has no default and no value is passed to it).',
      ],
    },
  },
];

describe.each(cases)(
  '$rule.id',
  ({ rule, severity, checkov, trivy, read, pass, fail, unknown }) => {
    it('reports exactly the broken field of each resource in the fail fixture, with the fix, in both profiles', async () => {
      for (const profile of ['baseline', 'strict'] as const) {
        const { findings, warnings } = await check(rule, { hcl: [dir(rule.id, 'fail')] }, profile);
        expect(findings).toEqual(fail);
        expect(warnings).toEqual([]);
      }
      const { model } = await buildModel({ hcl: [dir(rule.id, 'fail')], allowDestroy: [] });
      for (const f of rule.check(model, builtinProfile('strict'), { allowDestroy: [] }))
        expect(f).toMatchObject({ severity, fix: rule.fix, title: rule.title });
    });

    it('accepts the pass fixture, which it really evaluated (references, modules, known values)', async () => {
      const { model } = await buildModel({ hcl: [dir(rule.id, 'pass')], allowDestroy: [] });

      expect(read(model)).toEqual(pass);
      for (const profile of ['baseline', 'strict'] as const)
        expect(await check(rule, { hcl: [dir(rule.id, 'pass')] }, profile)).toEqual({
          findings: [],
          warnings: [],
        });
    });

    it('does not pass what it cannot evaluate: a finding under strict, a warning under baseline', async () => {
      const inputs = { hcl: [dir(rule.id, 'unknown')] };

      const strict = await check(rule, inputs, 'strict');
      const baseline = await check(rule, inputs, 'baseline');

      expect(strict).toEqual({ findings: unknown.strict, warnings: [] });
      expect(baseline).toEqual({ findings: [], warnings: [...unknown.warnings].sort() });
    });

    it('runs in both profiles, names its verified public equivalents and is registered', () => {
      expect(Object.keys(rule.profiles).sort()).toEqual(['baseline', 'strict']);
      expect(rule.severity).toBe(severity);
      expect({ checkov: rule.checkov, trivy: rule.trivy }).toEqual({ checkov, trivy });
      expect(RULES.includes(rule)).toBe(true);
    });
  },
);

describe('the engine keeps rule warnings apart from findings', () => {
  const inputs = { hcl: [dir('SLW-CW-001', 'unknown')], onlyRules: ['SLW-CW-001'] };

  it('baseline: the unverifiable alarms are scan warnings and the run passes; strict: findings that fail it', async () => {
    const baseline = await scan({ ...inputs, profile: 'baseline' });
    const strict = await scan({ ...inputs, profile: 'strict' });

    expect(baseline.findings).toEqual([]);
    // The same five lines the rule gives its CheckContext.warn (the SLW-CW-001 case above).
    expect([...baseline.warnings].sort()).toEqual([...cases[0].unknown.warnings].sort());
    expect(exitCode(baseline, 'low')).toBe(0);
    expect(strict.findings.map((f) => f.address).sort()).toEqual([
      'aws_cloudwatch_composite_alarm.enabled_unknown',
      'aws_cloudwatch_metric_alarm.counted_module',
      'aws_cloudwatch_metric_alarm.from_data',
      'aws_cloudwatch_metric_alarm.from_variable',
      'aws_cloudwatch_metric_alarm.whole_list',
    ]);
    expect(strict.warnings).toEqual([]);
    expect(exitCode(strict, 'low')).toBe(1);
  });
});

describe('on a real offline plan', () => {
  const plans = [path.join(dir('SLW-CW-001', 'plan'), 'alarms.json')];
  const rules = [cw001, cw002, sns002] as Rule[];

  it.each([
    [
      'baseline',
      [
        'SLW-CW-001 aws_cloudwatch_metric_alarm.silent alarms.json:undefined alarm_actions is empty: the alarm changes state but notifies no one.',
        'SLW-CW-002 aws_lambda_function.unwatched alarms.json:undefined no CloudWatch metric alarm has dimensions.FunctionName = this function: its failures page no one.',
        'SLW-SNS-002 aws_sns_topic.managed_key alarms.json:undefined alarm topic (notified by aws_cloudwatch_metric_alarm.built) uses the AWS managed key alias/aws/sns, whose policy cannot allow cloudwatch.amazonaws.com: CloudWatch cannot publish, no alarm notification is delivered.',
      ],
      [
        'SLW-CW-001 aws_cloudwatch_metric_alarm.referenced (tools/governance/src/rules/slw-cw-001/fixtures/plan/alarms.json): cannot verify alarm actions of aws_cloudwatch_metric_alarm.referenced because aws_sns_topic.alarms.arn is unknown (known only after apply).',
      ],
    ],
    [
      'strict',
      [
        'SLW-CW-001 aws_cloudwatch_metric_alarm.referenced alarms.json:undefined cannot verify alarm actions of aws_cloudwatch_metric_alarm.referenced because aws_sns_topic.alarms.arn is unknown (known only after apply).',
        'SLW-CW-001 aws_cloudwatch_metric_alarm.silent alarms.json:undefined alarm_actions is empty: the alarm changes state but notifies no one.',
        'SLW-CW-002 aws_lambda_function.unwatched alarms.json:undefined no CloudWatch metric alarm has dimensions.FunctionName = this function: its failures page no one.',
        'SLW-SNS-002 aws_sns_topic.managed_key alarms.json:undefined alarm topic (notified by aws_cloudwatch_metric_alarm.built) uses the AWS managed key alias/aws/sns, whose policy cannot allow cloudwatch.amazonaws.com: CloudWatch cannot publish, no alarm notification is delivered.',
      ],
      [],
    ],
  ] as const)(
    '%s: a set holding a created topic ARN is unknown at plan (not a pass); a built ARN, a function known by name and the managed-key topic are judged',
    async (profile, findings, warnings) => {
      const all = { findings: [] as string[], warnings: [] as string[] };
      for (const rule of rules) {
        const r = await check(rule, { plans }, profile);
        all.findings.push(...r.findings);
        all.warnings.push(...r.warnings);
      }

      expect(all.findings.sort()).toEqual([...findings]);
      expect(all.warnings).toEqual([...warnings]);
    },
  );

  it('reads the plan as Terraform wrote it: the whole set unknown, the built ARN and the dimensions known', async () => {
    const { model } = await buildModel({ plans, allowDestroy: [] });
    const at = (address: string) => model.resources.find((r) => r.address === address)!;

    expect(show(at('aws_cloudwatch_metric_alarm.referenced').attributes.alarm_actions)).toBe(
      'apply()',
    );
    expect(at('aws_cloudwatch_metric_alarm.built').attributes).toMatchObject({
      alarm_actions: ['arn:aws:sns:eu-west-1:111111111111:slipway-dev-alarms-managed'],
      dimensions: { FunctionName: 'slipway-dev-worker' },
    });
  });
});

describe('terraform/modules/lambda-function and terraform/modules/state-machine', () => {
  const examples = [
    'terraform/modules/lambda-function/examples/basic',
    'terraform/modules/state-machine/examples/basic',
  ];
  const watchedBy = (model: GovernanceModel, target: Resource, dimension: string) =>
    model.resources
      .filter((a) => a.type === 'aws_cloudwatch_metric_alarm')
      .filter((a) =>
        dimensionValues(a, dimension).some(
          (d) => isUnknown(d.value) && d.value.resource === target.address,
        ),
      )
      .map((a) => a.address)
      .sort();

  it("links the modules' own alarms to the function and the state machine inside the module calls", async () => {
    const { model } = await buildModel({ hcl: examples, allowDestroy: [] });
    const at = (address: string) => model.resources.find((r) => r.address === address)!;

    expect(watchedBy(model, at('module.hello.aws_lambda_function.this'), 'FunctionName')).toEqual([
      'module.hello.aws_cloudwatch_metric_alarm.duration_p99',
      'module.hello.aws_cloudwatch_metric_alarm.errors',
      'module.hello.aws_cloudwatch_metric_alarm.throttles',
    ]);
    expect(
      watchedBy(model, at('module.hello_flow.aws_sfn_state_machine.this'), 'StateMachineArn'),
    ).toEqual([
      'module.hello_flow.aws_cloudwatch_metric_alarm.this["failed"]',
      'module.hello_flow.aws_cloudwatch_metric_alarm.this["throttled"]',
      'module.hello_flow.aws_cloudwatch_metric_alarm.this["timed_out"]',
    ]);
  });

  it('pass SLW-CW-002 through their examples and as modules, in both profiles', async () => {
    for (const hcl of [
      examples,
      ['terraform/modules/lambda-function', 'terraform/modules/state-machine'],
    ])
      for (const profile of ['baseline', 'strict'] as const) {
        const result = await scan({ hcl, profile, onlyRules: ['SLW-CW-002'] });
        expect(result.rules.map((r) => r.id)).toEqual(['SLW-CW-002']);
        expect(result.findings).toEqual([]);
        expect(result.warnings).toEqual([]);
      }
  });
});
