import { StagingWriter, type StagedRow } from '../../src/staging';
import { readParquetWithWasm } from './support/parquet-wasm';
import { MemorySink } from './support/sinks';

const SOURCE = 'raw/lms/dt=2026-03-01/a.ndjson';

const row = (id: string, line: number, extra: Partial<StagedRow> = {}): StagedRow => ({
  event_id: id,
  event_type: 'lesson_started',
  user_id: `u-${line}`,
  course_id: 'c-1',
  occurred_at: Date.parse('2026-03-01T10:00:00.000Z') + line,
  score: null,
  max_score: null,
  seconds_watched: null,
  source_line: line,
  ...extra,
});

describe('StagingWriter', () => {
  it('buffers rows as bytes and writes every group with the values it was given', async () => {
    // Prepare: a user id of 300 000 UTF-8 bytes outgrows the group's 256 KiB buffer; 2-row groups.
    const huge = 'é'.repeat(150_000);
    const rows = [
      row('a', 1, { event_type: 'quiz_submitted', score: 7.25, max_score: 10 }),
      row('b', 2, { user_id: huge }),
      row('c', 3, { event_type: 'video_progress', seconds_watched: 1e-3 }),
      row('d-漢字', 4, { course_id: 'ü' }),
      row('e', 5),
    ];
    const sink = new MemorySink();
    const writer = new StagingWriter(sink, SOURCE, 2);

    // Act: flush as Transform does, as soon as a group is full.
    for (const r of rows) {
      writer.addRow(r);
      if (writer.hasFullGroups) await writer.flushFull();
    }
    await writer.finish();
    sink.end();

    // Assess: read back by arrow-rs (parquet-wasm), not by the library that wrote it.
    const file = readParquetWithWasm(sink.bytes());
    expect(file.rows).toBe(5);
    expect(writer.rows).toBe(5);
    expect(file.columns.event_id.values).toEqual(['a', 'b', 'c', 'd-漢字', 'e']);
    expect(file.columns.user_id.values).toEqual(['u-1', huge, 'u-3', 'u-4', 'u-5']);
    expect(file.columns.course_id.values).toEqual(['c-1', 'c-1', 'c-1', 'ü', 'c-1']);
    expect(file.columns.event_type.values).toEqual(rows.map((r) => r.event_type));
    expect(file.columns.occurred_at.values).toEqual(rows.map((r) => r.occurred_at));
    expect(file.columns.score.values).toEqual([7.25, null, null, null, null]);
    expect(file.columns.max_score.values).toEqual([10, null, null, null, null]);
    expect(file.columns.seconds_watched.values).toEqual([null, null, 1e-3, null, null]);
    expect(file.columns.source_line.values).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(file.columns.source_key.values)).toEqual(new Set([SOURCE]));
  });

  it('rejects a row group size that is not a positive integer', () => {
    expect(() => new StagingWriter(new MemorySink(), SOURCE, 0)).toThrow(
      'rowGroupRows must be a positive integer, got 0.',
    );
  });
});
