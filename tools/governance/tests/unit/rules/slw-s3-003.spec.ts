import { rule } from '../../../src/rules/slw-s3-003';
import { runRule } from './run-rule';

describe('SLW-S3-003', () => {
  it('reports the misconfigured fixture', async () => {
    const findings = await runRule(rule.id, 'fail', 'baseline');

    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f).toMatchObject({
        ruleId: 'SLW-S3-003',
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
