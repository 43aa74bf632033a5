import { readdirSync } from 'node:fs';
import path from 'node:path';
import { scan } from '../../../src/engine';
import type { ProfileName } from '../../../src/profiles';
import type { Finding } from '../../../src/rules/types';

/** Folder of the pass/fail fixtures of one rule. */
export function fixtureDir(ruleId: string, variant: string): string {
  return path.join(__dirname, '../../../src/rules', ruleId.toLowerCase(), 'fixtures', variant);
}

/** Scans a rule's fixture (HCL folder, or the plan JSON files in it) with only that rule. */
export async function runRule(
  ruleId: string,
  variant: string,
  profile: ProfileName = 'baseline',
): Promise<Finding[]> {
  const dir = fixtureDir(ruleId, variant);
  const files = readdirSync(dir);
  const plans = files.filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
  const result = await scan({
    hcl: plans.length ? [] : [dir],
    plans,
    profile,
    onlyRules: [ruleId],
    allowDestroy: [],
  });
  return result.findings;
}
