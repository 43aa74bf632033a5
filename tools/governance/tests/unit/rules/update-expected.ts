/**
 * Prints what each rule's fixture folders report now, as `expected.yaml`, or with `--write`
 * rewrites the files: for a new rule or a changed fixture. Read the diff before committing: the
 * file is the rule's specification, and a finding on the wrong address is a bug to fix, not a
 * line to keep.
 *
 *   npx tsx tools/governance/tests/unit/rules/update-expected.ts [--write] [SLW-S3-001 …]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { RULES } from '../../../src/rules';
import {
  expectations,
  fixturesOf,
  folders,
  profilesOf,
  runFixture,
  type Expectations,
} from './fixtures';

const HEADER = (id: string) =>
  `# ${id}: what each fixture folder reports, per profile (tests/unit/rules/rules.spec.ts).
# "<rule> <address> <file>:<line> <message>", file relative to the folder. pass reports nothing
# in every profile, and every value the rule reads there is known. A string instead of
# profiles: the folder is not scanned on its own (why).
`;

async function main(): Promise<void> {
  const write = process.argv.includes('--write');
  const ids = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  process.chdir(path.resolve(__dirname, '../../../../..'));
  for (const rule of RULES.filter((r) => !ids.length || ids.includes(r.id))) {
    const before = expectations(rule);
    const after: Expectations = {};
    for (const folder of folders(rule)) {
      if (typeof before[folder] === 'string') {
        after[folder] = before[folder];
        continue;
      }
      const entry: Record<string, unknown> = {};
      for (const profile of profilesOf(rule)) {
        const { findings, warnings } = await runFixture(rule, folder, profile);
        if (folder === 'pass' && !findings.length && !warnings.length) continue;
        entry[profile] = warnings.length ? { findings, warnings } : findings;
      }
      if (Object.keys(entry).length) after[folder] = entry;
    }
    const text = `${HEADER(rule.id)}${Object.keys(after).length ? stringify(after, { lineWidth: 0 }) : '{}\n'}`;
    if (write) writeFileSync(path.join(fixturesOf(rule), 'expected.yaml'), text);
    else process.stdout.write(`--- ${rule.id}\n${text}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
