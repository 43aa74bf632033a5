import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stagedRow } from '../../src/staging';
import { encodeAsciiRow, encodeRow, MAX_ASCII_ROW_BYTES } from '../../src/spill/codec';
import { fastContext, readFastRow, type FastRow } from '../../src/transform/fast-row';
import { checkJsonLine, type RowContext } from '../../src/transform/rows';
import { DATE, NOW } from './support/run';
import { prng } from './support/prng';

// The fast path must decide nothing zod would decide differently: for every line it accepts, the
// full path (JSON.parse + LearningEventSchema + the time checks) accepts it too and the spill
// bytes are identical; every line the full path rejects, the fast path declines.

const context: RowContext = { date: DATE, nowMs: NOW.getTime(), nowIso: NOW.toISOString() };
const fast = fastContext(context);

interface Verdict {
  fast: boolean;
  full: string;
}

/** Runs both paths on one line and fails the test when the fast path disagrees. */
function judge(text: string, number = 2): Verdict {
  const bytes = Buffer.from(text, 'utf8');
  const line = { number, bytes };
  const full = checkJsonLine(line, context);
  const row = {} as FastRow;
  const accepted = readFastRow(bytes, fast, row);
  if (accepted) {
    if (full.kind !== 'valid') {
      throw new Error(`fast path accepted a line the schema ${full.kind}s: ${text}`);
    }
    const expected = Buffer.alloc(4096);
    const expectedLength = encodeRow(expected, 0, stagedRow(full.event, number));
    const actual = Buffer.alloc(MAX_ASCII_ROW_BYTES);
    const actualLength = encodeAsciiRow(actual, 0, bytes, row, number);
    expect(actual.subarray(0, actualLength).toString('hex')).toBe(
      expected.subarray(0, expectedLength).toString('hex'),
    );
  }
  const code = full.kind === 'rejected' ? full.row.code : full.kind;
  return { fast: accepted, full: code };
}

const BASES: Record<string, Record<string, unknown>> = {
  lesson: {
    event_id: 'e-1',
    user_id: 'u-1',
    course_id: 'c-1',
    occurred_at: '2026-03-01T08:15:00.000Z',
    event_type: 'lesson_started',
  },
  completed: {
    event_type: 'lesson_completed',
    occurred_at: '2026-03-01T00:00:00.000Z',
    event_id: 'e-2',
    user_id: 'u-2',
    course_id: 'c-2',
  },
  quiz: {
    event_id: 'e-3',
    user_id: 'u-3',
    course_id: 'c-3',
    occurred_at: '2026-03-01T19:59:59.999Z',
    event_type: 'quiz_submitted',
    score: 3,
    max_score: 4,
  },
  video: {
    event_id: 'e-4',
    user_id: 'u-4',
    course_id: 'c-4',
    occurred_at: '2026-03-01T12:00:00.500Z',
    event_type: 'video_progress',
    seconds_watched: 12.5,
  },
};

/** JSON texts each field is tried with (one field changed at a time, on every base). */
const VALUES: Record<string, string[]> = {
  event_id: [
    '"e"',
    '" e"',
    '"e "',
    '"e\\t"',
    '"\\u0065"',
    '"é"',
    '"😀"',
    '"\\ud800"',
    '""',
    '" "',
    '"a\\"b"',
    `"${'x'.repeat(252)}"`,
    `"${'x'.repeat(253)}"`,
    `"${'x'.repeat(256)}"`,
    `"${'x'.repeat(257)}"`,
    '1',
    'null',
    'true',
    '{}',
    '[]',
    '"\u007f"',
    '"a\u0001"',
  ],
  user_id: ['"u"', '"u "', '"\\u00a0u"', '" u\u3000"', '"\ufeffu"', '0', 'false', '""'],
  course_id: ['"c"', '"c\\n"', '"ü"', '"\\/"', 'null'],
  event_type: [
    '"lesson_started"',
    '"lesson_completed"',
    '"quiz_submitted"',
    '"video_progress"',
    '"Lesson_Started"',
    '" lesson_started"',
    '"lesson_started "',
    '"LESSON_COMPLETED"',
    '"lesson_paused"',
    '""',
    '1',
    'null',
    '"lesson_starte"',
    '"lesson_started\\u0000"',
  ],
  occurred_at: [
    '"2026-03-01T08:15:00.000Z"',
    '"2026-03-01T23:59:59.999Z"',
    '"2026-03-01T20:00:00.000Z"',
    '"2026-03-01T20:00:00.001Z"',
    '"2026-03-01T00:00:00.000Z"',
    '"2026-02-28T23:59:59.999Z"',
    '"2026-03-02T00:00:00.000Z"',
    '"2026-03-01T08:15:00Z"',
    '"2026-03-01T08:15:00.1Z"',
    '"2026-03-01T08:15:00.1234Z"',
    '"2026-03-01T08:15:00.000+00:00"',
    '"2026-03-01T09:15:00.000+01:00"',
    '"2026-03-01T08:15:00.000-00:30"',
    '"2026-03-01T08:15:00.000"',
    '"2026-03-01t08:15:00.000Z"',
    '"2026-03-01T08:15:00.000z"',
    '"2026-03-01T24:00:00.000Z"',
    '"2026-03-01T08:60:00.000Z"',
    '"2026-03-01T08:15:60.000Z"',
    '"2026-03-01T08:15:00.00aZ"',
    '"2026-03-01 08:15:00.000Z"',
    '"2026-03-01T08:15:00,000Z"',
    '"2026-03-01T8:15:00.000Z"',
    '1772352900000',
    'null',
  ],
  score: ['0', '-0', '4', '4.0', '4.5', '-1', '1e0', '0.4e1', '"3"', 'null', '1E400', '00', '3.'],
  max_score: ['4', '0', '-0', '1e-300', '1e308', '1e309', '4.000000000000001', '"4"', 'true'],
  seconds_watched: [
    '0',
    '-0',
    '0.125',
    '-0.5',
    '1e308',
    '1e309',
    '123456789012345',
    '1234567890123456789',
    'null',
    '"1"',
  ],
};

