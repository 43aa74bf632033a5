import type { ScanResult } from '../engine';
import type { Severity } from '../rules/types';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};
/** GitHub code scanning reads `security-severity` (0-10) from rule properties. */
const SCORE: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

/**
 * SARIF 2.1.0 log with one run. Waived and allowed findings carry a `suppressions` entry
 * (kind external / inSource), so code scanning shows them as dismissed, not open.
 */
export function toSarif(result: ScanResult): Record<string, unknown> {
  const rules = result.rules.map((r) => ({
    id: r.id,
    name: r.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: r.title },
    fullDescription: { text: r.rationale },
    help: {
      text: `${r.fix}${r.checkov.length ? `\nCheckov: ${r.checkov.join(', ')}` : ''}${r.trivy.length ? `\nTrivy: ${r.trivy.join(', ')}` : ''}`,
    },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      'security-severity': SCORE[r.severity],
      tags: ['security', 'iac', 'terraform'],
      checkov: r.checkov,
      trivy: r.trivy,
    },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = result.findings.map((f) => {
    const res: Record<string, unknown> = {
      ruleId: f.ruleId,
      level: LEVEL[f.severity],
      message: { text: `${f.address}: ${f.message} Fix: ${f.fix}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: (f.file ?? f.input ?? '.').split('\\').join('/') },
            ...(f.line ? { region: { startLine: f.line } } : {}),
          },
          logicalLocations: [{ fullyQualifiedName: f.address, kind: 'resource' }],
        },
      ],
      partialFingerprints: { 'slipway/v1': `${f.ruleId}|${f.address}` },
    };
    if (index.has(f.ruleId)) res.ruleIndex = index.get(f.ruleId);
    if (f.waived)
      res.suppressions = [
        {
          kind:
            f.waived.source.endsWith('.yaml') || /\.ya?ml:/.test(f.waived.source)
              ? 'external'
              : 'inSource',
          justification: `${f.waived.reason} (owner ${f.waived.owner}, expires ${f.waived.expires}, ${f.waived.source})`,
        },
      ];
    else if (f.allowed) res.suppressions = [{ kind: 'external', justification: f.allowed }];
    return res;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'slipway-governance',
            informationUri: 'https://github.com/slipway/slipway/tree/main/tools/governance',
            version: '0.1.0',
            rules,
          },
        },
        results,
        properties: {
          profile: result.profile.name,
          blastRadius: result.blastRadius,
          warnings: result.warnings,
        },
      },
    ],
  };
}
