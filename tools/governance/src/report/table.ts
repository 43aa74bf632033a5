import type { ScanResult } from '../engine';
import { location, sorted, status } from './common';

/** Console table: rule, severity, address, file:line, message and fix. */
export function toTable(result: ScanResult): string {
  const rows = sorted(result.findings).map((f) => [
    f.ruleId,
    f.severity + (status(f) === 'open' ? '' : ` (${status(f)})`),
    f.address,
    location(f),
    `${f.message}${f.waived ? ` [waived by ${f.waived.source}: ${f.waived.reason}]` : ''}${f.allowed ? ` [${f.allowed}]` : ''}`,
    f.fix,
  ]);
  const header = ['RULE', 'SEVERITY', 'ADDRESS', 'FILE:LINE', 'MESSAGE', 'FIX'];
  const widths = header
    .slice(0, 4)
    .map((h, i) => Math.min(70, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (r: string[]) =>
    [...r.slice(0, 4).map((c, i) => c.padEnd(widths[i])), r[4]].join('  ') +
    (r[5] ? `\n${' '.repeat(4)}fix: ${r[5]}` : '');
  const out = [
    `governance: profile ${result.profile.name}, ${result.resourceCount} resources, ${result.rules.length} rules`,
  ];
  if (rows.length) out.push(line(header.slice(0, 5).concat([''])), ...rows.map(line));
  else out.push('no findings');
  const br = Object.entries(result.blastRadius);
  if (br.length)
    out.push(
      '',
      'blast radius:',
      ...br.map(
        ([s, b]) =>
          `  ${s}: ${b.create} create, ${b.update} update, ${b.delete} delete, ${b.replace} replace`,
      ),
    );
  for (const w of result.warnings) out.push(`warning: ${w}`);
  return out.join('\n') + '\n';
}
