import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { aggregateDay } from '../../src';
import { readParquetWithWasm } from './support/parquet-wasm';
import { transform } from './support/run';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/raw', name));

describe('aggregateDay', () => {
  it('computes per-course and per-learner measures, sorted by key', async () => {
    // Prepare
    const first = await transform('a.ndjson', fixture('aggregate-a.ndjson'));
    const second = await transform('b.ndjson', fixture('aggregate-b.ndjson'));

    // Act
    const { tables, counts } = await aggregateDay([
      first.staging.bytes(),
      Readable.from([second.staging.bytes()]),
    ]);

    // Assess
    expect(counts).toEqual({
      stagingFiles: 2,
      stagingRows: 8,
      events: 7,
      crossObjectDuplicates: 1,
    });
    const course = readParquetWithWasm(tables[0].bytes);
    expect(tables.map((t) => [t.table, t.rows])).toEqual([
      ['course_daily', 2],
      ['learner_progress', 3],
    ]);
    expect(course.columns).toMatchObject({
      course_id: { format: 'u', values: ['c-1', 'c-2'] },
      active_learners: { format: 'i', values: [2, 1] },
      lessons_started: { values: [1, 0] },
      lessons_completed: { values: [2, 0] },
      quizzes_submitted: { values: [2, 0] },
      avg_quiz_score: { format: 'g', nullable: true, values: [0.65, null] },
      watch_seconds: { format: 'g', values: [0, 90.5] },
      events: { values: [5, 2] },
    });
    const learners = readParquetWithWasm(tables[1].bytes);
    expect(learners.columns.user_id.values).toEqual(['u-1', 'u-2', 'u-2']);
    expect(learners.columns.course_id.values).toEqual(['c-1', 'c-1', 'c-2']);
    expect(learners.columns.lessons_completed.values).toEqual([1, 1, 0]);
    expect(learners.columns.avg_quiz_score.values).toEqual([0.8, 0.5, null]);
    expect(learners.columns.watch_seconds.values).toEqual([0, 0, 90.5]);
  });

  it('writes readable empty tables for a day without valid rows', async () => {
    // Prepare
    const empty = await transform('e.ndjson', '');

    // Act
    const { tables, counts } = await aggregateDay([empty.staging.bytes()]);

    // Assess
    expect(counts.events).toBe(0);
    expect(tables.map((t) => readParquetWithWasm(t.bytes).rows)).toEqual([0, 0]);
    expect(Object.keys(readParquetWithWasm(tables[0].bytes).columns)).toContain('avg_quiz_score');
  });
});
