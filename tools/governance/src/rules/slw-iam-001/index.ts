import { isUnknown, resourcesOfType } from '../../model';
import { knownStrings } from '../../policy';
import { identityPolicies, label } from '../iam-policies';
import { findingFor, type Finding, type Rule } from '../types';

const ADMIN_ARN = /:policy\/AdministratorAccess$/;

/**
 * SLW-IAM-001 — no administrator policy.
 *
 * Combines checkov CKV_AWS_274 (AdministratorAccess attached to a role, user or group) and
 * CKV_AWS_62/CKV_AWS_1 (a policy allowing `*` actions on `*` resources); trivy AVD-AWS-0057
 * covers the latter. Attachments are checked on the *_policy_attachment resources and on
 * `aws_iam_role.managed_policy_arns`.
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
  check(model) {
    const out: Finding[] = [];
    for (const p of identityPolicies(model)) {
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
      }
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
