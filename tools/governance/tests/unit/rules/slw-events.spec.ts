import path from 'node:path';
import { buildModel, scan, type ScanOptions } from '../../../src/engine';
import { firstBlock, isUnknown, type Resource } from '../../../src/model';
import { builtinProfile, type ProfileName } from '../../../src/profiles';
import { RULES } from '../../../src/rules';
import { rule as evt001, lambdaTarget } from '../../../src/rules/slw-evt-001';
import { rule as lambda008 } from '../../../src/rules/slw-lambda-008';
import { rule as lambda009 } from '../../../src/rules/slw-lambda-009';
import { rule as sched002 } from '../../../src/rules/slw-sched-002';
import type { Finding, Rule } from '../../../src/rules/types';
import { fixtureDir } from './run-rule';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../../..')));

/** One line per finding: rule, address, file:line, message. */
const lines = (findings: Finding[]) =>
  findings
    .map((f) => `${f.ruleId} ${f.address} ${path.basename(f.file ?? '')}:${f.line} ${f.message}`)
    .sort();

/** Runs one rule on its own, as the engine would with only that rule selected. */
async function check(
  rule: Rule,
  inputs: Pick<ScanOptions, 'hcl' | 'plans' | 'planRoot'>,
  profile: ProfileName = 'baseline',
): Promise<Finding[]> {
  const { model } = await buildModel({ ...inputs, allowDestroy: [] });
  return rule.check(model, builtinProfile(profile), { allowDestroy: [] });
}

/** The resources of one type in a model, by address. */
async function resources(dir: string, type: string): Promise<Record<string, Resource>> {
  const { model } = await buildModel({ hcl: [dir], allowDestroy: [] });
  return Object.fromEntries(
    model.resources.filter((r) => r.type === type).map((r) => [r.address, r]),
  );
}

/** A value as the rules see it: `?` when unknown, `none` when absent. */
const show = (v: unknown) => (isUnknown(v) ? '?' : v === undefined ? 'none' : JSON.stringify(v));
/** A nested block as the rules see it: `?` when unknown, `none` when absent, else its arn. */
const blockArn = (b: unknown) =>
  isUnknown(b)
    ? '?'
    : b === undefined
      ? 'none'
      : `{arn=${show((b as Record<string, unknown>).arn)}}`;
/** One field of a nested block: `?` when the block is unknown. */
const field = (b: unknown, key: string) =>
  isUnknown(b) ? b : (b as Record<string, unknown> | undefined)?.[key];

/**
 * The rules for what reaches a Lambda or a schedule's target (issue 14). Each fail fixture is
 * its pass fixture with one field broken per reported resource; the resources the rule cannot
 * know (unknown values) or does not judge (another target type or principal) are the same in
 * both and never reported.
 */
