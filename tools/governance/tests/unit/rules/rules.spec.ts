/**
 * Every rule, from one table: its fixtures beside it (src/rules/<id>/fixtures/<folder>) and what
 * each must report (src/rules/<id>/fixtures/expected.yaml, see update-expected.ts). A fail
 * fixture pins its exact findings (`rule address file:line message`); the pass fixture reports nothing in
 * every profile the rule runs in, and every value the rule read there was known (a rule that met
 * an unknown and passed would be a silent pass). A value "known after apply" read from a
 * resource attribute (`aws_kms_key.x.arn`) counts as known: the resource will have it.
 */
import path from 'node:path';
import { builtinProfile, type ProfileName } from '../../../src/profiles';
import { firstBlock, resourcesOfType } from '../../../src/model';
import { RULES } from '../../../src/rules';
import { rule as ddb001 } from '../../../src/rules/slw-ddb-001';
import type { Rule } from '../../../src/rules/types';
import {
  expectations,
  expected,
  folders,
  profilesOf,
  runFixture,
  type Outcome,
  type Run,
} from './fixtures';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../../..')));

/** Each fixture run once, shared by the tests that read it. */
const runs = new Map<string, Promise<Run>>();
const run = (rule: Rule, folder: string, profile: ProfileName): Promise<Run> => {
  const key = `${rule.id}|${folder}|${profile}`;
  if (!runs.has(key)) runs.set(key, runFixture(rule, folder, profile));
  return runs.get(key)!;
};

/** The comparison every case makes: exact findings and warnings, in order. */
const assertOutcome = (got: Outcome, want: Outcome) =>
  expect({ findings: got.findings, warnings: got.warnings }).toEqual(want);

describe.each(RULES.map((r) => [r.id, r] as const))('%s', (_, rule) => {
  const all = expectations(rule);
  const present = folders(rule);

  it('has a pass and a fail fixture beside it, and every fixture folder is in expected.yaml', () => {
    expect(['fail', 'pass'].filter((f) => present.includes(f))).toEqual(['fail', 'pass']);
    // pass is not listed (it reports nothing); every other folder is pinned or explained.
    expect(all.pass).toBeUndefined();
    expect(present.filter((f) => f !== 'pass' && all[f] === undefined)).toEqual([]);
    expect(Object.keys(all).filter((f) => !present.includes(f))).toEqual([]);
    // Each pinned folder names exactly the profiles the rule runs in.
    for (const [folder, entry] of Object.entries(all))
      if (typeof entry !== 'string')
        expect([folder, Object.keys(entry)]).toEqual([folder, profilesOf(rule)]);
  });

  it("reports with the rule's severity and title (cannot verify: the profile's unknowns severity), and a fix", async () => {
    for (const profile of profilesOf(rule))
      for (const f of (await run(rule, 'fail', profile)).raw)
        expect([f.address, f.severity, f.title, f.fix.length >= 20]).toEqual([
          f.address,
          f.unverified ? builtinProfile(profile).unknowns.severity : rule.severity,
          rule.title,
          true,
        ]);
  });

  const cases = present.flatMap((folder) =>
    typeof all[folder] === 'string' ? [] : profilesOf(rule).map((p) => [folder, p] as const),
  );
  it.each(cases)('%s (%s): reports exactly what expected.yaml pins', async (folder, profile) => {
    const want = expected(all, folder, profile);
    expect(want).not.toBeUndefined();
    assertOutcome(await run(rule, folder, profile), want!);
  });

  it.each(profilesOf(rule))('pass (%s): every value the rule read was known', async (profile) => {
    const { reads } = await run(rule, 'pass', profile);
    expect(reads.filter((r) => r.kind !== 'apply')).toEqual([]);
  });
});

describe('the table can fail', () => {
  it('planting a wrong address in any fail expectation fails the comparison', async () => {
    const planted: string[] = [];
    for (const rule of RULES)
      for (const profile of profilesOf(rule)) {
        const want = expected(expectations(rule), 'fail', profile);
        if (!want?.findings.length) continue;
        const [id, address, ...rest] = want.findings[0].split(' ');
        const wrong = {
          ...want,
          findings: [[id, `${address}_planted`, ...rest].join(' '), ...want.findings.slice(1)],
        };
        const got = await run(rule, 'fail', profile);
        assertOutcome(got, want);
        expect(() => assertOutcome(got, wrong)).toThrow(`${address}_planted`);
        planted.push(`${rule.id} ${profile}`);
      }
    // Every rule has a fail expectation with findings in at least one profile.
    expect(new Set(planted.map((p) => p.split(' ')[0])).size).toBe(RULES.length);
  });

  it('a rule that meets an unknown and passes anyway is caught by the read check', async () => {
    // SLW-DDB-001 as a careless author might write it: reads the flag, reports nothing.
    const silent: Rule = {
      ...ddb001,
      check(model) {
        for (const t of resourcesOfType(model, 'aws_dynamodb_table'))
          void (firstBlock(t.attributes, 'server_side_encryption') as Record<string, unknown>)
            ?.enabled;
        return [];
      },
    };

    const { findings, warnings, reads } = await runFixture(silent, 'unknown', 'strict');

    expect({ findings, warnings }).toEqual({ findings: [], warnings: [] });
    expect(reads.map((r) => `${r.address} ${r.path} ${r.kind} ${r.expression}`)).toEqual([
      'aws_dynamodb_table.unknown server_side_encryption[0].enabled unresolved var.encrypted',
    ]);
  });
});
