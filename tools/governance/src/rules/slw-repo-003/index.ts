import { findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-REPO-003 — root configurations commit `.terraform.lock.hcl`.
 *
 * A folder counts as a root when it has a `backend`/`cloud` block or a `provider` block;
 * reusable modules (variables, resources, no provider or backend) do not need, and should not
 * have, a lock file. Only HCL folders are checked: the CDK Terrain stacks' roots are generated in
 * cdktf.out, and synth copies the committed terraform/stacks/.terraform.lock.hcl into each of
 * them. "Committed" is approximated by "present in the folder"; CI runs on a clean checkout,
 * where that is the same thing.
 */
export const rule: Rule = {
  id: 'SLW-REPO-003',
  title: 'Root configuration has a dependency lock file',
  severity: 'medium',
  rationale:
    'Without the lock file every init may pick a different provider build, and provider checksums are not verified.',
  fix: 'Run terraform providers lock -platform=linux_amd64 (and each platform your team plans on; offline: -fs-mirror=<mirror dir>) and commit .terraform.lock.hcl.',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'the lock file is repository layout, which checkov and trivy do not read; tflint has no lock-file rule either.',
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const c of model.configurations) {
      if (c.inputKind !== 'hcl' || !c.isRoot || c.hasLockFile) continue;
      out.push(
        findingFor(
          this,
          { address: c.path, file: c.path, input: c.path },
          `${c.path} is a root configuration (backend or provider block) without .terraform.lock.hcl.`,
        ),
      );
    }
    return out;
  },
};