const cases: {
  rule: Rule;
  registered: boolean;
  type: string;
  checkov: string[];
  trivy: string[];
  /** What the rule reads of each resource of the pass fixture, to prove it was evaluated. */
  read: (r: Resource) => string;
  pass: Record<string, string>;
  fail: string[];
}[] = [
  {
    rule: evt001 as Rule,
    registered: true,
    type: 'aws_cloudwatch_event_target',
    // Verified: no checkov or trivy check covers event-target DLQs (serverless-rules ES4000 does).
    checkov: [],
    trivy: [],
    read: (t) =>
      `${lambdaTarget(t)}` +
      ` dlq=${blockArn(firstBlock(t.attributes, 'dead_letter_config'))}` +
      ` retry=${show(field(firstBlock(t.attributes, 'retry_policy'), 'maximum_retry_attempts'))}`,
    pass: {
      'aws_cloudwatch_event_target.known_arn':
        'lambda dlq={arn="arn:aws:sqs:eu-west-1:111111111111:slipway-dev-welcome-email-1-dlq"} retry=3',
      'aws_cloudwatch_event_target.referenced': 'lambda dlq={arn=?} retry=0',
      'aws_cloudwatch_event_target.alias':
        'lambda dlq={arn="arn:aws:sqs:eu-west-1:111111111111:slipway-dev-profile-1-dlq"} retry=185',
      'aws_cloudwatch_event_target.state_machine': 'other dlq=none retry=none',
    },
    fail: [
      'SLW-EVT-001 aws_cloudwatch_event_target.alias main.tf:24 dead_letter_config has no arn: events EventBridge cannot deliver to the function are dropped after the retries.',
      'SLW-EVT-001 aws_cloudwatch_event_target.known_arn main.tf:3 no dead_letter_config: events EventBridge cannot deliver to the function are dropped after the retries.',
      "SLW-EVT-001 aws_cloudwatch_event_target.referenced main.tf:15 no retry_policy: EventBridge's defaults (185 retries over 24 hours) apply, unread in the code.",
    ],
  },
  {
    rule: sched002 as Rule,
    registered: true,
    type: 'aws_scheduler_schedule',
    // Verified: CKV_AWS_297 (the only Scheduler check) is the KMS key of SLW-SCHED-001.
    checkov: [],
    trivy: [],
    read: (s) => {
      const target = firstBlock(s.attributes, 'target');
      return `dlq=${isUnknown(target) ? '?' : blockArn(firstBlock(target, 'dead_letter_config'))}`;
    },
    pass: {
      'aws_scheduler_schedule.lambda':
        'dlq={arn="arn:aws:sqs:eu-west-1:111111111111:slipway-dev-reminders-dlq"}',
      'aws_scheduler_schedule.flow': 'dlq={arn=?}',
    },
    fail: [
      'SLW-SCHED-002 aws_scheduler_schedule.flow main.tf:17 target.dead_letter_config has no arn: an invocation Scheduler cannot deliver is dropped after the retries.',
      'SLW-SCHED-002 aws_scheduler_schedule.lambda main.tf:3 target has no dead_letter_config: an invocation Scheduler cannot deliver is dropped after the retries.',
    ],
  },
  {
    rule: lambda008 as Rule,
    registered: true,
    type: 'aws_lambda_permission',
    checkov: ['CKV_AWS_364'],
    trivy: ['AVD-AWS-0067'],
    read: (p) => `${show(p.attributes.principal)} ${show(p.attributes.source_arn)}`,
    pass: {
      'aws_lambda_permission.events':
        '"events.amazonaws.com" "arn:aws:events:eu-west-1:111111111111:rule/slipway-dev-sessions/slipway-dev-welcome-email-1"',
      'aws_lambda_permission.scheduler':
        '"scheduler.amazonaws.com" "arn:aws:scheduler:eu-west-1:111111111111:schedule/default/slipway-dev-reminders"',
      'aws_lambda_permission.apigateway':
        '"apigateway.amazonaws.com" "arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/dev/GET/things/*"',
      'aws_lambda_permission.unknown': '"events.amazonaws.com" ?',
      'aws_lambda_permission.s3': '"s3.amazonaws.com" "arn:aws:s3:::slipway-dev-media"',
    },
    fail: [
      'SLW-LAMBDA-008 aws_lambda_permission.apigateway main.tf:19 source_arn "arn:aws:execute-api:eu-west-1:111111111111:*/dev/GET/things/*" has a wildcard where it must name one API Gateway API.',
      'SLW-LAMBDA-008 aws_lambda_permission.events main.tf:3 principal events.amazonaws.com without source_arn: any EventBridge rule of any account can invoke the function.',
      'SLW-LAMBDA-008 aws_lambda_permission.scheduler main.tf:10 source_arn "arn:aws:scheduler:eu-west-1:111111111111:schedule/default/*" has a wildcard where it must name one Scheduler schedule.',
    ],
  },
  {
    rule: lambda009 as Rule,
    registered: true,
    type: 'aws_lambda_function_event_invoke_config',
    // Verified: no checkov or trivy check reads event invoke configs (CKV_AWS_116 is the
    // function's dead_letter_config, SLW-LAMBDA-003 here).
    checkov: [],
    trivy: [],
    read: (c) => {
      const destinations = firstBlock(c.attributes, 'destination_config');
      const onFailure = isUnknown(destinations)
        ? destinations
        : firstBlock(destinations, 'on_failure');
      const fn = c.links.aws_lambda_function?.[0];
      return (
        `on_failure=${isUnknown(onFailure) ? '?' : show(onFailure?.destination)}` +
        ` function_dlq=${fn ? show(field(firstBlock(fn.attributes, 'dead_letter_config'), 'target_arn')) : 'unlinked'}`
      );
    },
    pass: {
      'aws_lambda_function_event_invoke_config.known_queue':
        'on_failure="arn:aws:sqs:eu-west-1:111111111111:slipway-dev-welcome-email-dlq" function_dlq=unlinked',
      'aws_lambda_function_event_invoke_config.referenced': 'on_failure=? function_dlq=none',
      'aws_lambda_function_event_invoke_config.function_dlq':
        'on_failure=none function_dlq="arn:aws:sqs:eu-west-1:111111111111:slipway-dev-legacy-dlq"',
    },
    fail: [
      'SLW-LAMBDA-009 aws_lambda_function_event_invoke_config.function_dlq main.tf:21 no destination_config.on_failure and no dead_letter_config on the function: an event that fails every retry is discarded.',
      'SLW-LAMBDA-009 aws_lambda_function_event_invoke_config.known_queue main.tf:3 on_failure destination arn:aws:sqs:eu-west-1:111111111111:slipway-dev-welcome-email-dlq.fifo is a FIFO queue or topic, which Lambda cannot deliver to: failed events are lost.',
      'SLW-LAMBDA-009 aws_lambda_function_event_invoke_config.referenced main.tf:15 no destination_config.on_failure and no dead_letter_config on the function: an event that fails every retry is discarded.',
    ],
  },
];

