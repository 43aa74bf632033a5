import {
  EtlCompletedDetailSchema,
  LearningEventSchema,
  PartitionDateSchema,
  TransformOutputSchema,
} from '../../src';

const quiz = () => ({
  event_id: 'e-1',
  event_type: 'quiz_submitted',
  user_id: 'u-1',
  course_id: 'c-1',
  occurred_at: '2026-03-01T10:15:00+02:00',
  score: 8,
  max_score: 10,
});

describe('LearningEventSchema', () => {
  it('normalizes a valid event: trimmed ids, lower-case type, UTC timestamp', () => {
    // Prepare
    const event = { ...quiz(), event_type: ' Quiz_Submitted', user_id: ' u-1 ' };

    // Act
    const parsed = LearningEventSchema.parse(event);

    // Assess
    expect(parsed).toEqual({
      event_id: 'e-1',
      event_type: 'quiz_submitted',
      user_id: 'u-1',
      course_id: 'c-1',
      occurred_at: '2026-03-01T08:15:00.000Z',
      score: 8,
      max_score: 10,
    });
  });

  it.each([
    ['score above max_score', { score: 11 }, 'score'],
    ['score as text', { score: '8' }, 'score'],
    ['no offset', { occurred_at: '2026-03-01T10:15:00' }, 'occurred_at'],
    ['impossible day', { occurred_at: '2026-02-30T10:15:00Z' }, 'occurred_at'],
    ['empty id', { event_id: '   ' }, 'event_id'],
    ['unknown type', { event_type: 'lesson_paused' }, 'event_type'],
  ])('refuses %s', (_name, change, path) => {
    // Act
    const result = LearningEventSchema.safeParse({ ...quiz(), ...change });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual([path]);
  });

  it.each(['event_id', 'user_id', 'course_id'])(
    'refuses %s holding a lone surrogate (not well-formed Unicode) and accepts a surrogate pair',
    (field) => {
      // Act
      const lone = LearningEventSchema.safeParse({ ...quiz(), [field]: 'x\ud800' });
      const pair = LearningEventSchema.safeParse({ ...quiz(), [field]: 'x\ud83d\ude00' });

      // Assess
      expect(lone.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
        [
          [field],
          'must be well-formed Unicode, but holds a lone UTF-16 surrogate (an unpaired \\uD800-\\uDFFF escape), which would be stored as U+FFFD and merge with other ids; escape a character above U+FFFF as a full surrogate pair, or write it as UTF-8',
        ],
      ]);
      expect(pair.data).toMatchObject({ [field]: 'x😀' });
    },
  );

  it('refuses negative watch time', () => {
    const video = { ...quiz(), event_type: 'video_progress', seconds_watched: -1 };
    expect(LearningEventSchema.safeParse(video).success).toBe(false);
    expect(LearningEventSchema.safeParse({ ...video, seconds_watched: 0 }).success).toBe(true);
  });
});

describe('ETL payloads', () => {
  it('accepts a Transform output with an object error and refuses a negative count', () => {
    const output = {
      key: 'raw/lms/dt=2026-03-01/a.ndjson.gz',
      counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
      objectError: { code: 'TRUNCATED_GZIP', message: 'cut' },
    };
    expect(TransformOutputSchema.parse(output)).toEqual(output);
    expect(() =>
      TransformOutputSchema.parse({ ...output, counts: { ...output.counts, valid: -1 } }),
    ).toThrow();
  });

  it('checks partition dates and the EtlCompleted manifest hash', () => {
    expect(PartitionDateSchema.safeParse('2024-02-29').success).toBe(true);
    expect(PartitionDateSchema.safeParse('2026-02-29').success).toBe(false);
    expect(
      EtlCompletedDetailSchema.safeParse({
        date: '2026-03-01',
        counts: { objects: 1, objectErrors: 0, input: 1, valid: 1, rejected: 0, duplicates: 0 },
        manifest: {
          bucket: 'data-bucket',
          key: 'curated/_manifest/dt=2026-03-01/_manifest.json',
          sha256: 'abc',
        },
      }).success,
    ).toBe(false);
  });
});
