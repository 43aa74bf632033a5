// Edge-case rows for the output pin of Transform (etl-output.spec.ts): every valid learning event
// of a generated object goes through one of these rewrites in turn, so the pinned staging Parquet
// and rejected NDJSON cover normalization (trimmed ids, event types in any case, offsets and
// fractions of a second) and rejections (every schema path) besides the plain generated rows.

type Row = Record<string, unknown>;

/** Each rewrite returns the line to write for one generated row. */
export const EDGE_REWRITES: ((row: Row) => string)[] = [
  (r) => JSON.stringify(r),
  (r) => JSON.stringify({ ...r, event_id: `  ${String(r.event_id)}\t` }),
  (r) => JSON.stringify({ ...r, user_id: `\u00a0${String(r.user_id)}\u3000` }),
  (r) => JSON.stringify({ ...r, course_id: `\ufeff${String(r.course_id)}\n` }),
  (r) => JSON.stringify({ ...r, event_type: String(r.event_type).toUpperCase() }),
  (r) => JSON.stringify({ ...r, event_type: ` ${String(r.event_type)} ` }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace('.', ',') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/\.\d+Z$/, 'Z') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/Z$/, '123456Z') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/\d\dZ$/, 'Z') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/Z$/, '+00:00') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/Z$/, '-00:30') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/Z$/, '+14:00') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/Z$/, '+0100') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/Z$/, '') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace('T', 't') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/Z$/, 'z') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/:\d\d\./, ':60.') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/T\d\d/, 'T24') }),
  (r) => JSON.stringify({ ...r, occurred_at: String(r.occurred_at).replace(/-\d\dT/, '-30T') }),
  (r) =>
    JSON.stringify({
      ...r,
      occurred_at: String(r.occurred_at).replace(/^\d{4}-\d\d-\d\d/, '2026-02-29'),
    }),
  (r) =>
    JSON.stringify({
      ...r,
      occurred_at: String(r.occurred_at).replace(/^\d{4}-\d\d-\d\d/, '2024-02-29'),
    }),
  (r) => JSON.stringify({ ...r, occurred_at: Date.parse(String(r.occurred_at)) }),
  (r) => JSON.stringify({ ...r, event_id: `${String(r.event_id)}-é✓` }),
  (r) => JSON.stringify({ ...r, user_id: `${String(r.user_id)}-😀` }),
  (r) => JSON.stringify({ ...r, event_id: `${String(r.event_id)}\ud800` }),
  (r) => JSON.stringify({ ...r, course_id: '\udfff' }),
  (r) => JSON.stringify({ ...r, event_id: '' }),
  (r) => JSON.stringify({ ...r, user_id: ' \t ' }),
  (r) => JSON.stringify({ ...r, course_id: 'c'.repeat(256) }),
  (r) => JSON.stringify({ ...r, course_id: 'c'.repeat(257) }),
  (r) => JSON.stringify({ ...r, course_id: ` ${'c'.repeat(256)} ` }),
  (r) => JSON.stringify({ ...r, user_id: 42 }),
  (r) => JSON.stringify({ ...r, user_id: null }),
  (r) => JSON.stringify({ ...r, extra: { nested: [1, 2] }, another: 'x' }),
  (r) => JSON.stringify({ ...r, score: 1, max_score: 2, seconds_watched: 3 }),
  (r) => JSON.stringify({ ...r, event_type: 'quiz_submitted', score: -0, max_score: 1e-9 }),
  (r) => JSON.stringify({ ...r, event_type: 'quiz_submitted', score: 7, max_score: 7 }),
  (r) => JSON.stringify({ ...r, event_type: 'quiz_submitted', score: 7.5, max_score: 7 }),
  (r) => JSON.stringify({ ...r, event_type: 'quiz_submitted', score: -1, max_score: 7 }),
  (r) => JSON.stringify({ ...r, event_type: 'quiz_submitted', score: 1, max_score: 0 }),
  (r) => JSON.stringify({ ...r, event_type: 'quiz_submitted', score: '1', max_score: 2 }),
  (r) => JSON.stringify({ ...r, event_type: 'quiz_submitted', score: 1 }),
  (r) => JSON.stringify({ ...r, event_type: 'quiz_submitted', score: 1e308, max_score: 1.7e308 }),
  (r) => JSON.stringify({ ...r, event_type: 'video_progress', seconds_watched: 0.125 }),
  (r) => JSON.stringify({ ...r, event_type: 'video_progress', seconds_watched: -0.5 }),
  (r) => JSON.stringify({ ...r, event_type: 'video_progress', seconds_watched: null }),
  (r) => JSON.stringify({ ...r, event_type: 'video_progress' }),
  (r) => JSON.stringify({ ...r, event_type: 'lesson_paused' }),
  (r) => JSON.stringify({ ...r, event_type: 7 }),
  (r) => JSON.stringify({ ...r, event_type: 'LESSON_STARTİ' }),
  (r) => JSON.stringify({ ...r, event_type: undefined }),
  (r) =>
    `{"event_id":"dup-key","event_id":${JSON.stringify(r.event_id)},${JSON.stringify(r).slice(1)}`,
  (r) => JSON.stringify({ __proto__: null, ...r }),
  (r) => `{"__proto__":{"event_id":"x"},${JSON.stringify(r).slice(1)}`,
  (r) => JSON.stringify([r]),
  (r) => JSON.stringify(String(r.event_id)),
  (r) => `${JSON.stringify(r).slice(0, -1)}`,
  (r) => `  ${JSON.stringify(r)}  `,
];
