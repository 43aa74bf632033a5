import { findingFor, type Finding, type Rule } from '../types';

/** What is wrong with a module source, or undefined when it is pinned. */
export function sourceProblem(
  source: string | undefined,
  version: string | undefined,
): string | undefined {
  if (!source) return 'has no source';
  if (/^\.\.?(\/|$)/.test(source)) return undefined; // local path: versioned with this repository
  const isGit = /^git::|^git@|^github\.com\/|^bitbucket\.org\/|\.git(\/\/|\?|$)/.test(source);
  if (isGit) {
    const ref = /[?&]ref=([^&]+)/.exec(source)?.[1];
    if (!ref) return `git source "${source}" has no ?ref=`;
    if (/^[0-9a-f]{40}$/i.test(ref) || /^v?\d+\.\d+(\.\d+)?([-+][\w.]+)?$/.test(ref))
      return undefined;
    return `git source "${source}" pins ref "${ref}", which is neither a commit SHA nor a version tag`;
  }
  if (/^(https?:|s3::|gcs::|hg::)/.test(source))
    return `source "${source}" is an archive URL without a verifiable version`;
  // Registry: [host/]namespace/name/provider
  if (/^([\w.-]+\/)?[\w-]+\/[\w-]+\/[\w-]+(\/\/.*)?$/.test(source)) {
    if (!version) return `registry module "${source}" has no version`;
    return undefined;
  }
  return undefined;
}

/**
 * SLW-REPO-002 — module sources are pinned.
 *
 * Like checkov CKV_TF_1 (git sources pinned to a commit hash) and CKV_TF_2 (registry modules
 * pinned to a version), except that a git tag is accepted as well as a commit SHA (we trust
 * tags of our own repositories; use a SHA for third parties). Local paths always pass.
 */
export const rule: Rule = {
  id: 'SLW-REPO-002',
  title: 'Module source is pinned',
  severity: 'high',
  rationale:
    'An unpinned module changes under you: the next init fetches whatever the branch or latest release holds.',
  fix: 'Registry: add version = "x.y.z" (or "~> x.y"). Git: append ?ref=<commit sha> or ?ref=<tag>.',
  checkov: ['CKV_TF_1', 'CKV_TF_2'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const c of model.configurations)
      for (const m of c.moduleCalls) {
        const problem = sourceProblem(m.source, m.version);
        if (problem)
          out.push(
            findingFor(
              this,
              { address: `module.${m.name}`, file: m.file, line: m.line, input: c.path },
              `module ${m.name}: ${problem}.`,
            ),
          );
      }
    return out;
  },
};
