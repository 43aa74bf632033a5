import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-LOGS-002 — log groups are encrypted with a customer managed KMS key (strict only).
 *
 * Same as checkov CKV_AWS_158 and trivy AVD-AWS-0017, but only in `strict`: CloudWatch Logs
 * always encrypts at rest; the CMK adds key-policy control, which production needs and dev does not.
 */
export const rule: Rule = {
  id: 'SLW-LOGS-002',
  title: 'Log group uses a KMS key',
  severity: 'medium',
  rationale:
    'Function logs carry payload excerpts and identifiers; a customer managed key lets the account decide who may read them.',
  fix: 'Set kms_key_id to a customer managed key whose policy allows logs.<region>.amazonaws.com (modules: log_kms_key_arn).',
  checkov: ['CKV_AWS_158'],
  trivy: ['AVD-AWS-0017'],
  differences: 'strict profile only.',
  profiles: { strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const g of resourcesOfType(model, 'aws_cloudwatch_log_group')) {
      const k = g.attributes.kms_key_id;
      if (setAfterApply(k)) continue;
      if (isUnknown(k)) {
        cannotVerify(this, g, 'the KMS key', k, 'kms_key_id', context);
        continue;
      }
      if (!k) out.push(findingFor(this, g, 'kms_key_id is not set.'));
    }
    return out;
  },
};