describe.each(cases)('$rule.id', ({ rule, registered, type, checkov, trivy, read, pass, fail }) => {
  it('reports exactly the broken field of each resource in the fail fixture, with the fix', async () => {
    const findings = await check(rule, { hcl: [fixtureDir(rule.id, 'fail')] }, 'strict');

    expect(lines(findings)).toEqual(fail);
    for (const f of findings)
      expect(f).toMatchObject({ severity: 'high', fix: rule.fix, title: rule.title });
  });

  it('accepts the pass fixture, which it really evaluated (known and out-of-scope values; the unknown ones are in fixtures/unknown)', async () => {
    const byAddress = await resources(fixtureDir(rule.id, 'pass'), type);

    expect(Object.fromEntries(Object.entries(byAddress).map(([a, r]) => [a, read(r)]))).toEqual(
      pass,
    );
    for (const p of ['baseline', 'strict'] as const)
      expect(await check(rule, { hcl: [fixtureDir(rule.id, 'pass')] }, p)).toEqual([]);
  });

  it('runs in both profiles, names its verified public equivalents and is registered when enforced', () => {
    expect(Object.keys(rule.profiles).sort()).toEqual(['baseline', 'strict']);
    expect({ checkov: rule.checkov, trivy: rule.trivy }).toEqual({ checkov, trivy });
    expect(RULES.includes(rule)).toBe(registered);
  });
});

describe('on a real offline plan', () => {
  const dir = path.join(fixtureDir('SLW-EVT-001', 'pass'), '../plan');
  const plan = { plans: [path.join(dir, 'events.json')], planRoot: dir };

  it('report known gaps and skip what the plan leaves "known after apply"', async () => {
    const findings = [
      ...(await check(evt001 as Rule, plan)),
      ...(await check(sched002 as Rule, plan)),
      ...(await check(lambda008 as Rule, plan)),
    ];

    // "bare" targets a function the plan creates: its ARN is unknown, the configuration's
    // reference makes it a Lambda target. "kept" (queue ARN unknown) and "scoped" (rule ARN
    // unknown) are not reported.
    expect(lines(findings)).toEqual([
      'SLW-EVT-001 aws_cloudwatch_event_target.bare main.tf:23 no dead_letter_config: events EventBridge cannot deliver to the function are dropped after the retries.',
      "SLW-EVT-001 aws_cloudwatch_event_target.bare main.tf:23 no retry_policy: EventBridge's defaults (185 retries over 24 hours) apply, unread in the code.",
      'SLW-LAMBDA-008 aws_lambda_permission.open main.tf:55 principal events.amazonaws.com without source_arn: any EventBridge rule of any account can invoke the function.',
      'SLW-SCHED-002 aws_scheduler_schedule.hourly main.tf:62 target has no dead_letter_config: an invocation Scheduler cannot deliver is dropped after the retries.',
    ]);
  });
});

