import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  type SendSessionReminderDetail,
  SessionItemSchema,
  type SessionReminderScheduleInput,
} from '@slipway/events';
import { type FailedReminder, ReminderPublishError } from '../errors';
import {
  backoffDelayMs,
  chunk,
  PUT_EVENTS_MAX_ENTRIES,
  REMINDER_PUT_ATTEMPTS,
  reminderDetail,
  reminderEntry,
  reminderIdOf,
  reminderWindow,
  type ReminderWindow,
  SESSIONS_BY_START_HOUR_INDEX,
  type SessionRemindersConfig,
} from '../reminders';

/**
 * Per-entry PutEvents error codes no retry can fix (a malformed entry, a missing permission):
 * such an entry fails the run at once. Others (`InternalFailure`, `ThrottlingException`) are
 * transient and retried. https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html
 */
const PERMANENT_ENTRY_ERRORS = new Set([
  'InvalidArgument',
  'MalformedDetail',
  'AccessDeniedException',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
]);

/** Where the run's counts go: the function's Powertools `Metrics` (flushed by the handler). */
export interface ReminderMetrics {
  addMetric(name: string, unit: typeof MetricUnit.Count, value: number): unknown;
}

/** What the reminder job needs, built once per execution environment. */
export interface SessionRemindersDependencies {
  readonly dynamoDb: DynamoDBDocumentClient;
  readonly eventBridge: EventBridgeClient;
  readonly config: SessionRemindersConfig;
  /** The function's Powertools metrics: the run's counts are added to it (flushed by the handler). */
  readonly metrics?: ReminderMetrics;
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
  /** Waits between retries of failed entries (`setTimeout`; tests pass one that returns at once). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The jitter's randomness, in [0, 1). */
  readonly random?: () => number;
  /** The mark's `remindedAt`. */
  readonly now?: () => Date;
}

/** What one run did. */
export interface SessionRemindersOutcome {
  readonly window: Pick<ReminderWindow, 'from' | 'to'>;
  /** Sessions in the window whose item is valid. */
  readonly found: number;
  /** Reminder ids published by this run, in start order. */
  readonly published: readonly string[];
  /** Reminder ids a previous run already published (the session's mark), not sent again. */
  readonly skipped: readonly string[];
  /** Session ids whose item fails {@link SessionItemSchema}: logged and left out. */
  readonly invalid: readonly string[];
  /** Entries sent again after PutEvents reported them failed. */
  readonly retriedEntries: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The hourly reminder run: finds the sessions starting in [t, t + 1 h) (`t` the schedule's
 * scheduled time) on the `by-start-hour` index, every page of each hour partition; publishes one
 * `SendSessionReminder` per session not yet reminded, in PutEvents calls of 10, sending again
 * only the entries PutEvents reports failed (exponential backoff with jitter, at most
 * {@link REMINDER_PUT_ATTEMPTS} tries each); and, after each call's entries are on the bus,
 * marks their sessions (`reminderId`, `remindedAt`), so a run that dies halfway and runs again
 * sends only what it had not sent. The counts go to the metrics (also when the run fails).
 *
 * @throws {ReminderPublishError} listing the reminders still failing, after publishing and
 *   marking all the others (a permanent entry error, tries exhausted, or a PutEvents call that
 *   failed as a whole, which stops the run).
 */
export async function sendSessionReminders(
  input: SessionReminderScheduleInput,
  deps: SessionRemindersDependencies,
): Promise<SessionRemindersOutcome> {
  const window = reminderWindow(input.scheduledTime);
  const counts = { found: 0, published: [] as string[], skipped: [] as string[], retried: 0 };
  const invalid: string[] = [];
  try {
    const due: SendSessionReminderDetail[] = [];
    for await (const raw of sessionsIn(window, deps)) {
      const parsed = SessionItemSchema.safeParse(raw);
      if (!parsed.success) {
        const sessionId = String(raw.sessionId ?? '(no sessionId)');
        invalid.push(sessionId);
        deps.logger?.warn('Session item left out: it does not match the sessions table contract', {
          sessionId,
          issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        });
        continue;
      }
      counts.found++;
      if (parsed.data.reminderId === reminderIdOf(parsed.data))
        counts.skipped.push(parsed.data.reminderId);
      else due.push(reminderDetail(parsed.data, input.scheduledTime));
    }

    const failed: FailedReminder[] = [];
    for (const batch of chunk(due, PUT_EVENTS_MAX_ENTRIES)) {
      const result = await publish(batch, deps);
      counts.retried += result.retried;
      await markReminded(result.published, deps);
      counts.published.push(...result.published.map((d) => d.reminderId));
      failed.push(...result.failed);
      if (result.fatal)
        throw new ReminderPublishError(
          `PutEvents failed as a whole on ${deps.config.busName} (${errorText(result.fatal)}) after ${counts.published.length} reminder(s) of the run at ${input.scheduledTime} were published and marked; ` +
            `the run stops here. Run the hour again (Lambda retries it) once EventBridge answers: only the reminders not marked are sent.`,
          [...failed, ...unsent(due, counts.published, failed)],
          { cause: result.fatal },
        );
    }
    if (failed.length)
      throw new ReminderPublishError(
        `${failed.length} reminder(s) of the run at ${input.scheduledTime} were not published on ${deps.config.busName}: ` +
          `${failed.map((f) => `${f.reminderId} (${f.errorCode}: ${f.errorMessage})`).join('; ')}. ` +
          `The ${counts.published.length} published are marked: running the hour again sends only these.`,
        failed,
      );
    return {
      window: { from: window.from, to: window.to },
      found: counts.found,
      published: counts.published,
      skipped: counts.skipped,
      invalid,
      retriedEntries: counts.retried,
    };
  } finally {
    const metric = (name: string, value: number) =>
      deps.metrics?.addMetric(name, MetricUnit.Count, value);
    metric('SessionsFound', counts.found);
    metric('RemindersPublished', counts.published.length);
    metric('RemindersSkipped', counts.skipped.length);
    metric('ReminderEntriesRetried', counts.retried);
    metric('InvalidSessions', invalid.length);
  }
}

/** Every item of the window's hour partitions, page after page (`LastEvaluatedKey`). */
async function* sessionsIn(
  window: ReminderWindow,
  deps: SessionRemindersDependencies,
): AsyncGenerator<Record<string, unknown>> {
  for (const query of window.queries) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await deps.dynamoDb.send(
        new QueryCommand({
          TableName: deps.config.tableName,
          IndexName: SESSIONS_BY_START_HOUR_INDEX,
          KeyConditionExpression: `#hour = :hour AND #startsAt ${query.bound.op} :startsAt`,
          ExpressionAttributeNames: { '#hour': 'startHour', '#startsAt': 'startsAt' },
          ExpressionAttributeValues: {
            ':hour': query.startHour,
            ':startsAt': query.bound.startsAt,
          },
          ExclusiveStartKey: start,
        }),
      );
      yield* page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }
}

