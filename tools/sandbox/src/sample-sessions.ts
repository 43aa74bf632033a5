import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type SessionItem, SessionItemSchema } from '@slipway/events';
import type { LocalDynamoDb } from './local-dynamodb';

/**
 * Sample sessions for the reminder job (dev-only): start times are relative to the time the
 * schedule fires, so a run at any hour finds the same sessions due. The hourly run at t reminds of
 * the sessions starting in [t, t + 1 h).
 */
export const SAMPLE_SESSIONS: readonly {
  sessionId: string;
  title: string;
  /** Start relative to the fire time, in minutes. */
  startsInMinutes: number;
  /** Whether the run at the fire time reminds of it. */
  due: boolean;
}[] = [
  { sessionId: 'ses-sample-started', title: 'Warm-up (started)', startsInMinutes: -5, due: false },
  { sessionId: 'ses-sample-now', title: 'Portrait lighting, live', startsInMinutes: 0, due: true },
  { sessionId: 'ses-sample-soon', title: 'Colour grading Q&A', startsInMinutes: 25, due: true },
  { sessionId: 'ses-sample-last', title: 'Editing clinic', startsInMinutes: 59, due: true },
  { sessionId: 'ses-sample-next', title: 'Next hour: lenses', startsInMinutes: 60, due: false },
  { sessionId: 'ses-sample-tomorrow', title: 'Tomorrow: audio', startsInMinutes: 1440, due: false },
];

/** A session item as the sessions service writes it (UTC, `toISOString`). */
export function sessionItem(sessionId: string, title: string, startsAt: Date): SessionItem {
  const iso = startsAt.toISOString();
  return SessionItemSchema.parse({ sessionId, title, startsAt: iso, startHour: iso.slice(0, 13) });
}

/**
 * The sample sessions for a run fired at `at`, relative to its scheduled time (`at` to the
 * second, as Scheduler's `<aws.scheduler.scheduled-time>` is).
 */
export function sampleSessions(at: Date): (SessionItem & { due: boolean })[] {
  const scheduled = Math.floor(at.getTime() / 1000) * 1000;
  return SAMPLE_SESSIONS.map((s) => ({
    ...sessionItem(s.sessionId, s.title, new Date(scheduled + s.startsInMinutes * 60_000)),
    due: s.due,
  }));
}

/**
 * Writes `sessions` to the sandbox's `sessions` table, each checked against the table's
 * contract first.
 *
 * @throws {Error} when the sandbox has no sessions table (no manifest names `table:sessions`).
 */
export async function seedSessions(
  dynamoDb: LocalDynamoDb | undefined,
  sessions: readonly SessionItem[],
): Promise<void> {
  const table = dynamoDb?.tables.sessions;
  if (!dynamoDb || !table)
    throw new Error(
      'The sandbox has no sessions table: no manifest names "read table:sessions". Package jobs-session-reminders (npx nx run jobs-session-reminders:package).',
    );
  const client = DynamoDBDocumentClient.from(dynamoDb.client);
  for (const session of sessions)
    await client.send(new PutCommand({ TableName: table, Item: SessionItemSchema.parse(session) }));
}
