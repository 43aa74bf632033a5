import { findingFor, type Finding, type Rule } from '../types';

/**
 * True when a Terraform version constraint has an upper bound: `<`, `<=`, `~>`, or an exact
 * version (`= 5.100.0` or a bare `5.100.0`).
 */
export function isBounded(constraint: string): boolean {
  return constraint
    .split(',')
    .map((c) => c.trim())
    .some((c) => /^(<|<=|~>)\s*\d/.test(c) || /^=?\s*\d+(\.\d+)*(-[\w.]+)?$/.test(c));
}

/**
 * SLW-REPO-001 — provider version constraints have an upper bound.
 *
 * checkov has no equivalent (CKV_TF_* only cover module sources). A missing constraint or a
 * floor-only one (`>= 5.70`) lets the next major provider release in on the next
 * `terraform init -upgrade`; `.terraform.lock.hcl` pins roots, but modules are resolved by
 * their callers' constraints.
 */
export const rule: Rule = {
  id: 'SLW-REPO-001',
  title: 'Provider version constraint is bounded',
  severity: 'medium',
  rationale:
    'An unbounded constraint admits the next major provider version, with its breaking changes, without review.',
  fix: 'Give every required_providers entry a range with an upper bound, e.g. version = ">= 5.70, < 7.0".',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    "checkov and trivy do not check provider version constraints; tflint's terraform_required_providers asks for a constraint, not an upper bound.",
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const c of model.configurations)
      for (const p of c.requiredProviders) {
        const at = {
          address: `${c.path}: required_providers.${p.name}`,
          file: p.file,
          line: p.line,
          input: c.path,
        };
        if (!p.version)
          out.push(findingFor(this, at, `provider ${p.name} has no version constraint.`));
        else if (!isBounded(p.version))
          out.push(
            findingFor(
              this,
              at,
              `provider ${p.name} constraint "${p.version}" has no upper bound.`,
            ),
          );
      }
    return out;
  },
};
