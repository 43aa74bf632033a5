import { LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AwsRecoveryBackend,
  ExecutionInputUnavailableError,
  ExecutionNotFoundError,
  ExecutionNotRerunnableError,
  rerun,
  StartExecutionError,
} from '../../src';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-dev-etl';
const FAILED = 'arn:aws:states:eu-west-1:123456789012:execution:slipway-dev-etl:etl-2026-03-03';
const INPUT = '{"date":"2026-03-03","asOf":"2026-03-04T02:00:00.000Z"}';
const NOW = () => new Date('2026-12-03T06:15:09.421Z');
const NEW_NAME = 'etl-2026-03-03-rerun-20261203T061509Z';
const NEW_ARN = `arn:aws:states:eu-west-1:123456789012:execution:slipway-dev-etl:${NEW_NAME}`;

const sfn = mockClient(SFNClient);
let backend: AwsRecoveryBackend;

beforeEach(() => {
  sfn.reset();
  backend = new AwsRecoveryBackend({
    region: 'eu-west-1',
    sqs: new SQSClient({ region: 'eu-west-1' }),
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    sfn: new SFNClient({ region: 'eu-west-1' }),
  });
  sfn.on(StartExecutionCommand).resolves({
    executionArn: NEW_ARN,
    startDate: new Date('2026-12-03T06:15:10.000Z'),
  });
});

/** DescribeExecution answers the failed execution with `status` (and the input unless told). */
function described(status: string, change: Partial<DescribeExecutionCommandOutput> = {}): void {
  sfn.on(DescribeExecutionCommand, { executionArn: FAILED }).resolves({
    executionArn: FAILED,
    stateMachineArn: MACHINE,
    name: 'etl-2026-03-03',
    status: status as never,
    startDate: new Date('2026-03-04T02:00:00Z'),
    input: INPUT,
    inputDetails: { included: true },
    ...change,
  });
}
const started = () => sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);

describe('rerun on AWS (Step Functions)', () => {
  it.each(['FAILED', 'TIMED_OUT', 'ABORTED'])(
    'starts a new execution of the same state machine with the %s one’s input',
    async (status) => {
      // Prepare
      described(status);

      // Act
      const result = await rerun(backend, { execution: FAILED, now: NOW });

      // Assess
      expect(started()).toEqual([{ stateMachineArn: MACHINE, name: NEW_NAME, input: INPUT }]);
      expect(result).toEqual({
        from: { executionArn: FAILED, status },
        stateMachineArn: MACHINE,
        executionArn: NEW_ARN,
        name: NEW_NAME,
        input: INPUT,
        startDate: new Date('2026-12-03T06:15:10.000Z'),
      });
    },
  );

  it.each(['RUNNING', 'SUCCEEDED'])('refuses a %s execution without --force', async (status) => {
    // Prepare
    described(status);

    // Act
    const act = rerun(backend, { execution: FAILED, now: NOW });

    // Assess
    await expect(act).rejects.toThrow(ExecutionNotRerunnableError);
    await expect(act).rejects.toThrow(
      `${FAILED} is ${status}: only a FAILED, TIMED_OUT or ABORTED execution is re-run. Pass --force to start a new execution with its input anyway.`,
    );
    expect(started()).toEqual([]);
  });

  it.each(['RUNNING', 'SUCCEEDED'])('re-runs a %s execution with --force', async (status) => {
    // Prepare
    described(status);

    // Act
    const result = await rerun(backend, { execution: FAILED, force: true, now: NOW });

    // Assess
    expect(result.from).toEqual({ executionArn: FAILED, status });
    expect(started()).toEqual([{ stateMachineArn: MACHINE, name: NEW_NAME, input: INPUT }]);
  });

  it('names a rerun of a rerun after the first execution, not after both suffixes', async () => {
    // Prepare
    described('FAILED', { name: 'etl-2026-03-03-rerun-20261202T010000Z' });

    // Act
    const result = await rerun(backend, { execution: FAILED, now: NOW });

    // Assess
    expect(result.name).toBe(NEW_NAME);
  });

  it('says the execution does not exist, naming the region', async () => {
    // Prepare
    sfn
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));

    // Act
    const act = rerun(backend, { execution: FAILED, now: NOW });

    // Assess
    await expect(act).rejects.toThrow(ExecutionNotFoundError);
    await expect(act).rejects.toThrow(
      `no execution ${FAILED} in eu-west-1: copy the ARN from the Step Functions console or the alarm, and check --region.`,
    );
  });

  it('says so when Step Functions did not include the input', async () => {
    // Prepare
    described('FAILED', { input: undefined, inputDetails: { included: false } });

    // Act
    const act = rerun(backend, { execution: FAILED, now: NOW });

    // Assess
    await expect(act).rejects.toThrow(ExecutionInputUnavailableError);
    expect(started()).toEqual([]);
  });

  it('reports a refused StartExecution with its reason', async () => {
    // Prepare
    described('FAILED');
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

    // Act
    const act = rerun(backend, { execution: FAILED, now: NOW });

    // Assess
    await expect(act).rejects.toThrow(StartExecutionError);
    await expect(act).rejects.toThrow(
      `StartExecution of ${NEW_NAME} on ${MACHINE} failed: ExecutionAlreadyExists: Execution Already Exists`,
    );
  });
});
