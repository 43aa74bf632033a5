import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  asyncInvocation,
  InvalidManifestError,
  InvalidScheduleNameError,
  parseManifest,
  scheduleExpressionProblem,
  scheduleResourceName,
  timeZoneProblem,
} from '../../src';

type Raw = Record<string, unknown> & { triggers: Record<string, unknown>[] };

const APPS = join(__dirname, '../fixtures/jobs/apps');
const REMINDERS = 'apps/jobs-session-reminders/lambda.manifest.json';
const WORKER = 'apps/jobs-welcome-email/lambda.manifest.json';
const load = (shown: string): Raw =>
  JSON.parse(readFileSync(join(APPS, shown.replace(/^apps\//, '')), 'utf8'));

function problemsOf(raw: unknown, shown: string): InvalidManifestError['problems'] {
  try {
    parseManifest(raw, shown);
  } catch (error) {
    if (error instanceof InvalidManifestError) return error.problems;
    throw error;
  }
  throw new Error('expected the manifest to be rejected');
}

describe('schedule triggers', () => {
  it('accepts the reminder job and applies the defaults: flexible window off, 1 h and 3 retries', () => {
    // Act
    const manifest = parseManifest(load(REMINDERS), REMINDERS);

    // Assess
    expect(manifest.triggers).toEqual([
      {
        type: 'schedule',
        name: 'hourly',
        expression: 'cron(0 * * * ? *)',
        timezone: 'Europe/Paris',
        input: { window: 'next-hour' },
        retry: { maximumEventAgeSeconds: 3600, maximumAttempts: 3 },
      },
    ]);
    expect(asyncInvocation(manifest)).toEqual({
      maximumRetryAttempts: 2,
      maximumEventAgeSeconds: 21600,
    });
  });

  it('defaults the input to {} and keeps a flexible window that is asked for', () => {
    // Prepare
    const raw = load(REMINDERS);
    delete raw.triggers[0].input;
    raw.triggers[0].flexibleWindowMinutes = 15;

    // Act
    const [trigger] = parseManifest(raw, REMINDERS).triggers;

    // Assess
    expect(trigger).toMatchObject({ input: {}, flexibleWindowMinutes: 15 });
  });

  it.each([
    [
      'no name',
      (t: Record<string, unknown>) => delete t.name,
      'triggers.0.name',
      undefined,
      'is required: name the schedule in kebab-case, e.g. "hourly"',
    ],
    [
      'a name that is not kebab-case',
      (t: Record<string, unknown>) => (t.name = 'Hourly_Run'),
      'triggers.0.name',
      'Hourly_Run',
      'must be kebab-case (lowercase letters, digits, dashes), e.g. "hourly"',
    ],
    [
      'a five-field (Unix) cron',
      (t: Record<string, unknown>) => (t.expression = 'cron(0 * * * *)'),
      'triggers.0.expression',
      'cron(0 * * * *)',
      'cron(0 * * * *): has 5 fields, Scheduler\'s cron has 6: minutes hours day-of-month month day-of-week year, e.g. "cron(0 * * * ? *)"',
    ],
    [
      'a cron with both days given',
      (t: Record<string, unknown>) => (t.expression = 'cron(0 * * * * *)'),
      'triggers.0.expression',
      'cron(0 * * * * *)',
      'cron(0 * * * * *): exactly one of day-of-month ("*") and day-of-week ("*") must be "?", e.g. "cron(0 9 * * ? *)" (every day) or "cron(0 9 ? * MON-FRI *)" (weekdays)',
    ],
    [
      'no time zone',
      (t: Record<string, unknown>) => delete t.timezone,
      'triggers.0.timezone',
      undefined,
      'is required: the IANA time zone the schedule runs in, such as "Europe/Paris" or "UTC"',
    ],
    [
      'an unknown time zone',
      (t: Record<string, unknown>) => (t.timezone = 'Europe/Atlantis'),
      'triggers.0.timezone',
      'Europe/Atlantis',
      'must be an IANA time zone name such as "Europe/Paris" or "UTC" (the cron runs in it, daylight saving included): "Europe/Atlantis" is not one',
    ],
    [
      'a zero flexible window',
      (t: Record<string, unknown>) => (t.flexibleWindowMinutes = 0),
      'triggers.0.flexibleWindowMinutes',
      0,
      'must be at least 1 minute: remove the field to run exactly on time',
    ],
    [
      'a flexible window over a day',
      (t: Record<string, unknown>) => (t.flexibleWindowMinutes = 1441),
      'triggers.0.flexibleWindowMinutes',
      1441,
      "must be at most 1440 minutes (24 h, Scheduler's maximum)",
    ],
    [
      'an input that is not an object',
      (t: Record<string, unknown>) => (t.input = ['next-hour']),
      'triggers.0.input',
      ['next-hour'],
      'must be a JSON object: the event the function receives, e.g. {"window": "next-hour"}',
    ],
    [
      'more retries than Scheduler makes',
      (t: Record<string, unknown>) => (t.retry = { maximumAttempts: 186 }),
      'triggers.0.retry.maximumAttempts',
      186,
      "must be at most 185 retries (EventBridge's maximum)",
    ],
    [
      'an unknown field',
      (t: Record<string, unknown>) => (t.every = 'hour'),
      'triggers.0.every',
      'hour',
      'is not a known field: remove it or fix its spelling',
    ],
  ])('refuses %s naming the field and the fix', (_label, change, field, value, message) => {
    // Prepare
    const raw = load(REMINDERS);
    change(raw.triggers[0]);

    // Act
    const problems = problemsOf(raw, REMINDERS);

    // Assess
    expect(problems).toEqual([{ field, value, message }]);
  });

  it('refuses an input over 8 KB of JSON', () => {
    const raw = load(REMINDERS);
    raw.triggers[0].input = { blob: 'x'.repeat(8192) };

    expect(problemsOf(raw, REMINDERS)).toEqual([
      {
        field: 'triggers.0.input',
        value: raw.triggers[0].input,
        message:
          "must be at most 8192 characters of JSON (Scheduler's target input limit): pass a pointer, not the data",
      },
    ]);
  });

  it('refuses two schedules of one manifest with the same name', () => {
    // Prepare
    const raw = load(REMINDERS);
    raw.triggers.push({ ...raw.triggers[0], expression: 'rate(1 day)' });

    // Act
    const problems = problemsOf(raw, REMINDERS);

    // Assess
    expect(problems).toEqual([
      {
        field: 'triggers.1.name',
        value: 'hourly',
        message:
          'repeats the schedule name "hourly" of triggers.0: give each schedule its own name',
      },
    ]);
  });

  it('names the schedule <prefix>-<env>-<lambda>-<name>, at most 64 characters', () => {
    expect(scheduleResourceName('slipway', 'dev', 'jobs-session-reminders', 'hourly')).toBe(
      'slipway-dev-jobs-session-reminders-hourly',
    );
    expect(() =>
      scheduleResourceName(
        'slipway',
        'staging',
        'jobs-session-reminders',
        'every-hour-of-every-single-day',
      ),
    ).toThrow(
      new InvalidScheduleNameError(
        "the schedule \"every-hour-of-every-single-day\" of jobs-session-reminders would be named slipway-staging-jobs-session-reminders-every-hour-of-every-single-day (69 characters), over Scheduler's 64: shorten the schedule's name or the Lambda's",
      ),
    );
  });
});

describe('scheduleExpressionProblem', () => {
  it.each([
    'cron(0 * * * ? *)',
    'cron(0/15 8-17 ? * MON-FRI *)',
    'cron(30 9 1,15 * ? 2026-2030)',
    'cron(0 10 ? * 6L *)',
    'cron(0 10 ? * 2#1 *)',
    'cron(0 0 L * ? *)',
    'cron(0 0 15W jan-jun ? *)',
    'cron(*/5 * ? * * *)',
    'rate(1 minute)',
    'rate(15 minutes)',
    'rate(1 hour)',
    'rate(2 days)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  it.each([
    [
      '0 * * * ? *',
      'must be "cron(minutes hours day-of-month month day-of-week year)" or "rate(value unit)", e.g. "cron(0 * * * ? *)" (every hour) or "rate(15 minutes)"',
    ],
    ['cron(60 * * * ? *)', 'cron(60 * * * ? *): minutes "60" must use values 0-59'],
    ['cron(0 24 * * ? *)', 'cron(0 24 * * ? *): hours "24" must use values 0-23'],
    ['cron(0 0 32 * ? *)', 'cron(0 0 32 * ? *): day-of-month "32" must use values 1-31, or "?"'],
    ['cron(0 0 ? 13 * *)', 'cron(0 0 ? 13 * *): month "13" must use values 1-12 or JAN-DEC'],
    [
      'cron(0 0 ? * FUN *)',
      'cron(0 0 ? * FUN *): day-of-week "FUN" must use values 1-7 or SUN-SAT, or "?"',
    ],
    [
      'cron(0 0 ? * 2#6 *)',
      'cron(0 0 ? * 2#6 *): day-of-week "2#6" must have a week number from 1 to 5 after "#"',
    ],
    ['cron(0 0 * * ? 1969)', 'cron(0 0 * * ? 1969): year "1969" must use values 1970-2199'],
    [
      'cron(? 0 * * ? *)',
      'cron(? 0 * * ? *): minutes "?" cannot be "?": only day-of-month or day-of-week can',
    ],
    ['cron(*/0 * * * ? *)', 'cron(*/0 * * * ? *): minutes "*/0" must have a step of at least 1'],
    [
      'cron(0/x * * * ? *)',
      'cron(0/x * * * ? *): minutes "0/x" must have a whole-number step after "/", e.g. "*/15"',
    ],
    [
      'cron(1-2-3 * * * ? *)',
      'cron(1-2-3 * * * ? *): minutes "1-2-3" must be "*", a value, a range "a-b", a list "a,b" or a step "a/n" (0-59)',
    ],
    [
      'cron(0 9 ? * ? *)',
      'cron(0 9 ? * ? *): exactly one of day-of-month ("?") and day-of-week ("?") must be "?", e.g. "cron(0 9 * * ? *)" (every day) or "cron(0 9 ? * MON-FRI *)" (weekdays)',
    ],
    ['rate(1 hours)', 'rate(1 hours): a value of 1 takes the singular unit, "rate(1 hour)"'],
    ['rate(5 minute)', 'rate(5 minute): a value above 1 takes the plural unit, "rate(5 minutes)"'],
    ['rate(0 minutes)', 'rate(0 minutes): the value must be a whole number of at least 1'],
    ['rate(2 weeks)', 'rate(2 weeks): the unit must be minute(s), hour(s) or day(s), not "weeks"'],
    [
      'rate(hourly)',
      'rate(hourly): write "rate(value unit)" with a whole number and minute(s), hour(s) or day(s), e.g. "rate(15 minutes)"',
    ],
  ])('refuses %s saying why', (expression, message) => {
    expect(scheduleExpressionProblem(expression)).toBe(message);
  });
});

describe('timeZoneProblem', () => {
  it.each(['Europe/Paris', 'UTC', 'America/Argentina/Buenos_Aires', 'Etc/GMT+2'])(
    'accepts %s',
    (zone) => {
      expect(timeZoneProblem(zone)).toBeUndefined();
    },
  );

  it.each([
    ['europe/paris', 'must be spelled "Europe/Paris"'],
    [
      '+01:00',
      'must be an IANA time zone name such as "Europe/Paris" or "UTC" (the cron runs in it, daylight saving included)',
    ],
  ])('refuses %s', (zone, message) => {
    expect(timeZoneProblem(zone)).toBe(message);
  });
});

describe('async invocation', () => {
  it('keeps what the worker asks and fills the rest with Lambda defaults', () => {
    // Act
    const manifest = parseManifest(load(WORKER), WORKER);

    // Assess
    expect(asyncInvocation(manifest)).toEqual({
      maximumRetryAttempts: 1,
      maximumEventAgeSeconds: 21600,
    });
  });

  it('is undefined for a function nothing invokes asynchronously', () => {
    const raw = load(WORKER);
    raw.triggers = [];
    delete raw.async;

    expect(asyncInvocation(parseManifest(raw, WORKER))).toBeUndefined();
  });

  it.each([
    [
      'three retries',
      { maximumRetryAttempts: 3 },
      'async.maximumRetryAttempts',
      3,
      "must be at most 2 retries (Lambda's maximum for asynchronous invocation)",
    ],
    [
      'an event age over 6 h',
      { maximumEventAgeSeconds: 21601 },
      'async.maximumEventAgeSeconds',
      21601,
      "must be at most 21600 seconds (6 h, Lambda's maximum)",
    ],
    [
      'an event age under a minute',
      { maximumEventAgeSeconds: 59 },
      'async.maximumEventAgeSeconds',
      59,
      "must be at least 60 seconds (Lambda's minimum)",
    ],
    [
      'an unknown field',
      { onFailure: 'arn:aws:sqs:eu-west-1:111111111111:q' },
      'async.onFailure',
      'arn:aws:sqs:eu-west-1:111111111111:q',
      'is not a known field: remove it or fix its spelling',
    ],
  ])('refuses %s', (_label, async, field, value, message) => {
    expect(problemsOf({ ...load(WORKER), async }, WORKER)).toEqual([{ field, value, message }]);
  });

  it('refuses async settings on a function without an event or schedule trigger', () => {
    // Prepare
    const raw = load(WORKER);
    raw.triggers = [];

    // Act
    const problems = problemsOf(raw, WORKER);

    // Assess
    expect(problems).toEqual([
      {
        field: 'async',
        value: { maximumRetryAttempts: 1 },
        message:
          'applies to asynchronous invocations only, and no "event" or "schedule" trigger invokes this function: remove it or add such a trigger',
      },
    ]);
  });
});