interface BatchResult {
  published: SendSessionReminderDetail[];
  failed: FailedReminder[];
  retried: number;
  /** The error of a PutEvents call that failed as a whole (after the SDK's own retries). */
  fatal?: unknown;
}

/** One batch of at most 10: PutEvents, then again with only the failed, transient entries. */
async function publish(
  batch: SendSessionReminderDetail[],
  deps: SessionRemindersDependencies,
): Promise<BatchResult> {
  const result: BatchResult = { published: [], failed: [], retried: 0 };
  let pending = batch;
  for (let attempt = 1; pending.length; attempt++) {
    if (attempt > 1) {
      result.retried += pending.length;
      await (deps.sleep ?? wait)(backoffDelayMs(attempt - 1, deps.random ?? Math.random));
    }
    let entries: PutEventsResultEntry[];
    try {
      const response = await deps.eventBridge.send(
        new PutEventsCommand({
          Entries: pending.map((detail) => reminderEntry(detail, deps.config.busName)),
        }),
      );
      entries = response.Entries ?? [];
    } catch (error) {
      const code = (error as { name?: string }).name ?? 'Error';
      result.failed.push(
        ...pending.map((d) => ({
          reminderId: d.reminderId,
          errorCode: code,
          errorMessage: (error as Error).message,
        })),
      );
      return { ...result, fatal: error };
    }
    const retry: SendSessionReminderDetail[] = [];
    for (const [i, detail] of pending.entries()) {
      const entry = entries[i];
      // The response's entries are in the request's order; an entry with an EventId is on the bus.
      if (entry?.EventId && !entry.ErrorCode) {
        result.published.push(detail);
        continue;
      }
      const errorCode = entry?.ErrorCode ?? 'MissingResultEntry';
      if (!PERMANENT_ENTRY_ERRORS.has(errorCode) && attempt < REMINDER_PUT_ATTEMPTS) {
        retry.push(detail);
        continue;
      }
      result.failed.push({
        reminderId: detail.reminderId,
        errorCode,
        errorMessage: entry?.ErrorMessage ?? 'PutEvents returned no result for this entry',
      });
    }
    if (retry.length)
      deps.logger?.warn('PutEvents refused entries: sending those again', {
        attempt,
        reminderIds: retry.map((d) => d.reminderId),
      });
    pending = retry;
  }
  return result;
}

/**
 * Marks the sessions whose reminders are on the bus. The condition on `startsAt` leaves a session
 * alone that moved (or went) since the Query: its new start is another reminder.
 */
async function markReminded(
  published: SendSessionReminderDetail[],
  deps: SessionRemindersDependencies,
): Promise<void> {
  const remindedAt = (deps.now?.() ?? new Date()).toISOString();
  await Promise.all(
    published.map(async (detail) => {
      try {
        await deps.dynamoDb.send(
          new UpdateCommand({
            TableName: deps.config.tableName,
            Key: { sessionId: detail.sessionId },
            UpdateExpression: 'SET #reminderId = :reminderId, #remindedAt = :remindedAt',
            ConditionExpression: '#startsAt = :startsAt',
            ExpressionAttributeNames: {
              '#reminderId': 'reminderId',
              '#remindedAt': 'remindedAt',
              '#startsAt': 'startsAt',
            },
            ExpressionAttributeValues: {
              ':reminderId': detail.reminderId,
              ':remindedAt': remindedAt,
              ':startsAt': detail.startsAt,
            },
          }),
        );
      } catch (error) {
        // By name: the SDK's exception class may be another copy's than this module's.
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
        deps.logger?.info('Session moved or removed after its reminder was sent: not marked', {
          reminderId: detail.reminderId,
        });
      }
    }),
  );
}

/** The due reminders neither published nor already listed as failed (after a fatal call). */
function unsent(
  due: SendSessionReminderDetail[],
  published: string[],
  failed: FailedReminder[],
): FailedReminder[] {
  const done = new Set([...published, ...failed.map((f) => f.reminderId)]);
  return due
    .filter((d) => !done.has(d.reminderId))
    .map((d) => ({
      reminderId: d.reminderId,
      errorCode: 'NotAttempted',
      errorMessage: 'the run stopped before this batch',
    }));
}

function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
}
