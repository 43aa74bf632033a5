import { isUnknown } from '../../model';
import { knownStrings } from '../../policy';
import { label, trustPolicies } from '../iam-policies';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-IAM-004 — no wildcard principal in a role's trust policy.
 *
 * Same as checkov CKV_AWS_60 (and the principal part of CKV_AWS_61): an Allow statement of
 * `assume_role_policy` must not name `*` or `AWS:*`. Deliberate difference: a statement with a
 * condition on `aws:PrincipalOrgID`, `aws:PrincipalArn` or `aws:PrincipalAccount` is accepted,
 * since it restricts who can assume the role as well as a principal would.
 */
export const rule: Rule = {
  id: 'SLW-IAM-004',
  title: 'No wildcard principal in trust policies',
  severity: 'critical',
  rationale: 'A trust policy with Principal "*" lets any AWS account assume the role.',
  fix: 'Name the service (Service = "lambda.amazonaws.com"), account or role that may assume it, and add aws:SourceArn / aws:SourceAccount conditions against confused deputies.',
  checkov: ['CKV_AWS_60', 'CKV_AWS_61'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    const restricting = ['aws:principalorgid', 'aws:principalarn', 'aws:principalaccount'];
    for (const p of trustPolicies(model)) {
      if (isUnknown(p.statements))
        cannotVerify(this, p.resource, 'the trust policy', p.statements, p.attribute, context);
      if (!Array.isArray(p.statements)) continue;
      p.statements.forEach((s, i) => {
        if (s.effect !== 'Allow') return;
        const wild = knownStrings(s.principals).filter((x) => x === '*' || x === 'AWS:*');
        if (!wild.length || s.conditionKeys.some((k) => restricting.includes(k))) return;
        out.push(
          findingFor(
            this,
            p.resource,
            `${label(s, i)} of assume_role_policy trusts principal "*".`,
          ),
        );
      });
    }
    return out;
  },
};
