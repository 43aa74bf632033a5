import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ratio } from './stats';

const run = promisify(execFile);

/** The generated day's partition date and seed (the same day for the flow and its baseline). */
export const ETL_DAY_DATE = '2026-03-12';
export const ETL_DAY_SEED = 17;

/** What `etl-day-worker.ts flow` prints: the day through the sandbox, reconciled exactly. */
export interface EtlDayFlowResult {
  objects: number;
  rows: number;
  /** Child executions of the Distributed Map (batches). */
  batches: number;
  /** Putting the day's objects into the sandbox's S3 (16 at a time), before the flow starts. */
  uploadSeconds: number;
  /** StartExecution until the execution ended (ListPartitions … Reconcile). */
  flowSeconds: number;
  /** Peak RSS of the sandbox process (interpreter, S3 server, Map runner). */
  peakRssBytes: number;
  /** The largest peak RSS of the Lambda execution environments (Linux only). */
  lambdaPeakRssBytes?: number;
  /** The largest input or output of any state in the execution's history (bytes of JSON). */
  largestStatePayloadBytes: number;
  /** Reconcile's totals, equal to the generator's (the worker fails otherwise). */
  reconciled: Record<string, number>;
}

/** What `etl-day-worker.ts baseline` prints: `transformObject` on every object, one process. */
export interface EtlDayBaselineResult {
  objects: number;
  rows: number;
  seconds: number;
  peakRssBytes: number;
}

/** The ETL-day section of the report. */
export interface EtlDayReport {
  flow: EtlDayFlowResult;
  baseline: EtlDayBaselineResult;
  /** Flow wall time ÷ baseline: what S3, Step Functions and batching add around Transform. */
  flowRatio: number;
  objectsPerSecond: number;
}

/**
 * The report section from one flow run and its baseline. Pure.
 *
 * @throws {Error} when the two did not process the same day (a ratio would mean nothing).
 */
export function buildEtlDayReport(
  flow: EtlDayFlowResult,
  baseline: EtlDayBaselineResult,
): EtlDayReport {
  if (flow.objects !== baseline.objects || flow.rows !== baseline.rows)
    throw new Error(
      `The ETL-day flow and its baseline processed different days (flow ${flow.objects} objects / ${flow.rows} rows, baseline ${baseline.objects} / ${baseline.rows}): rerun the bench.`,
    );
  return {
    flow,
    baseline,
    flowRatio: ratio(flow.flowSeconds, baseline.seconds),
    objectsPerSecond: flow.objects / flow.flowSeconds,
  };
}

/**
 * Runs the day of `objects` small objects through the sandbox, then its baseline, each in its
 * own child process (tsx, so the workspace sources resolve; each peak RSS is its own).
 *
 * @example
 * const day = await measureEtlDay(root, 10_000); // ≈ 5 min on 2 cores
 */
export async function measureEtlDay(root: string, objects: number): Promise<EtlDayReport> {
  const worker = async <T>(mode: 'flow' | 'baseline'): Promise<T> => {
    const { NODE_OPTIONS: _shell, ...env } = process.env;
    const { stdout } = await run(
      join(root, 'node_modules/.bin/tsx'),
      [join(__dirname, 'etl-day-worker.ts'), mode, root, String(objects)],
      { cwd: root, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024, env },
    );
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as T;
  };
  const flow = await worker<EtlDayFlowResult>('flow');
  const baseline = await worker<EtlDayBaselineResult>('baseline');
  return buildEtlDayReport(flow, baseline);
}
