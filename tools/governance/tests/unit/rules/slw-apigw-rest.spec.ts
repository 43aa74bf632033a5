import path from 'node:path';
import { rule as apigw002 } from '../../../src/rules/slw-apigw-002';
import { rule as apigw004 } from '../../../src/rules/slw-apigw-004';
import { rule as apigw005 } from '../../../src/rules/slw-apigw-005';
import { rule as apigw006 } from '../../../src/rules/slw-apigw-006';
import { buildModel, scan } from '../../../src/engine';
import { linked } from '../../../src/model';
import { RULES } from '../../../src/rules';
import type { Rule } from '../../../src/rules/types';
import { runRule } from './run-rule';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../../..')));

/** One line per finding: rule, address, file:line, message. */
const lines = (findings: Awaited<ReturnType<typeof runRule>>) =>
  findings
    .map((f) => `${f.ruleId} ${f.address} ${path.basename(f.file ?? '')}:${f.line} ${f.message}`)
    .sort();

/**
 * The REST API rules issue 13 added (and SLW-APIGW-002's OpenAPI body check). Each fail fixture
 * is its pass fixture with one field broken per resource; the findings are pinned exactly.
 */
const cases: { rule: Rule; fail: string[] }[] = [
  {
    rule: apigw002 as Rule,
    fail: [
      'SLW-APIGW-002 aws_api_gateway_rest_api.body openapi.tf:3 body operation POST /uploads has no authorizing security requirement and no x-slipway-public-reason.',
      'SLW-APIGW-002 aws_api_gateway_rest_api.body openapi.tf:3 body operation POST /webhooks/stripe has no authorizing security requirement and no x-slipway-public-reason.',
      'SLW-APIGW-002 aws_apigatewayv2_route.this main.tf:1 route GET /media has authorization_type "NONE".',
    ],
  },
  {
    rule: apigw004 as Rule,
    fail: [
      'SLW-APIGW-004 aws_api_gateway_method_settings.route_off main.tf:19 method override uploads/POST turns logging_level OFF.',
      'SLW-APIGW-004 aws_api_gateway_stage.off main.tf:1 method settings "*/*" have logging_level "OFF", not INFO or ERROR.',
      'SLW-APIGW-004 aws_api_gateway_stage.unset main.tf:29 no aws_api_gateway_method_settings for method_path "*/*".',
    ],
  },
  {
    rule: apigw005 as Rule,
    fail: [
      'SLW-APIGW-005 aws_api_gateway_method_settings.cached main.tf:1 caching is enabled for */* but cache_data_encrypted is false.',
    ],
  },
  {
    rule: apigw006 as Rule,
    fail: [
      'SLW-APIGW-006 aws_api_gateway_domain_name.this main.tf:1 security_policy is "TLS_1_0".',
      'SLW-APIGW-006 aws_apigatewayv2_domain_name.this main.tf:11 domain_name_configuration.security_policy is not set.',
    ],
  },
];

describe.each(cases)('$rule.id', ({ rule, fail }) => {
  it('reports exactly the broken fields of the fail fixture, with the fix', async () => {
    const findings = await runRule(rule.id, 'fail', 'baseline');

    expect(lines(findings)).toEqual(fail);
    for (const f of findings)
      expect(f).toMatchObject({ severity: rule.severity, fix: expect.stringMatching(/\S{10}/) });
  });

  it('accepts the pass fixture in both profiles', async () => {
    expect(await runRule(rule.id, 'pass', 'baseline')).toEqual([]);
    expect(await runRule(rule.id, 'pass', 'strict')).toEqual([]);
  });

  it('is registered, runs in every profile and names its public equivalents', () => {
    expect(RULES).toContain(rule);
    expect(Object.keys(rule.profiles).sort()).toEqual(['baseline', 'strict']);
    expect(rule.checkov.length).toBeGreaterThan(0);
  });
});

describe('terraform/modules/rest-api', () => {
  const example = { hcl: ['terraform/modules/rest-api/examples/basic'], allowDestroy: [] };

  it('is evaluated through its example: stage linked to its "*/*" settings', async () => {
    const { model } = await buildModel(example);

    const stage = model.resources.find(
      (r) => r.address === 'module.api.aws_api_gateway_stage.this',
    );
    expect(stage?.attributes.xray_tracing_enabled).toBe(true);
    expect(
      linked(stage!, 'aws_api_gateway_method_settings')
        .map((r) => r.address)
        .sort(),
    ).toEqual([
      'module.api.aws_api_gateway_method_settings.route["GET /hello/{name}"]',
      'module.api.aws_api_gateway_method_settings.this',
    ]);
    // file() bodies are unknown to the HCL evaluator (they are known in plans and stack JSON), so
    // the example proves evaluation through the settings the module computes from its inputs.
    const route = model.resources.find(
      (r) => r.address === 'module.api.aws_api_gateway_method_settings.route["GET /hello/{name}"]',
    );
    expect(route?.attributes.method_path).toBe('hello/{name}/GET');
    expect(route?.attributes.settings).toMatchObject([
      { logging_level: 'INFO', throttling_rate_limit: 20 },
    ]);
  });

  it('passes every API Gateway rule', async () => {
    const result = await scan({
      ...example,
      profile: 'baseline',
      onlyRules: RULES.filter((r) => r.id.startsWith('SLW-APIGW-')).map((r) => r.id),
    });

    expect(result.rules.map((r) => r.id)).toEqual([
      'SLW-APIGW-001',
      'SLW-APIGW-002',
      'SLW-APIGW-003',
      'SLW-APIGW-004',
      'SLW-APIGW-005',
      'SLW-APIGW-006',
    ]);
    expect(result.findings).toEqual([]);
  });
});