const ORDER = [
  'event_id',
  'user_id',
  'course_id',
  'occurred_at',
  'event_type',
  'score',
  'max_score',
  'seconds_watched',
];

/** Serializes `row` with field `field` written as `text` (or left out when `text` is undefined). */
function line(row: Record<string, unknown>, field?: string, text?: string): string {
  const keys = ORDER.filter((k) => k in row || k === field);
  const parts = keys.flatMap((k) => {
    if (k === field) return text === undefined ? [] : [`"${k}":${text}`];
    return [`"${k}":${JSON.stringify(row[k])}`];
  });
  return `{${parts.join(',')}}`;
}

describe('readFastRow against JSON.parse + LearningEventSchema', () => {
  it('agrees on every line of every NDJSON fixture', () => {
    // Prepare
    const dir = join(__dirname, '../fixtures/raw');
    const lines = readdirSync(dir)
      .filter((name) => name.endsWith('.ndjson'))
      .sort()
      .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'));

    // Act
    const verdicts = lines.map((text, i) => judge(text.replace(/\r$/, ''), i + 2));

    // Assess: the fixtures' plain rows take the fast path, every other line the full one.
    const accepted = verdicts.filter((v) => v.fast).length;
    const valid = verdicts.filter((v) => v.full === 'valid').length;
    expect({ lines: lines.length, accepted, valid }).toEqual({
      lines: 37,
      accepted: 14,
      valid: 18,
    });
  });

  it('agrees when each field in turn takes each tricky value, on every event type', () => {
    // Prepare
    const cases: string[] = [];
    for (const base of Object.values(BASES)) {
      cases.push(line(base));
      for (const [field, texts] of Object.entries(VALUES)) {
        cases.push(line(base, field, undefined));
        for (const text of texts) cases.push(line(base, field, text));
      }
    }

    // Act
    const verdicts = cases.map((text) => ({ text, ...judge(text) }));

    // Assess: the exact lines the fast path takes (everything else was checked to be declined
    // or rejected by both, in judge()).
    const taken = verdicts.filter((v) => v.fast);
    expect(taken.length).toBe(164);
    expect(verdicts.filter((v) => v.full === 'valid' && !v.fast).length).toBe(100);
    expect(taken.map((v) => v.text)).toContain(
      '{"event_id":"e-3","user_id":"u-3","course_id":"c-3","occurred_at":"2026-03-01T19:59:59.999Z","event_type":"quiz_submitted","score":-0,"max_score":4}',
    );
  });

  it('agrees on random rows mixing whitespace, key order, extra keys and tricky values', () => {
    // Prepare
    const random = prng(17);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    const spaces = ['', '', ' ', '\t', '  ', '\r'];
    const ends = [...spaces, '\u000b', '\u00a0'];
    const cases: string[] = [];
    for (let n = 0; n < 5000; n++) {
      const base = pick(Object.values(BASES));
      const fields = Object.keys(base).concat(random() < 0.3 ? ['score', 'max_score'] : []);
      const parts = [...new Set(fields)]
        .sort(() => random() - 0.5)
        .map((k) => {
          const value =
            random() < 0.06 && VALUES[k] ? pick(VALUES[k]) : JSON.stringify(base[k] ?? 1);
          return `${pick(spaces)}"${k}"${pick(spaces)}:${pick(spaces)}${value}${pick(spaces)}`;
        });
      if (random() < 0.2)
        parts.splice(
          Math.floor(random() * parts.length),
          0,
          `"extra":${pick(['1', '"x"', 'null', '[1]', '{"a":1}'])}`,
        );
      if (random() < 0.05) parts.push(parts[0]);
      cases.push(`${pick(ends)}{${parts.join(',')}}${pick(ends)}`);
    }

    // Act
    const verdicts = cases.map((text) => judge(text));

    // Assess: both paths ran on enough of each outcome to mean something.
    const tally = (pred: (v: Verdict) => boolean) => verdicts.filter(pred).length;
    expect({
      fast: tally((v) => v.fast),
      fullOnlyValid: tally((v) => !v.fast && v.full === 'valid'),
      rejected: tally((v) => v.full !== 'valid'),
    }).toEqual({ fast: 1808, fullOnlyValid: 2398, rejected: 794 });
  });
});
