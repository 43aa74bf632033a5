import { rule } from '../../../src/rules/slw-repo-004';
import { runRule } from './run-rule';

describe('SLW-REPO-004', () => {
  it('reports the misconfigured fixture', async () => {
    const findings = await runRule(rule.id, 'fail', 'baseline');

    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f).toMatchObject({
        ruleId: 'SLW-REPO-004',
        severity: rule.severity,
        fix: expect.any(String),
      });
      expect(f.file).toBeTruthy();
    }
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
