import path from 'node:path';
import { buildModel, scan } from '../../../src/engine';
import { isUnknown, type Resource } from '../../../src/model';
import type { ProfileName } from '../../../src/profiles';
import { RULES } from '../../../src/rules';
import { rule as ddb001 } from '../../../src/rules/slw-ddb-001';
import { rule as ddb002 } from '../../../src/rules/slw-ddb-002';
import { rule as ddb003 } from '../../../src/rules/slw-ddb-003';
import type { Finding, Rule } from '../../../src/rules/types';
import { fixtureDir, runRule } from './run-rule';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../../..')));

/** One line per finding: rule, address, file:line, message. */
const lines = (findings: Finding[]) =>
  findings
    .map((f) => `${f.ruleId} ${f.address} ${path.basename(f.file ?? '')}:${f.line} ${f.message}`)
    .sort();

const DDB_RULES = ['SLW-DDB-001', 'SLW-DDB-002', 'SLW-DDB-003'];

/** The `aws_dynamodb_table` resources of a model, by address. */
const tables = (resources: Resource[]) =>
  Object.fromEntries(
    resources.filter((r) => r.type === 'aws_dynamodb_table').map((r) => [r.address, r]),
  );

/**
 * The DynamoDB rules. Each fail fixture is its pass fixture with one field broken per table
 * (block removed, or `enabled`/`deletion_protection_enabled` false); the third table, whose
 * value comes from a variable without a default, is unknown (fixtures/unknown holds it alone):
 * under strict a "cannot verify" finding, under baseline a warning (unknown is not pass).
 */
const cases: {
  rule: Rule;
  profiles: ProfileName[];
  checkov: string[];
  trivy: string[];
  /** The attribute path the rule reads, to prove the pass fixture was really evaluated. */
  read: (t: Resource) => unknown;
  fail: string[];
  /** Under strict, the table whose value is a variable without default: not a pass. */
  unknown: string;
}[] = [
  {
    rule: ddb001 as Rule,
    profiles: ['baseline', 'strict'],
    checkov: ['CKV_AWS_119'],
    trivy: ['AVD-AWS-0025'],
    read: (t) => (t.attributes.server_side_encryption as Record<string, unknown>[])[0].enabled,
    fail: [
      'SLW-DDB-001 aws_dynamodb_table.aws_managed main.tf:1 no server_side_encryption block: the table uses an AWS owned key.',
      'SLW-DDB-001 aws_dynamodb_table.cmk main.tf:17 server_side_encryption.enabled is false: the table uses an AWS owned key.',
      'SLW-DDB-001 aws_dynamodb_table.unknown main.tf:39 cannot verify encryption of aws_dynamodb_table.unknown because var.encrypted is unknown (the variable has no default and no value is passed to it).',
    ],
    unknown:
      'SLW-DDB-001 aws_dynamodb_table.unknown main.tf:2 cannot verify encryption of aws_dynamodb_table.unknown because var.encrypted is unknown (the variable has no default and no value is passed to it).',
  },
  {
    rule: ddb002 as Rule,
    profiles: ['baseline', 'strict'],
    checkov: ['CKV_AWS_28'],
    trivy: ['AVD-AWS-0024'],
    read: (t) => (t.attributes.point_in_time_recovery as Record<string, unknown>[])[0].enabled,
    fail: [
      'SLW-DDB-002 aws_dynamodb_table.orders main.tf:1 no point_in_time_recovery block.',
      'SLW-DDB-002 aws_dynamodb_table.sessions main.tf:17 point_in_time_recovery.enabled is false.',
      'SLW-DDB-002 aws_dynamodb_table.unknown main.tf:38 cannot verify point-in-time recovery of aws_dynamodb_table.unknown because var.recoverable is unknown (the variable has no default and no value is passed to it).',
    ],
    unknown:
      'SLW-DDB-002 aws_dynamodb_table.unknown main.tf:2 cannot verify point-in-time recovery of aws_dynamodb_table.unknown because var.recoverable is unknown (the variable has no default and no value is passed to it).',
  },
  {
    rule: ddb003 as Rule,
    profiles: ['strict'],
    // No checkov/trivy check covers deletion protection of tables (CKV_AWS_165 is PITR of global tables).
    checkov: [],
    trivy: [],
    read: (t) => t.attributes.deletion_protection_enabled,
    fail: [
      'SLW-DDB-003 aws_dynamodb_table.orders main.tf:1 deletion_protection_enabled is not set.',
      'SLW-DDB-003 aws_dynamodb_table.sessions main.tf:20 deletion_protection_enabled is false.',
      'SLW-DDB-003 aws_dynamodb_table.unknown main.tf:41 cannot verify deletion protection of aws_dynamodb_table.unknown because var.protected is unknown (the variable has no default and no value is passed to it).',
    ],
    unknown:
      'SLW-DDB-003 aws_dynamodb_table.unknown main.tf:2 cannot verify deletion protection of aws_dynamodb_table.unknown because var.protected is unknown (the variable has no default and no value is passed to it).',
  },
];

