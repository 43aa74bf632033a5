import type { ScanResult } from '../engine';
import { location, status } from './common';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * JUnit XML: one testsuite per rule, one testcase per finding (failure when open, skipped
 * when waived or allowed), and a passing testcase for a rule without findings, so CI test
 * dashboards show what was checked.
 */
export function toJunit(result: ScanResult): string {
  const suites = result.rules.map((rule) => {
    const fs = result.findings.filter((f) => f.ruleId === rule.id);
    const failures = fs.filter((f) => status(f) === 'open').length;
    const skipped = fs.length - failures;
    const cases = fs.length
      ? fs.map((f) => {
          const name = esc(`${f.address} (${location(f)})`);
          if (status(f) !== 'open')
            return `    <testcase classname="${rule.id}" name="${name}"><skipped message="${esc(f.waived ? `waived: ${f.waived.reason}` : (f.allowed ?? ''))}"/></testcase>`;
          return `    <testcase classname="${rule.id}" name="${name}"><failure type="${f.severity}" message="${esc(f.message)}">${esc(`${f.message}\nfix: ${f.fix}\nat: ${location(f)}`)}</failure></testcase>`;
        })
      : [`    <testcase classname="${rule.id}" name="${esc(rule.title)}"/>`];
    return `  <testsuite name="${rule.id} ${esc(rule.title)}" tests="${Math.max(1, fs.length)}" failures="${failures}" skipped="${skipped}" errors="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const total = result.rules.reduce(
    (n, r) => n + Math.max(1, result.findings.filter((f) => f.ruleId === r.id).length),
    0,
  );
  const failures = result.findings.filter((f) => status(f) === 'open').length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="slipway-governance (${result.profile.name})" tests="${total}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
