import { describeRouting } from './report';
import { sampleSessions, seedSessions } from './sample-sessions';
import type { Sandbox } from './sandbox';
import { describeFiring } from './session-reminders-demo';

/**
 * `npm run sandbox -- --fire <schedule> [--seed]`: fires one schedule now on a started sandbox
 * and tells what happened: the sample sessions written first when `seed` (relative to now, so
 * every run finds the same ones due), the firing (input, attempts, the run's counts), every event
 * the run put on the bus, and how the bus routed them.
 *
 * @returns the text to print, and whether the run succeeded (the CLI's exit status).
 */
export async function fireSchedule(
  sandbox: Sandbox,
  schedule: string,
  options: { seed?: boolean; at?: Date } = {},
): Promise<{ text: string; ok: boolean }> {
  const at = options.at ?? new Date();
  const lines: string[] = [];
  if (options.seed) {
    const sessions = sampleSessions(at);
    await seedSessions(sandbox.dynamoDb, sessions);
    lines.push(
      `Seeded ${sessions.length} sample sessions into ${sandbox.dynamoDb!.tables.sessions}:`,
    );
    for (const s of sessions)
      lines.push(`  ${s.sessionId} at ${s.startsAt}${s.due ? ' (due within the hour)' : ''}`);
  }
  const before = sandbox.bus.events.length;
  const firing = await sandbox.fire(schedule, { at });
  await sandbox.idle();
  lines.push(describeFiring(firing));
  const events = sandbox.bus.events.slice(before);
  lines.push(`Events put on the bus by the run: ${events.length}`);
  for (const e of events)
    lines.push(
      `  ${e.busName}: ${e.detailType} from ${e.source} (id ${e.id}) ${JSON.stringify(e.detail)}`,
    );
  lines.push(describeRouting(sandbox.bus, sandbox.asyncInvocations));
  return { text: lines.join('\n'), ok: firing.outcome === 'succeeded' };
}
