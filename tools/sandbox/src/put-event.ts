import * as z from 'zod';
import { describeDeadLetters } from './async-invoke';
import { describeRouting } from './report';
import type { Sandbox } from './sandbox';

/**
 * What `npm run sandbox -- --put-event '<json>'` takes: one event as a service would publish it,
 * on a bus the manifests name by its logical name (`platform` → `slipway-local-platform`).
 */
export const PutEventInputSchema = z.strictObject({
  bus: z
    .string()
    .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be a logical bus name, e.g. "platform"')
    .default('platform'),
  source: z
    .string({ error: 'must name the publisher, e.g. "slipway.sessions"' })
    .min(1, 'must name the publisher, e.g. "slipway.sessions"'),
  'detail-type': z
    .string({ error: 'must name the event, e.g. "SessionConfirmed"' })
    .min(1, 'must name the event, e.g. "SessionConfirmed"'),
  detail: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }),
});

/** What one put did: the text to print, whether everything was delivered, and the same as data. */
export interface PutEventResult {
  text: string;
  ok: boolean;
  summary: {
    eventId: string;
    routed: [detailType: string, rule: string, target: string, outcome: string][];
    invocations: {
      functionName: string;
      outcome: string;
      attempts: number;
      result?: unknown;
      errors: string[];
    }[];
    deadLetters: number;
  };
}

/**
 * Puts one event on the sandbox's bus and waits until every rule's delivery and every
 * asynchronous invocation it started has ended. `ok` is false when the event matched no rule,
 * or anything ended in a dead-letter queue (the bus's or a function's).
 *
 * @throws Error naming the field when `json` is not a valid event (see {@link PutEventInputSchema}).
 */
export async function putEvent(sandbox: Sandbox, json: string): Promise<PutEventResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(
      `--put-event is not JSON (${(error as Error).message}): pass e.g. '{"bus":"platform","source":"slipway.sessions","detail-type":"SessionConfirmed","detail":{…}}'.`,
    );
  }
  const parsed = PutEventInputSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `--put-event: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ')}`,
    );
  const entry = parsed.data;
  const routedBefore = sandbox.bus.routed.length;
  const invocationsBefore = sandbox.asyncInvocations.length;
  const lettersBefore = sandbox.deadLetters.length + sandbox.bus.deadLetters.length;
  const {
    Entries: [{ EventId: eventId }],
  } = sandbox.bus.put([
    {
      EventBusName: `slipway-local-${entry.bus}`,
      Source: entry.source,
      DetailType: entry['detail-type'],
      Detail: entry.detail,
    },
  ]);
  await sandbox.idle();
  const routed = sandbox.bus.routed.slice(routedBefore);
  const invocations = sandbox.asyncInvocations.slice(invocationsBefore);
  const deadLetters = sandbox.deadLetters.length + sandbox.bus.deadLetters.length - lettersBefore;
  const summary: PutEventResult['summary'] = {
    eventId,
    routed: routed.map((r) => [r.detailType, r.rule, r.target, r.outcome]),
    invocations: invocations.map((i) => ({
      functionName: i.functionName,
      outcome: i.outcome,
      attempts: i.attempts,
      ...(i.result !== undefined ? { result: i.result } : {}),
      errors: i.errors,
    })),
    deadLetters,
  };
  const lines = [
    `Put ${entry['detail-type']} from ${entry.source} on slipway-local-${entry.bus} (id ${eventId}): ${routed.length ? `${routed.length} rule(s) matched` : 'no rule matched'}`,
    ...invocations.map(
      (i) =>
        `  ${i.functionName}: ${i.outcome} after ${i.attempts} attempt(s)${i.errors.length ? `; ${distinct(i.errors).join('; ')}` : ''}`,
    ),
    describeRouting(sandbox.bus, sandbox.asyncInvocations),
    describeDeadLetters(sandbox.deadLetters),
  ];
  return { text: lines.join('\n'), ok: routed.length > 0 && deadLetters === 0, summary };
}

/** Each failure once, with how many attempts ended with it: `EventParseError: … (×3)`. */
function distinct(errors: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
  return [...counts].map(([e, n]) => (n > 1 ? `${e} (×${n})` : e));
}
