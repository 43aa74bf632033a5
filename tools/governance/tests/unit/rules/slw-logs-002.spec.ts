import { rule } from '../../../src/rules/slw-logs-002';
import { runRule } from './run-rule';

describe('SLW-LOGS-002', () => {
  it('reports the misconfigured fixture', async () => {
    const findings = await runRule(rule.id, 'fail', 'strict');

    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f).toMatchObject({
        ruleId: 'SLW-LOGS-002',
        severity: rule.severity,
        fix: expect.any(String),
      });
      expect(f.file).toBeTruthy();
    }
  });

  it('accepts the compliant fixture', async () => {
    const findings = await runRule(rule.id, 'pass', 'strict');

    expect(findings).toEqual([]);
  });

  it('documents its public equivalents and runs in the strict profile', () => {
    expect(rule.profiles.strict).toBeDefined();
    expect(rule.rationale.length).toBeGreaterThan(20);
    expect(Array.isArray(rule.checkov) && Array.isArray(rule.trivy)).toBe(true);
  });
});
