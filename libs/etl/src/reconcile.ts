import type { AggregateCounts, EtlCounts, ReconcileOutput, TransformOutput } from '@slipway/events';
import { ReconciliationError, type CountMismatch } from './errors';

/** Optional day-level inputs of {@link reconcile}. */
export interface ReconcileOptions {
  date?: string;
  /** Aggregate's counts: when given, the day's `valid` must equal the staging rows it read. */
  aggregate?: AggregateCounts;
  /**
   * How many objects ListPartitions listed: when given, there must be exactly one output per
   * listed object (the Map's results on S3 account for every object).
   */
  objects?: number;
}

/**
 * Checks that no row went missing: for every object `input = valid + rejected + duplicates`
 * (an object quarantined whole has all zeros), and, when Aggregate's counts are given, that the
 * day's valid rows are exactly the staging rows Aggregate read
 * (`Σ valid = stagingRows = events + crossObjectDuplicates`), and, when the listed object count
 * is given, that every listed object has exactly one output.
 *
 * @returns the day's totals, for the `EtlCompleted` event.
 * @throws {ReconciliationError} listing every object whose numbers do not add up.
 * @example
 * const { counts } = reconcile(transformOutputs, { date, aggregate: aggregateOutput.counts });
 */
export function reconcile(
  outputs: TransformOutput[],
  options: ReconcileOptions = {},
): ReconcileOutput {
  const mismatches: CountMismatch[] = [];
  const counts: EtlCounts = {
    objects: outputs.length,
    objectErrors: 0,
    input: 0,
    valid: 0,
    rejected: 0,
    duplicates: 0,
  };
  const objectErrors: ReconcileOutput['objectErrors'] = [];
  for (const output of outputs) {
    const { input, valid, rejected, duplicates } = output.counts;
    if (input !== valid + rejected + duplicates) {
      mismatches.push({ key: output.key, input, valid, rejected, duplicates });
    }
    if (output.objectError) {
      counts.objectErrors++;
      objectErrors.push({ key: output.key, code: output.objectError.code });
    }
    counts.input += input;
    counts.valid += valid;
    counts.rejected += rejected;
    counts.duplicates += duplicates;
  }
  const problems = mismatches.map((m) => {
    const sum = m.valid + m.rejected + m.duplicates;
    const gap = m.input - sum;
    return `${m.key}: input ${m.input} ≠ valid ${m.valid} + rejected ${m.rejected} + duplicates ${m.duplicates} = ${sum} (${Math.abs(gap)} row(s) ${gap > 0 ? 'unaccounted for' : 'counted twice'})`;
  });
  if (options.objects !== undefined && options.objects !== outputs.length) {
    problems.push(
      `ListPartitions listed ${options.objects} objects but the Map's results hold ${outputs.length} Transform outputs`,
    );
  }
  const aggregate = options.aggregate;
  if (aggregate) {
    if (aggregate.stagingRows !== counts.valid) {
      problems.push(
        `the day's objects have ${counts.valid} valid rows but Aggregate read ${aggregate.stagingRows} staging rows`,
      );
    }
    if (aggregate.stagingRows !== aggregate.events + aggregate.crossObjectDuplicates) {
      problems.push(
        `Aggregate read ${aggregate.stagingRows} staging rows ≠ events ${aggregate.events} + cross-object duplicates ${aggregate.crossObjectDuplicates}`,
      );
    }
    counts.crossObjectDuplicates = aggregate.crossObjectDuplicates;
    counts.events = aggregate.events;
  }
  if (problems.length) {
    throw new ReconciliationError(
      `Reconciliation failed${options.date ? ` for ${options.date}` : ''}: ${problems.join('; ')}. Rows were lost or counted twice between Transform and Reconcile: do not publish this run; rerun the day and, if it persists, compare each listed object with its staging and quarantine files.`,
      mismatches,
    );
  }
  objectErrors.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { ...(options.date ? { date: options.date } : {}), balanced: true, counts, objectErrors };
}
