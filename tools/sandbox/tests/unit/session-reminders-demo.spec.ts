import {
  describeSessionRemindersDemo,
  type SessionRemindersDemoResult,
  sessionRemindersDemoProblems,
} from '../../src/session-reminders-demo';

// npm start's check of the reminder demo: a valid result, then one field broken per case.

const VALID: SessionRemindersDemoResult = {
  firing: {
    schedule: 'slipway-local-jobs-session-reminders-hourly',
    functionName: 'slipway-local-jobs-session-reminders',
    scheduledTime: '2026-12-02T09:00:00Z',
    executionId: 'exec-1',
    input: { scheduledTime: '2026-12-02T09:00:00Z' },
    outcome: 'succeeded',
    invocation: {
      requestId: 'req-1',
      functionName: 'slipway-local-jobs-session-reminders',
      outcome: 'succeeded',
      attempts: 1,
      errors: [],
      result: { found: 1, published: ['ses-a@2026-12-02T09:10:00.000Z'], skipped: [], invalid: [] },
    },
  },
  seeded: [
    { sessionId: 'ses-a', startsAt: '2026-12-02T09:10:00.000Z', due: true },
    { sessionId: 'ses-b', startsAt: '2026-12-02T10:00:00.000Z', due: false },
  ],
  reminders: [
    {
      eventId: 'e1',
      reminderId: 'ses-a@2026-12-02T09:10:00.000Z',
      title: 'A',
      startsAt: '2026-12-02T09:10:00.000Z',
    },
  ],
};

describe('the reminder demo check', () => {
  it('accepts the expected run and describes it', () => {
    expect(sessionRemindersDemoProblems(VALID)).toEqual([]);
    expect(describeSessionRemindersDemo(VALID)).toBe(
      [
        'slipway-local-jobs-session-reminders-hourly fired for 2026-12-02T09:00:00Z → slipway-local-jobs-session-reminders: succeeded after 1 attempt(s)',
        '  input: {"scheduledTime":"2026-12-02T09:00:00Z"}',
        '  found 1, published 1, skipped as already sent 0, invalid 0',
        '  SendSessionReminder ses-a@2026-12-02T09:10:00.000Z "A" (event e1)',
      ].join('\n'),
    );
  });

  it.each<[string, (r: SessionRemindersDemoResult) => void, string]>([
    [
      'a dead-lettered run',
      (r) => {
        r.firing.outcome = 'dead-lettered';
        r.firing.invocation!.errors.push('ReminderPublishError: down');
      },
      'the reminder run ended dead-lettered: ReminderPublishError: down',
    ],
    [
      'a reminder sent twice',
      (r) => r.reminders.push({ ...r.reminders[0], eventId: 'e2' }),
      'reminders ["ses-a@2026-12-02T09:10:00.000Z","ses-a@2026-12-02T09:10:00.000Z"], expected ["ses-a@2026-12-02T09:10:00.000Z"]',
    ],
    [
      'a due session not reminded',
      (r) => (r.seeded[1].due = true),
      'reminders ["ses-a@2026-12-02T09:10:00.000Z"], expected ["ses-a@2026-12-02T09:10:00.000Z","ses-b@2026-12-02T10:00:00.000Z"]',
    ],
  ])('names %s', (_what, change, problem) => {
    const broken = structuredClone(VALID);
    change(broken);

    expect(sessionRemindersDemoProblems(broken)).toEqual([problem]);
  });
});
