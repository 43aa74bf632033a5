import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirstOccurrenceSpill } from '../../src/spill';
import { encodeRow, maxRowBytes, StringInterner } from '../../src/spill/codec';
import type { StagedRow } from '../../src/staging';

// Pass 2 hands the spill's bytes to the staging writer without decoding them (GitHub issue 17):
// these pin that it hands out exactly the rows, in order, that the decoding replay gives.

const scratch = mkdtempSync(join(tmpdir(), 'etl-spill-encoded-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ROWS: StagedRow[] = [
  ['e-1', 'lesson_started', 'u-1', 'c-1', 1, null, null, null],
  ['e-2', 'quiz_submitted', 'u-ü', 'c-1', 2, 3, 4, null],
  ['e-1', 'lesson_started', 'u-1', 'c-1', 3, null, null, null],
  ['é-😀', 'video_progress', 'u-1', 'c-2', 4, null, null, 0.5],
  ['x'.repeat(300), 'Other_Type', 'u\ud800', 'c-2', 5, null, 7, null],
  ['e-2', 'lesson_completed', 'u-1', 'c-1', 6, null, null, null],
  ['e-3', 'lesson_completed', 'u-ü', 'c-1', -0, -0, 1, null],
].map(([event_id, event_type, user_id, course_id, at, score, max, seconds], i) => ({
  event_id: event_id as string,
  event_type: event_type as string,
  user_id: user_id as string,
  course_id: course_id as string,
  occurred_at: at as number,
  score: score as number | null,
  max_score: max as number | null,
  seconds_watched: seconds as number | null,
  source_line: i + 1,
}));

const encode = (row: StagedRow) => {
  const buffer = Buffer.alloc(maxRowBytes(row));
  return buffer.subarray(0, encodeRow(buffer, 0, row)).toString('hex');
};

describe('FirstOccurrenceSpill.replayEncoded', () => {
  it('hands out the encoded bytes of every first occurrence, in order, across tiny blocks', async () => {
    // Prepare: 64-byte blocks, so rows sit in many blocks and the read-ahead runs.
    const spill = await FirstOccurrenceSpill.create({
      tempDir: scratch,
      partitions: 3,
      rowBlockBytes: 64,
      idBlockBytes: 16,
    });
    try {
      for (const row of ROWS) spill.add(row);
      const duplicates = await spill.duplicates();

      // Act
      const handed: string[] = [];
      await spill.replayEncoded(duplicates, (buffer, start, end) => {
        handed.push(buffer.subarray(start, end).toString('hex'));
      });

      // Assess: rows 3 and 6 repeat e-1 and e-2.
      expect(Array.from(duplicates)).toEqual([2, 5]);
      expect(handed).toEqual([ROWS[0], ROWS[1], ROWS[3], ROWS[4], ROWS[6]].map(encode));
    } finally {
      await spill.dispose();
    }
  });
});

describe('StringInterner', () => {
  it('gives back the string of each encoded value, repeated ones from its table, UTF-8 and UTF-16 forms apart', () => {
    // Prepare: the rows' user ids, encoded one after the other.
    const buffer = Buffer.alloc(4096);
    const starts: number[] = [];
    let at = 0;
    for (const row of ROWS) {
      starts.push(at);
      at = encodeRow(buffer, at, row);
    }
    const interner = new StringInterner();

    // Act: the user id sits 13 bytes into a row, after its event_id.
    const read = starts.map((start) => {
      const afterEventId = interner.read(buffer, start + 13);
      interner.read(buffer, afterEventId);
      return interner.value;
    });

    // Assess
    expect(read).toEqual(ROWS.map((row) => row.user_id));
  });
});
