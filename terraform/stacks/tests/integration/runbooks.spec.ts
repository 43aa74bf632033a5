/**
 * The runbooks and the alarms stay in sync (issue 15): docs/runbooks/<domain>.md regenerated
 * from the same dev plans the other integration specs read (dist/terraform/plans/dev, written by
 * `nx run stacks:plan:dev`; no second plan) are exactly the committed files; every alarm of the
 * plans has its section, every section an alarm, and every alarm description links its section.
 * Regenerate with `npm run runbooks` after changing alarms.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the generator whose output the committed runbooks must equal
import { generateRunbooks } from '../../../../tools/runbooks/src/generate';

const REPO = join(__dirname, '../../../..');
const PLANS = join(REPO, 'dist/terraform/plans/dev');
const RUNBOOKS = join(REPO, 'docs/runbooks');

interface Change {
  type: string;
  address: string;
  change: { after: { alarm_name?: string; alarm_description?: string } };
}
const stacks = existsSync(PLANS)
  ? readdirSync(PLANS)
      .filter((f) => f.endsWith('.json') && f !== 'summary.json')
      .sort()
      .map((f) => ({
        domain: f.replace(/-dev\.json$/, ''),
        changes: (JSON.parse(readFileSync(join(PLANS, f), 'utf8')).resource_changes ??
          []) as Change[],
      }))
  : [];
const alarmsOf = (changes: Change[]) =>
  changes.filter(
    (c) => c.type === 'aws_cloudwatch_metric_alarm' || c.type === 'aws_cloudwatch_composite_alarm',
  );
const committed = () =>
  Object.fromEntries(
    readdirSync(RUNBOOKS)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => [f, readFileSync(join(RUNBOOKS, f), 'utf8')]),
  );

describe('runbooks (docs/runbooks) and the alarms of the dev plan', () => {
  it('are exactly what tools/runbooks generates from the plans (regenerate: npm run runbooks)', () => {
    const generated = Object.fromEntries(generateRunbooks(PLANS));

    expect(Object.keys(generated)).toEqual([
      'edge.md',
      'etl.md',
      'jobs.md',
      'media.md',
      'users.md',
    ]);
    expect(committed()).toEqual(generated);
  });

  it('give every alarm of the plans its section and every section an alarm', () => {
    const files = committed();
    const sections = Object.fromEntries(
      Object.entries(files).map(([file, text]) => [
        file.replace(/\.md$/, ''),
        [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]!).sort(),
      ]),
    );
    const alarms = Object.fromEntries(
      stacks
        .map(
          (s) =>
            [
              s.domain,
              alarmsOf(s.changes)
                .map((c) => c.change.after.alarm_name!)
                .sort(),
            ] as const,
        )
        .filter(([, names]) => names.length),
    );

    expect(Object.values(alarms).flat().length).toBe(103);
    expect(sections).toEqual(alarms);
  });

  it('are linked from every alarm description: "Runbook: docs/runbooks/<domain>.md#<alarm name>"', () => {
    const links = stacks.flatMap((s) =>
      alarmsOf(s.changes).map((c) => {
        const { alarm_name: name, alarm_description: description } = c.change.after;
        return {
          address: `${s.domain}-dev: ${c.address}`,
          link: description?.split(' Runbook: ')[1],
          name,
          domain: s.domain,
        };
      }),
    );

    expect(links.length).toBe(103);
    for (const { address, link, name, domain } of links)
      expect({ address, link }).toEqual({ address, link: `docs/runbooks/${domain}.md#${name}` });
  });
});