describe.each(cases)('$rule.id', ({ rule, profiles, checkov, trivy, read, fail, unknown }) => {
  it('reports exactly the broken field of each table in the fail fixture, with the fix', async () => {
    const findings = await runRule(rule.id, 'fail', 'strict');

    expect(lines(findings)).toEqual(fail);
    for (const f of findings.filter((x) => !x.unverified))
      expect(f).toMatchObject({ severity: rule.severity, fix: rule.fix, title: rule.title });
  });

  it('accepts the pass fixture, which it really evaluated (known values true)', async () => {
    const { model } = await buildModel({ hcl: [fixtureDir(rule.id, 'pass')], allowDestroy: [] });

    expect(Object.values(tables(model.resources)).map(read)).toEqual([true, true]);
  });

  it('does not pass the table whose value is a variable without default: a finding under strict, a warning under baseline', async () => {
    const { model } = await buildModel({ hcl: [fixtureDir(rule.id, 'unknown')], allowDestroy: [] });
    const baseline = await scan({
      hcl: [fixtureDir(rule.id, 'unknown')],
      profile: 'baseline',
      onlyRules: [rule.id],
    });

    expect(isUnknown(read(tables(model.resources)['aws_dynamodb_table.unknown']))).toBe(true);
    expect(lines(await runRule(rule.id, 'unknown', 'strict'))).toEqual([unknown]);
    expect(baseline.warnings).toEqual(
      profiles.includes('baseline')
        ? [
            `${rule.id} aws_dynamodb_table.unknown (tools/governance/src/rules/${rule.id.toLowerCase()}/fixtures/unknown/main.tf:2): ${unknown.split(' ').slice(3).join(' ')}`,
          ]
        : [],
    );
  });

  it('is registered, runs in its profiles only and names its public equivalents', async () => {
    expect(RULES).toContain(rule);
    expect(Object.keys(rule.profiles).sort()).toEqual(profiles);
    expect({ checkov: rule.checkov, trivy: rule.trivy }).toEqual({ checkov, trivy });
    if (!profiles.includes('baseline'))
      expect(await runRule(rule.id, 'fail', 'baseline')).toEqual([]);
  });
});

describe('DynamoDB rules on a real offline plan', () => {
  const plan = path.join(fixtureDir('SLW-DDB-001', 'pass'), '../plan/tables.json');

  it('report known values, and blocks the plan leaves "known after apply" as not verified (strict)', async () => {
    const result = await scan({
      plans: [plan],
      planRoot: path.dirname(plan),
      profile: 'strict',
      onlyRules: DDB_RULES,
      allowDestroy: [],
    });

    // "bare" has no blocks: the provider computes them, so SLW-DDB-001/002 cannot know them yet
    // (under strict that is a finding, not a pass); its deletion_protection_enabled is a known null.
    expect(lines(result.findings)).toEqual([
      'SLW-DDB-001 aws_dynamodb_table.bare main.tf:8 cannot verify encryption of aws_dynamodb_table.bare because server_side_encryption is unknown (known only after apply).',
      'SLW-DDB-001 aws_dynamodb_table.off main.tf:17 server_side_encryption.enabled is false: the table uses an AWS owned key.',
      'SLW-DDB-002 aws_dynamodb_table.bare main.tf:8 cannot verify point-in-time recovery of aws_dynamodb_table.bare because point_in_time_recovery is unknown (known only after apply).',
      'SLW-DDB-002 aws_dynamodb_table.off main.tf:17 point_in_time_recovery.enabled is false.',
      'SLW-DDB-003 aws_dynamodb_table.bare main.tf:8 deletion_protection_enabled is not set.',
      'SLW-DDB-003 aws_dynamodb_table.off main.tf:17 deletion_protection_enabled is false.',
    ]);
  });
});

describe('terraform/modules/table', () => {
  const example = { hcl: ['terraform/modules/table/examples/basic'], allowDestroy: [] };

  it('is evaluated through its example: encrypted, recoverable, TTL on, unprotected (dev)', async () => {
    const { model } = await buildModel(example);

    const table = tables(model.resources)['module.idempotency.aws_dynamodb_table.this'];
    expect(table?.attributes).toMatchObject({
      name: 'slipway-dev-idempotency',
      billing_mode: 'PAY_PER_REQUEST',
      server_side_encryption: [{ enabled: true }],
      point_in_time_recovery: [{ enabled: true }],
      deletion_protection_enabled: false,
      ttl: [{ enabled: true, attribute_name: 'expiration' }],
    });
  });

  it('passes every DynamoDB rule in baseline; strict asks for the deletion protection the dev example turns off', async () => {
    const baseline = await scan({ ...example, profile: 'baseline', onlyRules: DDB_RULES });
    const strict = await scan({ ...example, profile: 'strict', onlyRules: DDB_RULES });

    expect(baseline.rules.map((r) => r.id)).toEqual(['SLW-DDB-001', 'SLW-DDB-002']);
    expect(baseline.findings).toEqual([]);
    expect(strict.rules.map((r) => r.id)).toEqual(DDB_RULES);
    expect(lines(strict.findings)).toEqual([
      'SLW-DDB-003 module.idempotency.aws_dynamodb_table.this main.tf:16 deletion_protection_enabled is false.',
    ]);
  });

  it('passes every DynamoDB rule in strict with its defaults', async () => {
    const result = await scan({
      hcl: ['terraform/modules/table'],
      allowDestroy: [],
      profile: 'strict',
      onlyRules: DDB_RULES,
    });

    const table = tables(
      (await buildModel({ hcl: ['terraform/modules/table'], allowDestroy: [] })).model.resources,
    )['aws_dynamodb_table.this'];
    expect(table?.attributes.deletion_protection_enabled).toBe(true);
    expect(result.findings).toEqual([]);
  });
});
