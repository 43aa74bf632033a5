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
