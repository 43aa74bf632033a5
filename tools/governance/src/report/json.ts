import type { ScanResult } from '../engine';

/** Machine-readable report: findings, warnings, blast radius and the profile used. */
export function toJson(result: ScanResult): string {
  return JSON.stringify(
    {
      profile: result.profile.name,
      resourceCount: result.resourceCount,
      rules: result.rules.map((r) => r.id),
      findings: result.findings,
      warnings: result.warnings,
      blastRadius: result.blastRadius,
    },
    null,
    2,
  );
}
