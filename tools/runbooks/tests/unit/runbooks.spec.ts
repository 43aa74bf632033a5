import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  alarmKind,
  domainModel,
  generateRunbooks,
  parseArgs,
  PlanReadError,
  periodWords,
  readPlans,
  runCli,
  StaleRunbooksError,
  UnreadableAlarmError,
  UsageError,
  whatFired,
  type MetricAlarm,
} from '../../src';

const FIXTURES = join(__dirname, '../fixtures');
const PLANS = join(FIXTURES, 'plans');
const EXPECTED = readFileSync(join(FIXTURES, 'expected/demo.md'), 'utf8');

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-spec-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('generateRunbooks', () => {
  it('writes one runbook per stack with alarms, exactly the expected Markdown', () => {
    const files = generateRunbooks(PLANS);

    // platform-dev has no alarm, summary.json is no stack.
    expect([...files.keys()]).toEqual(['demo.md']);
    expect(files.get('demo.md')).toBe(EXPECTED);
  });

  it('gives every alarm of the plan its section, headed by its name, and every section an alarm', () => {
    const model = domainModel(readPlans(PLANS).find((p) => p.stack === 'demo-dev')!);
    const headings = [...EXPECTED.matchAll(/^## (.+)$/gm)].map((m) => m[1]);

    expect(headings).toEqual(['slipway-dev-demo-health', ...model.alarms.map((a) => a.name)]);
    expect(model.alarms.map((a) => [a.name, a.linksRunbook])).toEqual(
      [
        'slipway-dev-demo-executions-failed',
        'slipway-dev-demo-greet-1-dlq-depth',
        'slipway-dev-demo-greet-dlq-messages',
        'slipway-dev-demo-greet-errors',
        'slipway-dev-demo-greet-skipped-ratio',
        'slipway-dev-demo-items-system-errors',
      ].map((name) => [name, `docs/runbooks/demo.md#${name}`]),
    );
  });

  it('reads the domain, environment, dashboard, queries and X-Ray groups of the stack', () => {
    const {
      alarms: _alarms,
      composites,
      ...model
    } = domainModel(readPlans(PLANS).find((p) => p.stack === 'demo-dev')!);

    expect(model).toEqual({
      domain: 'demo',
      environment: 'dev',
      stack: 'demo-dev',
      dashboard: 'slipway-dev-demo',
      queries: {
        'cold-starts': 'slipway-dev-demo/cold-starts',
        'errors-by-correlation-id': 'slipway-dev-demo/errors-by-correlation-id',
        'execution-logs': 'slipway-dev-demo/execution-logs',
        'slowest-invocations': 'slipway-dev-demo/slowest-invocations',
      },
      xrayGroups: [
        {
          name: 'slipway-dev-demo',
          filter: 'service(id(name: "slipway-dev-demo", type: "AWS::StepFunctions::StateMachine"))',
        },
      ],
    });
    expect(composites.map((c) => [c.name, c.linksRunbook, c.actions])).toEqual([
      [
        'slipway-dev-demo-health',
        'docs/runbooks/demo.md#slipway-dev-demo-health',
        ['arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms'],
      ],
    ]);
  });
});

const alarm = (over: Partial<MetricAlarm>): MetricAlarm => ({
  name: 'a',
  advice: 'x',
  linksRunbook: undefined,
  metrics: [
    {
      namespace: 'AWS/Lambda',
      name: 'Errors',
      dimensions: { FunctionName: 'f' },
      stat: 'Sum',
      periodSeconds: 300,
    },
  ],
  threshold: 1,
  comparison: 'GreaterThanOrEqualToThreshold',
  evaluationPeriods: 1,
  resource: { kind: 'function', name: 'f' },
  actions: [],
  ...over,
});
const metric = (namespace: string, name: string) => [
  { namespace, name, dimensions: { X: 'y' }, stat: 'Sum', periodSeconds: 300 },
];

describe('alarmKind', () => {
  it.each([
    ['errors', alarm({})],
    ['throttles', alarm({ metrics: metric('AWS/Lambda', 'Throttles') })],
    ['duration', alarm({ metrics: metric('AWS/Lambda', 'Duration') })],
    ['function-dlq', alarm({ metrics: metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible') })],
    [
      'rule-dlq',
      alarm({
        metrics: metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible'),
        resource: { kind: 'rule', name: 'r' },
      }),
    ],
    [
      'schedule-dlq',
      alarm({
        metrics: metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible'),
        resource: { kind: 'schedule', name: 's' },
      }),
    ],
    ['executions-failed', alarm({ metrics: metric('AWS/States', 'ExecutionsFailed') })],
    ['executions-timed-out', alarm({ metrics: metric('AWS/States', 'ExecutionsTimedOut') })],
    ['executions-throttled', alarm({ metrics: metric('AWS/States', 'ExecutionThrottled') })],
    ['rule-failed-invocations', alarm({ metrics: metric('AWS/Events', 'FailedInvocations') })],
    [
      'dead-letter-delivery',
      alarm({ metrics: metric('AWS/Events', 'InvocationsFailedToBeSentToDlq') }),
    ],
    ['table-throttles', alarm({ metrics: metric('AWS/DynamoDB', 'WriteThrottleEvents') })],
    ['table-errors', alarm({ metrics: [], expression: 'SELECT SUM(SystemErrors) FROM x' })],
    ['api-5xx', alarm({ metrics: metric('AWS/AppSync', '5XXError') })],
    ['api-4xx', alarm({ metrics: metric('AWS/ApiGateway', '4XXError') })],
    ['api-latency', alarm({ metrics: metric('AWS/AppSync', 'Latency') })],
    [
      'ratio',
      alarm({
        metrics: [...metric('Slipway/etl', 'RowsRejected'), ...metric('Slipway/etl', 'RowsInput')],
        expression: 'IF(input > 0, part / input, 0)',
      }),
    ],
    ['metric', alarm({ metrics: metric('Slipway/media', 'UploadRejected') })],
  ])('%s', (kind, given) => {
    expect(alarmKind(given)).toBe(kind);
  });
});

describe('what fired, in words', () => {
  it.each([
    [60, '1 minute'],
    [300, '5 minutes'],
    [3600, '1 hour'],
    [86400, '1 day'],
    [172800, '2 days'],
    [90, '90 seconds'],
  ])('%i s is %s', (seconds, words) => {
    expect(periodWords(seconds)).toBe(words);
  });

  it('names a ratio alarm by its expression, its metrics and their statistic', () => {
    expect(
      whatFired(
        alarm({
          metrics: [
            {
              namespace: 'Slipway/etl',
              name: 'RowsRejected',
              dimensions: { service: 'etl-transform' },
              stat: 'Sum',
              periodSeconds: 86400,
            },
          ],
          expression: 'part / 1',
          comparison: 'GreaterThanThreshold',
          threshold: 0.05,
        }),
      ),
    ).toBe(
      '`part / 1` of `Slipway/etl` `RowsRejected` (service = `etl-transform`) (Sum), > 0.05 in one period of 1 day.',
    );
  });

  it('names a p99 alarm with its dimensions', () => {
    expect(
      whatFired(
        alarm({
          metrics: [
            {
              namespace: 'AWS/Lambda',
              name: 'Duration',
              dimensions: { FunctionName: 'f' },
              stat: 'p99',
              periodSeconds: 300,
            },
          ],
          comparison: 'GreaterThanThreshold',
          threshold: 2400,
          evaluationPeriods: 3,
        }),
      ),
    ).toBe(
      '`AWS/Lambda` `Duration` (FunctionName = `f`), p99 > 2400 in 3 consecutive periods of 5 minutes.',
    );
  });
});

describe('reading plans', () => {
  it('says how to make the plans when the folder is missing', () => {
    expect(() => readPlans('/nonexistent/plans')).toThrow(
      new PlanReadError(
        '/nonexistent/plans does not exist: plan the stacks first (npx nx run stacks:plan:dev).',
      ),
    );
  });

  it('refuses a file that is not JSON, naming it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'demo-dev.json'), '{ not json');

    expect(() => readPlans(dir)).toThrow(PlanReadError);
    expect(() => readPlans(dir)).toThrow(`${join(dir, 'demo-dev.json')}: not JSON (`);
  });

  it('refuses JSON that is not terraform show -json output', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'demo-dev.json'), JSON.stringify({ resource_changes: [] }));

    expect(() => readPlans(dir)).toThrow(
      `${join(dir, 'demo-dev.json')}: not the output of terraform show -json (no format_version): re-run npx nx run stacks:plan:dev.`,
    );
  });

  it('refuses a stack name without an environment', () => {
    expect(() => domainModel({ stack: 'demo', resources: [] })).toThrow(
      new UnreadableAlarmError(
        'demo.json: the stack name is not <domain>-<env>; runbooks are per domain stack.',
      ),
    );
  });

  it('refuses an alarm with neither a metric nor an expression, naming it', () => {
    const plan = JSON.parse(readFileSync(join(PLANS, 'demo-dev.json'), 'utf8'));
    const broken = plan.resource_changes.find(
      (r: { address: string }) =>
        r.address === 'module.lambda_demo_greet.aws_cloudwatch_metric_alarm.errors',
    );
    broken.change.after.metric_name = null;

    expect(() => domainModel({ stack: 'demo-dev', resources: plan.resource_changes })).toThrow(
      'demo-dev: module.lambda_demo_greet.aws_cloudwatch_metric_alarm.errors (slipway-dev-demo-greet-errors) has neither a metric nor an expression the runbook could describe.',
    );
  });
});

describe('the CLI', () => {
  const root = () => {
    const dir = tempDir();
    cpSync(PLANS, join(dir, 'plans'), { recursive: true });
    return dir;
  };
  const args = ['--plans', 'plans', '--out', 'runbooks'];

  it('writes the runbooks, removes a generated one of a domain that is gone, keeps other files', () => {
    const dir = root();
    runCli(args, dir);
    writeFileSync(join(dir, 'runbooks/gone.md'), '# Runbook: gone\n');
    writeFileSync(join(dir, 'runbooks/README.md'), '# Runbooks\n');

    const printed = runCli(args, dir);

    expect(printed).toEqual(['Wrote runbooks/demo.md.']);
    expect(readFileSync(join(dir, 'runbooks/demo.md'), 'utf8')).toBe(EXPECTED);
    expect([
      existsSync(join(dir, 'runbooks/gone.md')),
      existsSync(join(dir, 'runbooks/README.md')),
    ]).toEqual([false, true]);
  });

  it('--check passes on what it wrote and lists every missing, changed or extra runbook', () => {
    const dir = root();
    runCli(args, dir);
    expect(runCli([...args, '--check'], dir)).toEqual(['1 runbooks in runbooks match plans.']);
    writeFileSync(join(dir, 'runbooks/demo.md'), `${EXPECTED}edited\n`);
    writeFileSync(join(dir, 'runbooks/gone.md'), '# Runbook: gone\n');

    let caught: unknown;
    try {
      runCli([...args, '--check'], dir);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(StaleRunbooksError);
    expect((caught as StaleRunbooksError).files).toEqual([
      'demo.md: differs',
      'gone.md: no such domain in the plans',
    ]);
    expect((caught as Error).message).toBe(
      'runbooks is out of date with plans:\n  - demo.md: differs\n  - gone.md: no such domain in the plans\nRegenerate: npm run runbooks',
    );
    rmSync(join(dir, 'runbooks/demo.md'));
    expect(() => runCli([...args, '--check'], dir)).toThrow('  - demo.md: missing\n');
  });

  it.each([
    [['--plans'], '--plans needs a folder, e.g. --plans dist/terraform/plans/dev.'],
    [['--out', '--check'], '--out needs a folder, e.g. --out docs/runbooks.'],
    [['--force'], 'unknown argument --force.'],
  ])('refuses %j with what to pass instead', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('defaults to the dev plans and docs/runbooks, and answers --help', () => {
    expect(parseArgs([])).toEqual({
      plans: 'dist/terraform/plans/dev',
      out: 'docs/runbooks',
      check: false,
    });
    expect(parseArgs(['-h'])).toBe('help');
  });
});
