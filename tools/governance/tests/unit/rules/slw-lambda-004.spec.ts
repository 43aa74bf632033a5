import { rule } from '../../../src/rules/slw-lambda-004';
import { runRule } from './run-rule';

describe('SLW-LAMBDA-004', () => {
  it('reports the misconfigured fixture', async () => {
    const findings = await runRule(rule.id, 'fail', 'baseline');

    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f).toMatchObject({
        ruleId: 'SLW-LAMBDA-004',
        severity: rule.severity,
        fix: expect.any(String),
      });
      expect(f.file).toBeTruthy();
    }
  });

  it('reports a flat literal in a _NAME variable, which is no Secrets Manager name', async () => {
    const findings = await runRule(rule.id, 'fail', 'baseline');

    expect(findings.map((f) => f.message).filter((m) => m.includes('API_TOKEN_NAME'))).toEqual([
      'environment variable API_TOKEN_NAME looks like a secret and has a literal value (not an ARN or parameter path).',
    ]);
  });

  it('accepts the compliant fixture', async () => {
    const findings = await runRule(rule.id, 'pass', 'baseline');

    expect(findings).toEqual([]);
  });

  it('documents its public equivalents and runs in the baseline profile', () => {
    expect(rule.profiles.baseline).toBeDefined();
    expect(rule.rationale.length).toBeGreaterThan(20);
    expect(Array.isArray(rule.checkov) && Array.isArray(rule.trivy)).toBe(true);
  });
});
