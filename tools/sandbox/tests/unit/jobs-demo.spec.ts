import {
  describeWelcomeEmailDemo,
  welcomeEmailDemoProblems,
  type WelcomeEmailDemoResult,
} from '../../src/jobs-demo';

// npm start fails on any of these: each broken field must give its own sentence.
const AS_EXPECTED: WelcomeEmailDemoResult = {
  emails: [
    {
      file: '/work/dist/sandbox/mail/0000018f-demo.eml',
      from: 'Slipway <hello@slipway.local>',
      to: ['grace@learners.example'],
      subject: "You're booked: Colour grading, live",
    },
  ],
  poison: {
    eventId: 'e1',
    deadLettered: true,
    attempts: 3,
    errorType: 'EventParseError',
    reason: 'Invalid SessionConfirmed event: detail.session.startsAt: Invalid ISO datetime',
    emails: 0,
  },
};
const LOG = 'see dist/sandbox/logs/jobs-welcome-email.log';

describe('welcomeEmailDemoProblems', () => {
  it('finds nothing in a run that is as expected, and prints the email and the DLQ record', () => {
    expect(welcomeEmailDemoProblems(AS_EXPECTED)).toEqual([]);
    expect(describeWelcomeEmailDemo(AS_EXPECTED)).toBe(
      [
        `SessionConfirmed → welcome email to grace@learners.example: "You're booked: Colour grading, live"`,
        '  /work/dist/sandbox/mail/0000018f-demo.eml',
        "poison SessionConfirmed → no email; in the function's dead-letter queue after 3 attempts: EventParseError: Invalid SessionConfirmed event: detail.session.startsAt: Invalid ISO datetime",
      ].join('\n'),
    );
  });

  it.each<[string, Partial<WelcomeEmailDemoResult>, string]>([
    ['no email', { emails: [] }, `0 welcome emails for the confirmed booking, expected 1: ${LOG}.`],
    [
      'two emails',
      { emails: [AS_EXPECTED.emails[0], AS_EXPECTED.emails[0]] },
      `2 welcome emails for the confirmed booking, expected 1: ${LOG}.`,
    ],
    [
      'another subject',
      { emails: [{ ...AS_EXPECTED.emails[0], subject: 'Welcome' }] },
      `The welcome email's subject is "Welcome", expected "You're booked: Colour grading, live": check libs/jobs/emails/welcome.json.`,
    ],
    [
      'another recipient',
      { emails: [{ ...AS_EXPECTED.emails[0], to: ['ops@slipway.example'] }] },
      'The welcome email went to ops@slipway.example, expected grace@learners.example alone.',
    ],
    [
      'a poison event not dead-lettered',
      { poison: { eventId: 'e1', deadLettered: false, emails: 0 } },
      `The poison SessionConfirmed is not in the function dead-letter queue, expected there after 3 attempts with EventParseError: ${LOG}.`,
    ],
    [
      'a poison event dead-lettered after one attempt',
      { poison: { ...AS_EXPECTED.poison, attempts: 1 } },
      `The poison SessionConfirmed was dead-lettered after 1 attempts with EventParseError, expected there after 3 attempts with EventParseError: ${LOG}.`,
    ],
    [
      'an email for the poison event',
      { poison: { ...AS_EXPECTED.poison, emails: 1 } },
      '1 emails for the poison SessionConfirmed, expected none.',
    ],
  ])('names %s', (_case, broken, problem) => {
    expect(welcomeEmailDemoProblems({ ...AS_EXPECTED, ...broken })).toEqual([problem]);
  });
});
