import type { TransformOutput } from '@slipway/events';
import { reconcile, ReconciliationError } from '../../src';

const ok: TransformOutput = {
  key: 'raw/lms/dt=2026-03-01/a.ndjson',
  counts: { input: 10, valid: 7, rejected: 2, duplicates: 1 },
};
const broken: TransformOutput = {
  key: 'raw/lms/dt=2026-03-01/b.csv',
  counts: { input: 12, valid: 8, rejected: 2, duplicates: 1 },
};
const failed: TransformOutput = {
  key: 'raw/lms/dt=2026-03-01/c.ndjson.gz',
  counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
  objectError: { code: 'TRUNCATED_GZIP', message: 'cut short' },
};

describe('reconcile', () => {
  it('sums the day when every object balances', () => {
    // Act
    const result = reconcile([ok, failed], {
      date: '2026-03-01',
      aggregate: { stagingFiles: 1, stagingRows: 7, events: 6, crossObjectDuplicates: 1 },
    });

    // Assess
    expect(result).toEqual({
      date: '2026-03-01',
      balanced: true,
      counts: {
        objects: 2,
        objectErrors: 1,
        input: 10,
        valid: 7,
        rejected: 2,
        duplicates: 1,
        crossObjectDuplicates: 1,
        events: 6,
      },
      objectErrors: [{ key: failed.key, code: 'TRUNCATED_GZIP' }],
    });
  });

  it('names the object and its numbers when input ≠ valid + rejected + duplicates', () => {
    // Act
    let error: unknown;
    try {
      reconcile([ok, broken]);
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(ReconciliationError);
    expect((error as Error).message).toContain(
      'raw/lms/dt=2026-03-01/b.csv: input 12 ≠ valid 8 + rejected 2 + duplicates 1 = 11 (1 row(s) unaccounted for)',
    );
    expect((error as Error).message).not.toContain('a.ndjson');
    expect((error as ReconciliationError).mismatches).toEqual([
      { key: broken.key, ...broken.counts },
    ]);
  });

  it('fails when the Map results hold fewer outputs than ListPartitions listed objects', () => {
    // Act + Assess: three objects listed, two outputs (every count balances).
    expect(() => reconcile([ok, failed], { date: '2026-03-01', objects: 3 })).toThrow(
      new ReconciliationError(
        "Reconciliation failed for 2026-03-01: ListPartitions listed 3 objects but the Map's results hold 2 Transform outputs. Rows were lost or counted twice between Transform and Reconcile: do not publish this run; rerun the day and, if it persists, compare each listed object with its staging and quarantine files.",
        [],
      ),
    );
    expect(reconcile([ok, failed], { objects: 2 }).counts.objects).toBe(2);
  });

  it('fails when Aggregate read other rows than Transform wrote', () => {
    expect(() =>
      reconcile([ok], {
        aggregate: { stagingFiles: 1, stagingRows: 6, events: 6, crossObjectDuplicates: 0 },
      }),
    ).toThrow(/have 7 valid rows but Aggregate read 6 staging rows/);
  });
});
