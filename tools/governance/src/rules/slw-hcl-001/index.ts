import { findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-HCL-001 — every block of a configuration parses.
 *
 * A top-level block of an HCL file that does not parse is a finding for that block (its header
 * as address, the file and line of the parse error, the parser's message), and the rest of the
 * folder — the other blocks of the same file included — is still read and checked: one bad
 * block must not hide every other resource (before, the whole folder stopped with exit 2).
 * Terraform itself rejects such a file, so nothing of it can be applied as written. No checkov
 * or trivy check: both skip a file they cannot parse (checkov logs it).
 */
export const rule: Rule = {
  id: 'SLW-HCL-001',
  title: 'Every configuration block parses',
  severity: 'critical',
  rationale:
    'A block Terraform cannot parse is a configuration nobody has planned: what it was meant to declare is not checked and cannot be applied.',
  fix: 'Fix the syntax at the reported line (run terraform validate in the folder).',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'a parse failure is an input error to checkov and trivy (they skip or abort), not a check; here it is a finding so the rest of the folder is still scanned.',
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const c of model.configurations)
      for (const e of c.parseErrors ?? [])
        out.push(
          findingFor(
            this,
            { address: e.block, file: e.file, line: e.line, input: c.path },
            `${e.block} does not parse: ${e.message}`,
          ),
        );
    return out;
  },
};
