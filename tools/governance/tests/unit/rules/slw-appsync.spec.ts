import path from 'node:path';
import { buildModel } from '../../../src/engine';
import { isUnknown, type Resource } from '../../../src/model';
import { RULES } from '../../../src/rules';
import { rule as appsync001 } from '../../../src/rules/slw-appsync-001';
import { rule as appsync002 } from '../../../src/rules/slw-appsync-002';
import { rule as appsync003 } from '../../../src/rules/slw-appsync-003';
import type { Finding, Rule } from '../../../src/rules/types';
import { fixtureDir, runRule } from './run-rule';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../../..')));

/** One line per finding: rule, address, file:line, message. */
const lines = (findings: Finding[]) =>
  findings
    .map((f) => `${f.ruleId} ${f.address} ${path.basename(f.file ?? '')}:${f.line} ${f.message}`)
    .sort();

/**
 * The AppSync rules. Each fail fixture is its pass fixture with one field broken per API (a
 * level, a flag, a block removed); a value from a variable without a default is unknown: not a
 * pass (a "cannot verify" finding under strict, a warning under baseline).
 */
const cases: {
  rule: Rule;
  checkov: string[];
  /** What the rule reads of each pass API, by address, to prove the fixture was evaluated. */
  read: (api: Resource) => unknown;
  evaluated: Record<string, unknown>;
  fail: string[];
  /** The pass fixture under strict: what it cannot verify. */
  unknown: string[];
}[] = [
  {
    rule: appsync001 as Rule,
    checkov: ['CKV_AWS_193', 'CKV_AWS_194'],
    read: (api) => (api.attributes.log_config as Record<string, unknown>[])[0].field_log_level,
    evaluated: {
      'aws_appsync_graphql_api.errors': 'ERROR',
      'aws_appsync_graphql_api.all': 'ALL',
    },
    fail: [
      "SLW-APPSYNC-001 aws_appsync_graphql_api.all main.tf:13 log_config.exclude_verbose_content is false: request headers, with the callers' tokens, are logged.",
      'SLW-APPSYNC-001 aws_appsync_graphql_api.errors main.tf:1 log_config.field_log_level is "NONE": failing fields are not logged.',
      'SLW-APPSYNC-001 aws_appsync_graphql_api.no_logs main.tf:35 no log_config block: the API writes no logs.',
      'SLW-APPSYNC-001 aws_appsync_graphql_api.no_role main.tf:25 log_config has no cloudwatch_logs_role_arn: AppSync cannot write the logs.',
    ],
    unknown: [
      'SLW-APPSYNC-001 aws_appsync_graphql_api.unknown main.tf:2 cannot verify logging of aws_appsync_graphql_api.unknown because var.field_log_level is unknown (the variable has no default and no value is passed to it).',
    ],
  },
  {
    rule: appsync002 as Rule,
    checkov: [],
    read: (api) => api.attributes.xray_enabled,
    evaluated: {
      'aws_appsync_graphql_api.users': true,
      'aws_appsync_graphql_api.catalog': true,
    },
    fail: [
      'SLW-APPSYNC-002 aws_appsync_graphql_api.catalog main.tf:6 xray_enabled is false: requests are not traced.',
      'SLW-APPSYNC-002 aws_appsync_graphql_api.users main.tf:1 xray_enabled is not set: requests are not traced.',
    ],
    unknown: [
      'SLW-APPSYNC-002 aws_appsync_graphql_api.unknown main.tf:2 cannot verify X-Ray tracing of aws_appsync_graphql_api.unknown because var.xray_enabled is unknown (the variable has no default and no value is passed to it).',
    ],
  },
  {
    rule: appsync003 as Rule,
    checkov: [],
    read: (api) => api.attributes.authentication_type,
    evaluated: {
      'aws_appsync_graphql_api.users': 'AMAZON_COGNITO_USER_POOLS',
      'aws_appsync_graphql_api.catalog': 'AWS_LAMBDA',
    },
    fail: [
      'SLW-APPSYNC-003 aws_appsync_graphql_api.catalog main.tf:7 additional_authentication_provider[0].authentication_type is "API_KEY": callers with the key are not identified.',
      'SLW-APPSYNC-003 aws_appsync_graphql_api.users main.tf:1 authentication_type is "API_KEY": callers are not identified.',
    ],
    unknown: [],
  },
];

describe.each(cases)('$rule.id', ({ rule, checkov, read, evaluated, fail, unknown }) => {
  it('reports exactly the broken field of each API in the fail fixture, with the fix', async () => {
    const findings = await runRule(rule.id, 'fail', 'strict');

    expect(lines(findings)).toEqual(fail);
    for (const f of findings.filter((x) => !x.unverified))
      expect(f).toMatchObject({ severity: rule.severity, fix: rule.fix, title: rule.title });
  });

  it('accepts the pass fixture, which it really evaluated; a variable without default (fixtures/unknown) is not a pass under strict', async () => {
    const { model } = await buildModel({ hcl: [fixtureDir(rule.id, 'pass')], allowDestroy: [] });
    const apis = model.resources.filter((r) => r.type === 'aws_appsync_graphql_api');

    expect(
      Object.fromEntries(apis.map((a) => [a.address, isUnknown(read(a)) ? 'unknown' : read(a)])),
    ).toEqual(evaluated);
    expect(await runRule(rule.id, 'pass', 'baseline')).toEqual([]);
    expect(await runRule(rule.id, 'pass', 'strict')).toEqual([]);
    if (unknown.length) expect(lines(await runRule(rule.id, 'unknown', 'strict'))).toEqual(unknown);
  });

  it('is registered in both profiles and names its public equivalents', () => {
    expect(RULES).toContain(rule);
    expect(Object.keys(rule.profiles).sort()).toEqual(['baseline', 'strict']);
    expect({ checkov: rule.checkov, trivy: rule.trivy }).toEqual({ checkov, trivy: [] });
  });
});
