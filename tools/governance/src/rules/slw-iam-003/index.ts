import { knownStrings } from '../../policy';
import { STAR_ONLY_ACTIONS, identityPolicies, isWildcardAction, label } from '../iam-policies';
import { findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-IAM-003 — no `*` resource, except for actions AWS only authorizes on `*`.
 *
 * Like checkov CKV_AWS_355 / CKV_AWS_290 and trivy AVD-AWS-0057 (resources part), with our own
 * documented allow-list ({@link STAR_ONLY_ACTIONS}, which extends the manifest compiler's
 * STAR_RESOURCE_ACTIONS) instead of checkov's built-in one. Wildcard actions are left to
 * SLW-IAM-002. Unknown actions are not reported.
 */
export const rule: Rule = {
  id: 'SLW-IAM-003',
  title: 'No "*" resource for resource-scoped actions',
  severity: 'high',
  rationale:
    'Resource "*" lets a role act on every bucket, queue or function in the account, not the few it owns.',
  fix: 'Name the ARNs (or a name prefix such as arn:aws:s3:::slipway-dev-media-*/uploads/*). If AWS really only accepts "*" for the action, add it to STAR_RESOURCE_ACTIONS in libs/manifest/src/iam.ts with the AWS doc link.',
  checkov: ['CKV_AWS_355', 'CKV_AWS_290'],
  trivy: ['AVD-AWS-0057'],
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    const allowed = new Map(Object.keys(STAR_ONLY_ACTIONS).map((a) => [a.toLowerCase(), a]));
    for (const p of identityPolicies(model)) {
      if (!Array.isArray(p.statements)) continue;
      p.statements.forEach((s, i) => {
        if (s.effect !== 'Allow' || !knownStrings(s.resources).includes('*')) return;
        const bad = knownStrings(s.actions).filter(
          (a) => !isWildcardAction(a) && !allowed.has(a.toLowerCase()),
        );
        if (bad.length)
          out.push(
            findingFor(
              this,
              p.resource,
              `${label(s, i)} grants ${bad.join(', ')} on Resource "*".`,
            ),
          );
      });
    }
    return out;
  },
};
