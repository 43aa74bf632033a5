/**
 * The ETL-day bench's child processes on a day of 200 small objects (two batches of the
 * Distributed Map): the flow through the sandbox (real ASL, local S3, packaged Lambdas) must
 * reconcile to the generator's totals, and its baseline must see the same rows.
 */
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { generateSmallObjectsDay } from '@slipway/samples';
import { ETL_DAY_DATE, ETL_DAY_SEED, measureEtlDay } from '../../src/etl-day';

const REPO = join(__dirname, '../../../..');

describe('etl day bench worker', () => {
  it('runs a reconciled day through the sandbox and the same day through transformObject', async () => {
    // Prepare
    const expected = generateSmallObjectsDay(ETL_DAY_DATE, { objects: 200, seed: ETL_DAY_SEED });

    // Act
    const day = await measureEtlDay(REPO, 200);

    // Assess
    expect(day.flow).toMatchObject({
      objects: 200,
      rows: expected.expected.input,
      batches: 2,
      reconciled: expected.expected,
    });
    expect(expected.expected).toEqual({
      objects: 200,
      objectErrors: 0,
      input: 647,
      valid: 607,
      rejected: 20,
      duplicates: 20,
      crossObjectDuplicates: 7,
      events: 600,
    });
    // The Map's items and results live on S3: no state carries the day in its payload.
    expect(day.flow.largestStatePayloadBytes).toBeLessThan(8_192);
    expect(day.baseline).toMatchObject({ objects: 200, rows: 647 });
    expect(day.flowRatio).toBeCloseTo(day.flow.flowSeconds / day.baseline.seconds, 10);
    // Linux: the Lambda execution environments' own peak RSS, read from /proc before they stop.
    expect(day.flow.lambdaPeakRssBytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(day.flow.peakRssBytes).toBeGreaterThan(20 * 1024 * 1024);
  }, 240_000);
});
