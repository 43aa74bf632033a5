import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as z from 'zod';
import {
  SendSessionReminderEventSchema,
  SessionItemSchema,
  SessionReminderScheduleInputSchema,
} from '../../src';

// The reminder job's contracts (tests/events/jobs/<contract>.json): each broken case clones the
// valid fixture, changes one field and names the one issue zod must report.

type Json = Record<string, unknown>;
type Break = [what: string, change: (f: Json) => void, issue: { path: string; message: string }];

const fixture = (file: string): Json =>
  JSON.parse(readFileSync(join(__dirname, '../events/jobs', file), 'utf8'));
const detail = (f: Json) => f.detail as Json;

const contracts: [name: string, schema: z.ZodType, file: string, breaks: Break[]][] = [
  [
    'SessionItemSchema',
    SessionItemSchema,
    'session-item.json',
    [
      [
        'a start with an offset (another spelling sorts elsewhere)',
        (f) => (f.startsAt = '2026-12-02T10:15:00+01:00'),
        {
          path: 'startsAt',
          message:
            'must be a UTC instant as toISOString writes it, e.g. "2026-12-02T09:30:00.000Z"',
        },
      ],
      [
        'a start without milliseconds',
        (f) => (f.startsAt = '2026-12-02T09:15:00Z'),
        {
          path: 'startsAt',
          message:
            'must be a UTC instant as toISOString writes it, e.g. "2026-12-02T09:30:00.000Z"',
        },
      ],
      [
        'an impossible date',
        (f) => {
          f.startsAt = '2026-13-02T09:15:00.000Z';
          f.startHour = '2026-13-02T09';
        },
        { path: 'startsAt', message: 'must be a real date and time' },
      ],
      [
        'a start hour that is not the start’s',
        (f) => (f.startHour = '2026-12-02T10'),
        {
          path: 'startHour',
          message: 'must be the first 13 characters of startsAt (its UTC hour)',
        },
      ],
      [
        'a start hour with minutes',
        (f) => (f.startHour = '2026-12-02T09:00'),
        { path: 'startHour', message: 'must be the UTC hour, e.g. "2026-12-02T09"' },
      ],
      [
        'no title',
        (f) => delete f.title,
        { path: 'title', message: 'Invalid input: expected string, received undefined' },
      ],
    ],
  ],
  [
    'SessionReminderScheduleInputSchema',
    SessionReminderScheduleInputSchema,
    'scheduled-run.json',
    [
      [
        'the placeholder left unreplaced',
        (f) => (f.scheduledTime = '<aws.scheduler.scheduled-time>'),
        { path: 'scheduledTime', message: 'Invalid ISO datetime' },
      ],
      [
        'an extra field',
        (f) => (f.window = 'next-hour'),
        { path: '', message: 'Unrecognized key: "window"' },
      ],
    ],
  ],
  [
    'SendSessionReminderEventSchema',
    SendSessionReminderEventSchema,
    'send-session-reminder.json',
    [
      [
        'another detail-type',
        (f) => (f['detail-type'] = 'SessionConfirmed'),
        { path: 'detail-type', message: 'Invalid input: expected "SendSessionReminder"' },
      ],
      [
        'no reminder id',
        (f) => delete detail(f).reminderId,
        {
          path: 'detail.reminderId',
          message: 'Invalid input: expected string, received undefined',
        },
      ],
    ],
  ],
];

describe.each(contracts)('%s', (_name, schema, file, breaks) => {
  it(`accepts ${file}`, () => {
    expect(schema.parse(fixture(file))).toEqual(fixture(file));
  });

  it.each(breaks)('refuses %s', (_what, change, issue) => {
    // Prepare
    const broken = fixture(file);
    change(broken);

    // Act
    const result = schema.safeParse(broken);

    // Assess
    expect(result.success).toBe(false);
    expect(
      result.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    ).toEqual([issue]);
  });
});
