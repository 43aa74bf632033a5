import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ExecutionNotFoundError,
  main,
  parseArgs,
  UsageError,
  type DeadLetterMessage,
  type ExecutionDescription,
  type RecoveryBackend,
  type ResendResult,
} from '../../src';

const RECORD = readFileSync(join(__dirname, '../fixtures/records/ses-down.json'), 'utf8');
const QUEUE = 'slipway-dev-jobs-welcome-email-dlq';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:slipway-dev-etl:etl-2026-03-03';

/** A backend in memory: one queue with `messages`, one execution with `status`. */
function memoryBackend(
  messages: DeadLetterMessage[],
  resend: ResendResult = { ok: true },
  status = 'FAILED',
): RecoveryBackend & { deleted: string[]; started: string[] } {
  let handedOut = false;
  const deleted: string[] = [];
  const started: string[] = [];
  return {
    where: 'memory',
    deleted,
    started,
    resolveQueue: async (q) => `memory://${q.name}`,
    receive: async () => (handedOut ? [] : ((handedOut = true), messages)),
    resend: async () => resend,
    delete: async (_q, m) => void deleted.push(m.messageId),
    release: async () => undefined,
    describeExecution: async (arn): Promise<ExecutionDescription> => {
      if (arn !== EXECUTION) throw new ExecutionNotFoundError(arn, 'memory');
      return {
        executionArn: arn,
        stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-dev-etl',
        name: 'etl-2026-03-03',
        status,
        input: '{"date":"2026-03-03"}',
      };
    },
    startExecution: async (machine, name) => {
      started.push(name);
      return {
        executionArn: `${machine.replace(':stateMachine:', ':execution:')}:${name}`,
        startDate: new Date(),
      };
    },
  };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { write: (s: string) => void out.push(s), error: (s: string) => void err.push(s) },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('parseArgs', () => {
  it.each([
    [
      ['redrive', '--queue', QUEUE],
      { command: 'redrive', options: { queue: QUEUE, dryRun: false } },
    ],
    [
      ['redrive', `--queue=${QUEUE}`, '--dry-run', '--limit', '25', '--region', 'eu-west-1'],
      {
        command: 'redrive',
        options: { queue: QUEUE, dryRun: true, limit: 25 },
        region: 'eu-west-1',
      },
    ],
    [
      ['redrive', '--queue', `https://sqs.eu-central-1.amazonaws.com/123456789012/${QUEUE}`],
      {
        command: 'redrive',
        options: {
          queue: `https://sqs.eu-central-1.amazonaws.com/123456789012/${QUEUE}`,
          dryRun: false,
        },
        region: 'eu-central-1',
      },
    ],
    [
      ['rerun', '--execution', EXECUTION, '--force'],
      { command: 'rerun', options: { execution: EXECUTION, force: true }, region: 'eu-west-1' },
    ],
    [[], 'help'],
    [['rerun', '--help'], 'help'],
  ])('reads %j', (argv, args) => {
    // Act
    const read = parseArgs(argv);

    // Assess
    expect(read).toEqual(args);
  });

  it.each([
    [
      ['redeliver'],
      'unknown command "redeliver": give redrive, rerun or stack (slipway --help lists them)',
    ],
    [['redrive'], 'redrive needs --queue <function>-dlq (a name or a queue URL)'],
    [['redrive', '--queue'], '--queue needs a value'],
    [['redrive', '--queue', QUEUE, '--limit', '0'], '--limit "0" is not a positive integer'],
    [['redrive', '--queue', QUEUE, '--limit', 'ten'], '--limit "ten" is not a positive integer'],
    [['redrive', '--queue', QUEUE, '--limit', '-1'], '--limit "-1" is not a positive integer'],
    [
      ['redrive', '--queue', QUEUE, '--force'],
      'unknown argument "--force" for redrive: it takes --queue, --limit, --region, --dry-run',
    ],
    [['redrive', '--queue', 'slipway-dev-jobs-welcome-email'], 'the name must end with -dlq'],
    [
      ['redrive', '--queue', QUEUE, '--region', 'Ireland'],
      '--region "Ireland" is not an AWS region code',
    ],
    [
      [
        'redrive',
        '--queue',
        `https://sqs.eu-central-1.amazonaws.com/123456789012/${QUEUE}`,
        '--region',
        'eu-west-1',
      ],
      "--region eu-west-1 contradicts the queue URL's region eu-central-1",
    ],
    [['rerun'], 'rerun needs --execution <arn>'],
    [['rerun', '--execution', 'etl-2026-03-03'], 'is not a Step Functions execution ARN'],
    [
      ['rerun', '--execution', EXECUTION, '--region', 'us-east-1'],
      "--region us-east-1 contradicts the execution ARN's region eu-west-1",
    ],
    [
      ['rerun', '--execution', EXECUTION, '--dry-run'],
      'unknown argument "--dry-run" for rerun: it takes --execution, --region, --force',
    ],
  ])('refuses %j', (argv, text) => {
    // Act
    const act = () => parseArgs(argv);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(text);
  });
});

describe('main', () => {
  it('exits 2 with the problem and the usage on a bad flag', async () => {
    // Prepare
    const { io, err, out } = capture();

    // Act
    const code = await main(['redrive', '--queue', QUEUE, '--limit', 'x'], io, () =>
      memoryBackend([]),
    );

    // Assess
    expect(code).toBe(2);
    expect(err()).toContain('slipway: --limit "x" is not a positive integer');
    expect(err()).toContain('Usage: slipway <command> [flags]');
    expect(out()).toBe('');
  });

  it('prints the table and exits 0 when every message was redriven, asking for the flag’s region', async () => {
    // Prepare
    const { io, out } = capture();
    const backend = memoryBackend([{ messageId: 'm-1', receipt: 'r-1', body: RECORD }]);
    const regions: (string | undefined)[] = [];

    // Act
    const code = await main(['redrive', '--queue', QUEUE, '--region', 'eu-west-1'], io, (r) => {
      regions.push(r);
      return backend;
    });

    // Assess
    expect(code).toBe(0);
    expect(regions).toEqual(['eu-west-1']);
    expect(backend.deleted).toEqual(['m-1']);
    expect(out()).toBe(
      [
        'MESSAGE ID  FUNCTION                        REQUEST ID                            OUTCOME',
        'm-1         slipway-dev-jobs-welcome-email  6d0f0c1e-2b7a-4a55-9d3e-0a4c1f5b7e21  redriven',
        `1 redriven, 0 kept (memory://${QUEUE})`,
        '',
      ].join('\n'),
    );
  });

  it('prints the table, then exits 1 saying how many were kept', async () => {
    // Prepare
    const { io, out, err } = capture();
    const backend = memoryBackend([{ messageId: 'm-1', receipt: 'r-1', body: RECORD }], {
      ok: false,
      reason: 'TooManyRequestsException: Rate exceeded',
    });

    // Act
    const code = await main(['redrive', '--queue', QUEUE], io, () => backend);

    // Assess
    expect(code).toBe(1);
    expect(out()).toContain('kept: re-send failed: TooManyRequestsException: Rate exceeded\n');
    expect(err()).toBe(
      `slipway redrive: 1 of 1 messages kept in memory://${QUEUE}: fix what each row names, then run the redrive again.\n`,
    );
    expect(backend.deleted).toEqual([]);
  });

  it('prints only the new ARN on stdout for a rerun', async () => {
    // Prepare
    const { io, out, err } = capture();
    const backend = memoryBackend([]);

    // Act
    const code = await main(['rerun', '--execution', EXECUTION], io, () => backend);

    // Assess
    expect(code).toBe(0);
    expect(out()).toMatch(
      /^arn:aws:states:eu-west-1:123456789012:execution:slipway-dev-etl:etl-2026-03-03-rerun-\d{8}T\d{6}Z\n$/,
    );
    expect(err()).toContain(`with the input of ${EXECUTION} (FAILED)`);
  });

  it('exits 1 with one line for a refused rerun', async () => {
    // Prepare
    const { io, err } = capture();

    // Act
    const code = await main(['rerun', '--execution', EXECUTION], io, () =>
      memoryBackend([], { ok: true }, 'SUCCEEDED'),
    );

    // Assess
    expect(code).toBe(1);
    expect(err()).toBe(
      `slipway rerun: ${EXECUTION} is SUCCEEDED: only a FAILED, TIMED_OUT or ABORTED execution is re-run. Pass --force to start a new execution with its input anyway.\n`,
    );
  });
});
