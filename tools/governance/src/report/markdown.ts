import type { ScanResult } from '../engine';
import { location, sorted, status } from './common';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown summary for a PR comment: counts, open findings, waived ones folded, blast radius. */
export function toMarkdown(result: ScanResult): string {
  const open = sorted(result.findings.filter((f) => status(f) === 'open'));
  const other = sorted(result.findings.filter((f) => status(f) !== 'open'));
  const count = (s: string) => open.filter((f) => f.severity === s).length;
  const out = [
    `### Governance (${result.profile.name}): ${open.length ? `${open.length} open finding(s)` : 'no open findings'}`,
    '',
    `critical ${count('critical')} · high ${count('high')} · medium ${count('medium')} · low ${count('low')} · waived/allowed ${other.length} · ${result.resourceCount} resources checked`,
    '',
  ];
  if (open.length)
    out.push(
      '| Rule | Severity | Address | Location | Finding | Fix |',
      '| --- | --- | --- | --- | --- | --- |',
      ...open.map(
        (f) =>
          `| ${f.ruleId} | ${f.severity} | \`${cell(f.address)}\` | ${cell(location(f))} | ${cell(f.message)} | ${cell(f.fix)} |`,
      ),
      '',
    );
  if (other.length)
    out.push(
      '<details><summary>Waived or allowed</summary>',
      '',
      '| Rule | Address | Why |',
      '| --- | --- | --- |',
      ...other.map(
        (f) =>
          `| ${f.ruleId} | \`${cell(f.address)}\` | ${cell(f.waived ? `${f.waived.reason} (${f.waived.owner}, until ${f.waived.expires})` : (f.allowed ?? ''))} |`,
      ),
      '',
      '</details>',
      '',
    );
  const br = Object.entries(result.blastRadius);
  if (br.length)
    out.push(
      '| Stack | Create | Update | Delete | Replace |',
      '| --- | --- | --- | --- | --- |',
      ...br.map(([s, b]) => `| ${s} | ${b.create} | ${b.update} | ${b.delete} | ${b.replace} |`),
      '',
    );
  for (const w of result.warnings) out.push(`> ⚠️ ${w}`);
  return out.join('\n') + '\n';
}
