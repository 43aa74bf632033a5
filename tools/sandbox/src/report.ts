import type { ExecutionRecord } from './flow-runner';

/** One execution as a person reads it: where the upload went, how long each state took, what came out. */
export function describeExecution(key: string, record: ExecutionRecord): string {
  const output = (record.output ?? {}) as {
    finalized?: { manifest: { key: string }; event: { derivedCount: number } };
    quarantine?: {
      outcome: string;
      reason: string;
      event: { code: string; quarantine: { sidecar: string } };
    };
  };
  const lines = [`${key}: ${record.status} in ${record.durationMs} ms`];
  const states = record.path.filter((p) => p.status !== 'retried');
  lines.push(
    `  path: ${states.map((p) => `${p.state}${p.status === 'succeeded' ? '' : ` (${p.status})`} ${p.durationMs} ms`).join(' → ')}`,
  );
  if (output.finalized) {
    lines.push(
      `  manifest: ${output.finalized.manifest.key} (${output.finalized.event.derivedCount} derived objects)`,
    );
  }
  if (output.quarantine) {
    lines.push(
      `  ${output.quarantine.outcome}: ${output.quarantine.event.code}: ${output.quarantine.reason}`,
    );
    lines.push(`  sidecar: ${output.quarantine.event.quarantine.sidecar}`);
  }
  if (record.error) lines.push(`  error: ${record.error.error}: ${String(record.error.cause)}`);
  return lines.join('\n');
}

/** What {@link describeRouting} reads: the bus's record of puts and deliveries. */
export interface RoutingRecord {
  events: readonly { source: string; detailType: string; busName: string; id: string }[];
  routed: readonly {
    eventId: string;
    source: string;
    detailType: string;
    rule: string;
    target: string;
    outcome: string;
    attempts: number;
    error?: string;
  }[];
}

/** How the functions' asynchronous invocations ended (`sandbox.asyncInvocations`), by event id. */
export type InvocationOutcomes = readonly {
  eventId?: string;
  functionName: string;
  outcome: string;
  errors: readonly string[];
}[];

/**
 * Every event the local bus routed, as the on-call engineer reads it: one row per source,
 * detail-type, rule, target and outcome, with how many events and attempts (a dead-lettered row
 * keeps its last error), then the events no rule matched, by bus, source and detail-type. Rows
 * keep the order their first event arrived in.
 *
 * A Lambda target's delivery ends when Lambda accepts the event; what the function then did is
 * Lambda's asynchronous invocation. Given `invocations`, a row's outcome says both, e.g.
 * `delivered → dead-lettered` with the function's last error, so a poison event does not read
 * as a success.
 *
 * @example
 * describeRouting(sandbox.bus);
 * // | source | detail-type | rule | target | outcome | events | attempts | last error |
 * // | aws.s3 | Object Created | slipway-local-media-trigger | states:slipway-local-media | delivered | 7 | 7 | |
 */
export function describeRouting(bus: RoutingRecord, invocations: InvocationOutcomes = []): string {
  const grouped = new Map<string, { row: string[]; events: number; attempts: number }>();
  for (const r of bus.routed) {
    const invocation = r.target.startsWith('lambda:')
      ? invocations.find((i) => i.eventId === r.eventId && `lambda:${i.functionName}` === r.target)
      : undefined;
    const outcome = invocation ? `${r.outcome} → ${invocation.outcome}` : r.outcome;
    const error =
      invocation && invocation.outcome !== 'succeeded' ? invocation.errors.at(-1) : r.error;
    const key = JSON.stringify([r.source, r.detailType, r.rule, r.target, outcome]);
    const entry = grouped.get(key) ?? {
      row: [r.source, r.detailType, r.rule, r.target, outcome],
      events: 0,
      attempts: 0,
    };
    entry.events++;
    entry.attempts += r.attempts;
    if (error) entry.row[5] = error;
    grouped.set(key, entry);
  }
  const routedIds = new Set(bus.routed.map((r) => r.eventId));
  const unrouted = new Map<string, { row: string[]; events: number }>();
  for (const e of bus.events) {
    if (routedIds.has(e.id)) continue;
    const key = JSON.stringify([e.busName, e.source, e.detailType]);
    const entry = unrouted.get(key) ?? { row: [e.busName, e.source, e.detailType], events: 0 };
    entry.events++;
    unrouted.set(key, entry);
  }
  const lines = [
    `Events routed by the local bus: ${bus.routed.length} deliveries of ${routedIds.size} events, ${bus.routed.filter((r) => r.outcome !== 'delivered').length} dead-lettered`,
    markdownTable(
      ['source', 'detail-type', 'rule', 'target', 'outcome', 'events', 'attempts', 'last error'],
      [...grouped.values()].map(({ row, events, attempts }) => [
        ...row.slice(0, 5),
        String(events),
        String(attempts),
        row[5] ?? '',
      ]),
    ),
  ];
  if (unrouted.size)
    lines.push(
      `Matched no rule: ${[...unrouted.values()]
        .map(({ row: [bus, source, type], events }) => `${events} × ${source} ${type} on ${bus}`)
        .join('; ')}`,
    );
  return lines.join('\n');
}

/** A Markdown table, columns padded. */
export function markdownTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}