describe('terraform/modules/event-rule', () => {
  const example = { hcl: ['terraform/modules/event-rule/examples/basic'], allowDestroy: [] };
  const onlyRules = ['SLW-EVT-001', 'SLW-LAMBDA-008', 'SLW-SQS-001'];

  it('is evaluated through its example: a Lambda target with a queue and retries, a permission with a source', async () => {
    const { model } = await buildModel(example);
    const at = (address: string) => model.resources.find((r) => r.address === address);

    // The queue and rule ARNs are built from the function's partition and Region and
    // account_id, so even the HCL alone names them (and a plan whose module call defers data
    // sources: the stacks').
    const target = at('module.welcome_email.aws_cloudwatch_event_target.this');
    expect(target && lambdaTarget(target)).toBe('lambda');
    expect(target?.attributes).toMatchObject({
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-welcome-email',
      dead_letter_config: [
        { arn: 'arn:aws:sqs:eu-west-1:123456789012:slipway-dev-welcome-email-1-dlq' },
      ],
      retry_policy: [{ maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 }],
    });
    expect(at('module.welcome_email.aws_lambda_permission.this')?.attributes).toMatchObject({
      principal: 'events.amazonaws.com',
      source_arn:
        'arn:aws:events:eu-west-1:123456789012:rule/slipway-dev-sessions/slipway-dev-welcome-email-1',
    });
    expect(at('module.welcome_email.aws_sqs_queue.dead_letter[0]')?.attributes).toMatchObject({
      sqs_managed_sse_enabled: true,
    });
  });

  it('passes the delivery, permission and queue rules in both profiles', async () => {
    for (const profile of ['baseline', 'strict'] as const) {
      const result = await scan({ ...example, profile, onlyRules });
      expect(result.rules.map((r) => r.id)).toEqual(onlyRules);
      expect(result.findings).toEqual([]);
    }
  });
});

describe('terraform/modules/schedule', () => {
  const examples = {
    hcl: [
      'terraform/modules/schedule/examples/basic',
      'terraform/modules/schedule/examples/lambda',
    ],
    allowDestroy: [],
  };
  const onlyRules = ['SLW-SCHED-002', 'SLW-SQS-001'];

  it('is evaluated through its examples: both target kinds dead-letter into their created, encrypted queue', async () => {
    const { model } = await buildModel(examples);
    const at = (address: string) => model.resources.find((r) => r.address === address);

    // The queue ARN is built from the target's partition and Region and account_id, so even the
    // HCL alone names it.
    for (const [call, target, queue] of [
      [
        'etl_schedule',
        'arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-dev-etl',
        'arn:aws:sqs:eu-west-1:123456789012:slipway-dev-etl-schedule-dlq',
      ],
      [
        'reminders_schedule',
        'arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-reminders',
        'arn:aws:sqs:eu-west-1:123456789012:slipway-dev-reminders-dlq',
      ],
    ] as const) {
      const schedule = at(`module.${call}.aws_scheduler_schedule.this`);
      expect(schedule?.attributes.target).toMatchObject([
        {
          arn: target,
          dead_letter_config: [{ arn: queue }],
          retry_policy: [{ maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 }],
        },
      ]);
      expect(at(`module.${call}.aws_sqs_queue.dead_letter[0]`)?.attributes).toMatchObject({
        sqs_managed_sse_enabled: true,
        message_retention_seconds: 1209600,
      });
    }
  });

  it('passes the dead-letter and queue rules in both profiles', async () => {
    for (const profile of ['baseline', 'strict'] as const) {
      const result = await scan({ ...examples, profile, onlyRules });
      expect(result.rules.map((r) => r.id)).toEqual(onlyRules);
      expect(result.findings).toEqual([]);
    }
  });
});
