import { isUnknown, resourcesOfType, type Resource } from '../../model';
import { knownStrings } from '../../policy';
import { identityPolicies, label } from '../iam-policies';
import { cannotVerify, findingFor, setAfterApply, type Finding, type Rule } from '../types';

const ADMIN_ARN = /:policy\/AdministratorAccess$/;

/**
 * True when `policy_arn` only reads `aws_iam_policy` resources of the configuration: whichever
 * it is, it is a policy of ours (checked as an identity policy), not an AWS managed one.
 */
function ownPolicies(attachment: Resource): boolean {
  const refs = attachment.references.policy_arn ?? [];
  const roots = refs.filter((r) => !r.startsWith('each.') && !r.startsWith('count.'));
  return roots.length > 0 && roots.every((r) => r.startsWith('aws_iam_policy.'));
}

/**
 * SLW-IAM-001 — no administrator policy.
 *
 * Combines checkov CKV_AWS_274 (AdministratorAccess attached to a role, user or group) and
 * CKV_AWS_62/CKV_AWS_1 (a policy allowing `*` actions on `*` resources); trivy AVD-AWS-0057
 * covers the latter. Attachments are checked on the *_policy_attachment resources and on
 * `aws_iam_role.managed_policy_arns`, and IAM Identity Center permission sets: their inline
 * policies (`aws_ssoadmin_permission_set_inline_policy`) as identity policies, their AWS managed
 * policies (`aws_ssoadmin_managed_policy_attachment`) as attachments. An `aws_iam_policy_document`
 * is checked at its own address (a module that only outputs one is checked too).
 */
export const rule: Rule = {
  id: 'SLW-IAM-001',
  title: 'No administrator access',
  severity: 'critical',
  rationale:
    'Full admin on any role means one compromised function or pipeline step owns the account.',
  fix: 'Grant the actions and resources the workload needs (declare them as permission intents in the Lambda manifest); never attach AdministratorAccess.',
  checkov: ['CKV_AWS_274', 'CKV_AWS_62', 'CKV_AWS_1'],
  trivy: ['AVD-AWS-0057'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const p of identityPolicies(model)) {
      if (isUnknown(p.statements))
        cannotVerify(this, p.resource, 'the policy document', p.statements, p.attribute, context);
      if (!Array.isArray(p.statements)) continue;
      p.statements.forEach((s, i) => {
        if (s.effect !== 'Allow') return;
        if (knownStrings(s.actions).includes('*') && knownStrings(s.resources).includes('*'))
          out.push(
            findingFor(
              this,
              p.resource,
              `${label(s, i)} allows "*" on "*" (administrator access).`,
            ),
          );
      });
    }
    for (const type of [
      'aws_iam_role_policy_attachment',
      'aws_iam_user_policy_attachment',
      'aws_iam_group_policy_attachment',
      'aws_iam_policy_attachment',
    ]) {
      for (const a of resourcesOfType(model, type)) {
        const arn = a.attributes.policy_arn;
        if (typeof arn === 'string' && ADMIN_ARN.test(arn))
          out.push(findingFor(this, a, `attaches ${arn}.`));
        else if (isUnknown(arn) && !setAfterApply(arn) && !ownPolicies(a))
          cannotVerify(this, a, 'the attached policy', arn, 'policy_arn', context);
      }
    }
    // IAM Identity Center: a permission set with an AWS managed administrator policy gives it
    // to every user and group assigned the permission set, in every account it is provisioned to.
    for (const a of resourcesOfType(model, 'aws_ssoadmin_managed_policy_attachment')) {
      const arn = a.attributes.managed_policy_arn;
      if (typeof arn === 'string' && ADMIN_ARN.test(arn))
        out.push(findingFor(this, a, `attaches ${arn} to a permission set.`));
      else if (isUnknown(arn) && !setAfterApply(arn))
        cannotVerify(this, a, 'the attached policy', arn, 'managed_policy_arn', context);
    }
    for (const role of resourcesOfType(model, 'aws_iam_role')) {
      const arns = role.attributes.managed_policy_arns;
      if (Array.isArray(arns) && !isUnknown(arns))
        for (const arn of arns)
          if (typeof arn === 'string' && ADMIN_ARN.test(arn))
            out.push(findingFor(this, role, `managed_policy_arns includes ${arn}.`));
    }
    return out;
  },
};
