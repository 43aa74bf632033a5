import { containsUnknown, isUnknown, type ResourceChange } from '../../model';
import { knownStrings, parsePolicy } from '../../policy';
import { globMatch } from '../../glob';
import { findingFor, type Finding, type Rule } from '../types';

const POLICY_ATTRS: Record<string, string[]> = {
  aws_iam_policy: ['policy'],
  aws_iam_role_policy: ['policy'],
  aws_iam_user_policy: ['policy'],
  aws_iam_group_policy: ['policy'],
  aws_iam_role: ['assume_role_policy'],
  aws_s3_bucket_policy: ['policy'],
  aws_sqs_queue_policy: ['policy'],
  aws_sns_topic_policy: ['policy'],
};

/** Allowed actions, resources and principals of a policy value. */
function grants(
  value: unknown,
): { actions: Set<string>; resources: Set<string>; principals: Set<string> } | undefined {
  const st = parsePolicy(value);
  if (!Array.isArray(st)) return undefined;
  const out = {
    actions: new Set<string>(),
    resources: new Set<string>(),
    principals: new Set<string>(),
  };
  for (const s of st) {
    if (s.effect !== 'Allow') continue;
    knownStrings(s.actions).forEach((a) => out.actions.add(a.toLowerCase()));
    knownStrings(s.resources).forEach((r) => out.resources.add(r));
    knownStrings(s.principals).forEach((p) => out.principals.add(p));
  }
  return out;
}

/**
 * SLW-PLAN-002 — flag IAM policy widening.
 *
 * For every updated or replaced policy (identity, trust and resource policies), lists the
 * allowed actions, resources and principals that the new version has and the old one did not
 * (a new value matched by an old wildcard, e.g. `bucket/uploads/a/*` under `bucket/uploads/*`,
 * is a narrowing, not a widening).
 * Not a blocker by itself (severity high: fails the default `--fail-on high`), because widening
 * is often intended — the reviewer should see it spelled out, then waive or approve.
 */
export const rule: Rule = {
  id: 'SLW-PLAN-002',
  title: 'Plan widens an IAM policy',
  severity: 'high',
  rationale:
    'Permission creep is invisible in a 2,000-line plan; new grants must be read on purpose.',
  fix: 'Check that each new action/resource/principal is needed. If so, waive this finding for the address with the reason and the PR link.',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'a plan guard: it compares each IAM policy before and after the plan; checkov and trivy see only the new configuration.',
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const c of model.changes) {
      const attrs = POLICY_ATTRS[c.type];
      if (!attrs || !c.before || !c.actions.some((a) => a === 'update' || a === 'create')) continue;
      for (const a of attrs) {
        const after = (c.after as Record<string, unknown> | null)?.[a];
        const unknown = (c.afterUnknown as Record<string, unknown> | null)?.[a];
        if (unknown === true || isUnknown(after) || containsUnknown(after)) continue;
        const before = grants((c.before as Record<string, unknown>)[a]);
        const now = grants(after);
        if (!before || !now) continue;
        // New values already covered by an old pattern (s3:Get* ⊇ s3:GetObject) are not widening.
        const added = (k: 'actions' | 'resources' | 'principals') =>
          [...now[k]].filter(
            (x) => !before[k].has(x) && ![...before[k]].some((old) => globMatch(old, x)),
          );
        const parts = [
          added('actions').length && `actions ${added('actions').join(', ')}`,
          added('resources').length && `resources ${added('resources').join(', ')}`,
          added('principals').length && `principals ${added('principals').join(', ')}`,
        ].filter(Boolean);
        if (parts.length)
          out.push(
            findingFor(
              this,
              at(c),
              `${c.stack}: ${a} of ${c.address} widens: new ${parts.join('; new ')}.`,
            ),
          );
      }
    }
    return out;
  },
};

function at(c: ResourceChange) {
  return { address: c.address, file: c.file, input: c.file };
}
