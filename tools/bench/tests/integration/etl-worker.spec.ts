/**
 * The ETL bench's child processes on a tiny generated object (2,000 rows): Transform and the
 * bare pipeline each read the whole file and report their rows, rows/s and peak RSS, and with
 * `warm` the rows/s of a second pass in the same process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildEtlReport } from '../../src/etl';
import { bareBaseline, measureTransform } from '../../src/etl-measure';

describe('etl bench worker', () => {
  it('runs Transform and the bare pipeline on the same generated file', async () => {
    // Prepare
    const workDir = mkdtempSync(join(tmpdir(), 'etl-bench-'));
    try {
      // Act
      const transform = await measureTransform(2_000, { workDir, warm: true });
      const bare = await bareBaseline(2_000, { workDir });

      // Assess
      expect(transform).toMatchObject({ rows: 2_000, inputBytes: bare.inputBytes });
      expect(bare.rows).toBe(2_000);
      // Transform under its manifest's heap limits (apps/etl-transform), the bare pipeline not.
      expect(transform.nodeOptions).toBe('--max-old-space-size=128');
      expect(bare.nodeOptions).toBeUndefined();
      expect(transform.rowsPerSecond).toBeGreaterThan(0);
      expect(transform.warmRowsPerSecond).toBeGreaterThan(0);
      expect(bare.warmRowsPerSecond).toBeUndefined();
      // A Node process cannot run in less than 20 MB of resident memory.
      expect(transform.peakRssBytes).toBeGreaterThan(20 * 1024 * 1024);
      expect(bare.peakRssBytes).toBeGreaterThan(20 * 1024 * 1024);
      expect(
        buildEtlReport({ sizes: [{ rows: 2_000, rounds: [{ transform, bare }] }] }).sizes,
      ).toHaveLength(1);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
