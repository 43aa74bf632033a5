import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox, type ExecutionRecord, type Sandbox } from '@slipway/sandbox';
import {
  ExecutionNotFoundError,
  ExecutionNotRerunnableError,
  rerun,
  SandboxRecoveryBackend,
} from '../../src';

// rerun on the real sandbox: the ETL flow's real ASL in the Step Functions interpreter with the
// packaged etl-* Lambdas; Aggregate fails on purpose (a fault the sandbox injects, as its own
// ETL spec does), so the execution ends FAILED through AnnounceFailure. Once the fault is gone,
// the rerun gets the same input and succeeds. One sandbox for the file; the cases run in order.

const root = resolve(__dirname, '../../../..');
const MACHINE = 'arn:aws:states:eu-west-1:000000000000:stateMachine:slipway-local-etl';
const EXECUTION = 'arn:aws:states:eu-west-1:000000000000:execution:slipway-local-etl';
/** A day with no objects: the flow runs every state on empty partitions, in seconds. */
const INPUT = { date: '2026-02-27', asOf: '2026-02-28T02:00:00.000Z' };
const FIRST_RERUN = 'etl-2026-02-27-rerun-20261203T061509Z';

let failing = true;
let workDir: string;
let sandbox: Sandbox;
let backend: SandboxRecoveryBackend;
let failed: ExecutionRecord;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'recovery-rerun-'));
  sandbox = await startSandbox({
    root,
    workDir,
    faults: (state) =>
      failing && state === 'Aggregate'
        ? { name: 'Lambda.ServiceException', message: 'Service unavailable' }
        : undefined,
  });
  backend = new SandboxRecoveryBackend(sandbox, { root });
  failed = await backend.run('etl', INPUT, 'etl-2026-02-27').record;
  failing = false;
});
afterAll(async () => {
  await sandbox?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('rerun on the sandbox', () => {
  it('starts from a FAILED execution (EtlFailed)', () => {
    expect([failed.executionArn, failed.status, failed.error?.error]).toEqual([
      `${EXECUTION}:etl-2026-02-27`,
      'FAILED',
      'EtlFailed',
    ]);
  });

  it('re-runs the failed execution with its input under a new name; the new one succeeds', async () => {
    // Act
    const result = await rerun(backend, {
      execution: `${EXECUTION}:etl-2026-02-27`,
      now: () => new Date('2026-12-03T06:15:09.421Z'),
    });
    const record = await backend.settled(result.executionArn);

    // Assess
    expect(result).toEqual({
      from: { executionArn: `${EXECUTION}:etl-2026-02-27`, status: 'FAILED' },
      stateMachineArn: MACHINE,
      executionArn: `${EXECUTION}:${FIRST_RERUN}`,
      name: FIRST_RERUN,
      input: JSON.stringify(INPUT),
      startDate: expect.any(Date),
    });
    expect([record.executionArn, record.status, record.error]).toEqual([
      `${EXECUTION}:${FIRST_RERUN}`,
      'SUCCEEDED',
      undefined,
    ]);
    // The new execution was started with the failed one's input, and ran the whole flow on it.
    expect(await backend.describeExecution(result.executionArn)).toEqual({
      executionArn: `${EXECUTION}:${FIRST_RERUN}`,
      stateMachineArn: MACHINE,
      name: FIRST_RERUN,
      status: 'SUCCEEDED',
      input: JSON.stringify(INPUT),
    });
    expect(
      (record.output as { reconciled: { result: { completed: { counts: { objects: number } } } } })
        .reconciled.result.completed.counts.objects,
    ).toBe(0);
  });

  it('refuses to re-run the SUCCEEDED rerun without --force, and does with it', async () => {
    // Prepare
    const succeeded = `${EXECUTION}:${FIRST_RERUN}`;

    // Act
    const refused = rerun(backend, { execution: succeeded });
    const forced = await rerun(backend, {
      execution: succeeded,
      force: true,
      now: () => new Date('2026-12-03T06:20:00.000Z'),
    });

    // Assess
    await expect(refused).rejects.toThrow(ExecutionNotRerunnableError);
    await expect(refused).rejects.toThrow(`${succeeded} is SUCCEEDED`);
    expect(forced.name).toBe('etl-2026-02-27-rerun-20261203T062000Z');
    expect((await backend.settled(forced.executionArn)).status).toBe('SUCCEEDED');
  });

  it('says an execution the sandbox never ran does not exist', async () => {
    // Act
    const act = rerun(backend, { execution: `${EXECUTION}:etl-1999-01-01` });

    // Assess
    await expect(act).rejects.toThrow(ExecutionNotFoundError);
    await expect(act).rejects.toThrow(`no execution ${EXECUTION}:etl-1999-01-01 in the sandbox`);
  });
});
