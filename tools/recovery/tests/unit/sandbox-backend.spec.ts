import { resolve } from 'node:path';
import type { ExecutionRecord, Sandbox } from '@slipway/sandbox';
import {
  ExecutionNotFoundError,
  rerun,
  SandboxRecoveryBackend,
  StartExecutionError,
} from '../../src';

// The sandbox backend's bookkeeping on a stand-in of the running sandbox (the fields it reads);
// the real sandbox runs in tests/integration.

const root = resolve(__dirname, '../../../..');
const MEDIA = 'arn:aws:states:eu-west-1:000000000000:execution:slipway-local-media';
const NOW = () => new Date('2026-12-03T06:15:09.000Z');

const record = (name: string, status: ExecutionRecord['status']): ExecutionRecord => ({
  name,
  executionArn: `${MEDIA}:${name}`,
  status,
  durationMs: 1,
  path: [],
  mapRuns: [],
  history: [],
});

/** A sandbox whose media flow records what it was asked to run (and ends it SUCCEEDED). */
function standIn(executions: Sandbox['executions']) {
  const runs: { input: unknown; name?: string }[] = [];
  const flow = {
    run: async (input: unknown, name?: string) => {
      runs.push({ input, name });
      return record(name ?? 'unnamed', 'SUCCEEDED');
    },
  };
  const sandbox = {
    lambdas: new Map(),
    deadLetters: [],
    asyncInvocations: [],
    executions,
    mediaFlow: flow,
    etlFlow: flow,
  } as unknown as Sandbox;
  return { sandbox, runs };
}

describe('SandboxRecoveryBackend', () => {
  it('finds an ended S3-started media execution by its ARN and re-runs it on the media flow', async () => {
    // Prepare
    const input = { object: { bucket: 'slipway-local-media', key: 'uploads/2026/12/a.jpg' } };
    const { sandbox, runs } = standIn([
      { input, record: Promise.resolve(record('exec-1', 'FAILED')) },
    ]);
    const backend = new SandboxRecoveryBackend(sandbox, { root });

    // Act
    const described = await backend.describeExecution(`${MEDIA}:exec-1`);
    const started = await rerun(backend, { execution: `${MEDIA}:exec-1`, now: NOW });

    // Assess
    expect(described).toEqual({
      executionArn: `${MEDIA}:exec-1`,
      stateMachineArn: 'arn:aws:states:eu-west-1:000000000000:stateMachine:slipway-local-media',
      name: 'exec-1',
      status: 'FAILED',
      input: JSON.stringify(input),
    });
    expect(started.executionArn).toBe(`${MEDIA}:exec-1-rerun-20261203T061509Z`);
    expect(runs).toEqual([{ input, name: 'exec-1-rerun-20261203T061509Z' }]);
    expect((await backend.settled(started.executionArn)).status).toBe('SUCCEEDED');
  });

  it('does not know an execution that is still running (its name is not known yet)', async () => {
    // Prepare
    const { sandbox } = standIn([{ input: {}, record: new Promise(() => undefined) }]);
    const backend = new SandboxRecoveryBackend(sandbox, { root });

    // Act
    const act = backend.describeExecution(`${MEDIA}:exec-2`);

    // Assess
    await expect(act).rejects.toThrow(ExecutionNotFoundError);
  });

  it('refuses to start a state machine the sandbox does not run, or a name already taken', async () => {
    // Prepare
    const { sandbox } = standIn([]);
    const backend = new SandboxRecoveryBackend(sandbox, { root });
    backend.run('etl', { date: '2026-03-03' }, 'taken');

    // Act
    const unknown = backend.startExecution(
      'arn:aws:states:eu-west-1:000000000000:stateMachine:slipway-local-billing',
      'x',
      '{}',
    );
    const taken = backend.startExecution(backend.stateMachineArn('etl'), 'taken', '{}');

    // Assess
    await expect(unknown).rejects.toThrow(StartExecutionError);
    await expect(unknown).rejects.toThrow('StateMachineDoesNotExist');
    await expect(taken).rejects.toThrow(
      'StartExecution of taken on arn:aws:states:eu-west-1:000000000000:stateMachine:slipway-local-etl failed: ExecutionAlreadyExists: an execution of that name exists',
    );
  });

  it('keeps a record whose function the sandbox does not run, naming the ones it does', async () => {
    // Prepare
    const { sandbox } = standIn([]);
    sandbox.lambdas.set('slipway-local-jobs-welcome-email', {} as never);
    const backend = new SandboxRecoveryBackend(sandbox, { root });

    // Act
    const sent = await backend.resend(
      'arn:aws:lambda:eu-west-1:000000000000:function:slipway-local-gone:$LATEST',
      {},
    );

    // Assess
    expect(sent).toEqual({
      ok: false,
      reason:
        'ResourceNotFoundException: Function not found: arn:aws:lambda:eu-west-1:000000000000:function:slipway-local-gone:$LATEST (the sandbox runs slipway-local-jobs-welcome-email)',
    });
  });
});
