import { isUnknown } from '../../model';
import { knownStrings } from '../../policy';
import { label, trustPolicies } from '../iam-policies';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-IAM-004 — no wildcard principal in a role's trust policy.
 *
 * Same as checkov CKV_AWS_60: an Allow statement of `assume_role_policy` must not name `*` or
 * `AWS:*`. And, like checkov CKV_AWS_61, not an account root principal
 * (`arn:aws:iam::<account>:root` or the bare account id), which trusts every identity of that
 * account that its own policies let call sts:AssumeRole. Deliberate differences: a `*` statement
 * with a condition on `aws:PrincipalOrgID`, `aws:PrincipalArn` or `aws:PrincipalAccount` is
 * accepted, and an account-root statement with one of those or `sts:ExternalId` (the
 * documented third-party pattern), since they restrict who can assume the role.
 */
/** An account principal: `AWS:arn:<partition>:iam::<account>:root` or the bare account id. */
const ACCOUNT_ROOT = /^AWS:(arn:[a-z-]+:iam::\d{12}:root|\d{12})$/;

export const rule: Rule = {
  id: 'SLW-IAM-004',
  title: 'No wildcard principal in trust policies',
  severity: 'critical',
  rationale: 'A trust policy with Principal "*" lets any AWS account assume the role.',
  fix: 'Name the service (Service = "lambda.amazonaws.com"), account or role that may assume it, and add aws:SourceArn / aws:SourceAccount conditions against confused deputies.',
  checkov: ['CKV_AWS_60', 'CKV_AWS_61'],
  trivy: [],
  differences:
    "accepts '*' with an aws:PrincipalOrgID / aws:PrincipalArn / aws:PrincipalAccount condition, and an account root with one of those or sts:ExternalId.",
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
        const principals = knownStrings(s.principals);
        const wild = principals.filter((x) => x === '*' || x === 'AWS:*');
        if (wild.length && !s.conditionKeys.some((k) => restricting.includes(k))) {
          out.push(
            findingFor(
              this,
              p.resource,
              `${label(s, i)} of assume_role_policy trusts principal "*".`,
            ),
          );
          return;
        }
        const roots = principals.filter((x) => ACCOUNT_ROOT.test(x));
        if (
          roots.length &&
          !s.conditionKeys.some((k) => [...restricting, 'sts:externalid'].includes(k))
        )
          out.push(
            findingFor(
              this,
              p.resource,
              `${label(s, i)} of assume_role_policy trusts ${roots.map((r) => r.slice(4)).join(', ')}: every identity of that account whose own policy allows sts:AssumeRole can assume the role.`,
              'Name the role or user that may assume it (arn:aws:iam::<account>:role/<name>), or add an aws:PrincipalArn (or sts:ExternalId for a third party) condition.',
            ),
          );
      });
    }
    return out;
  },
};
