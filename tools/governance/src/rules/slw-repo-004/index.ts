import { findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-REPO-004 — every variable has a description and a type.
 *
 * No checkov/trivy equivalent (tflint's terraform_documented_variables and
 * terraform_typed_variables). One finding per variable naming what is missing.
 */
export const rule: Rule = {
  id: 'SLW-REPO-004',
  title: 'Variable has description and type',
  severity: 'low',
  rationale:
    'The description is the module documentation callers read; the type catches wrong arguments at plan time instead of deep in an expression.',
  fix: 'Add description = "..." and type = <type> to the variable block (and a validation block for constrained inputs).',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    "checkov and trivy do not check variable declarations; tflint's terraform_documented_variables and terraform_typed_variables test the same two properties.",
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const c of model.configurations)
      for (const v of c.variables) {
        const missing = [!v.hasDescription && 'description', !v.hasType && 'type'].filter(Boolean);
        if (missing.length)
          out.push(
            findingFor(
              this,
              { address: `var.${v.name}`, file: v.file, line: v.line, input: c.path },
              `variable ${v.name} has no ${missing.join(' and no ')}.`,
            ),
          );
      }
    return out;
  },
};
