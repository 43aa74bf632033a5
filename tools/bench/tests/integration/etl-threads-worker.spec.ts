/**
 * The worker-threads bench's child process on a tiny generated object (2,000 rows): one and two
 * worker threads each transform every copy they are given, under the Transform Lambda's heap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildThreadsReport } from '../../src/etl';
import { measureThreads } from '../../src/etl-measure';

describe('etl worker-threads bench worker', () => {
  it('shares the copies of one object among one or two threads and counts every row', async () => {
    // Prepare
    const workDir = mkdtempSync(join(tmpdir(), 'etl-threads-'));
    try {
      // Act
      const one = await measureThreads(2_000, 1, 3, { workDir });
      const two = await measureThreads(2_000, 2, 3, { workDir });

      // Assess
      expect(one).toMatchObject({ threads: 1, objects: 3, rows: 6_000 });
      expect(two).toMatchObject({ threads: 2, objects: 3, rows: 6_000 });
      const report = buildThreadsReport(2_000, [one, two]);
      expect(report.speedup).toBeCloseTo(two.rowsPerSecond / one.rowsPerSecond, 10);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
