import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-SNS-001 — SNS topics are encrypted.
 *
 * Same as checkov CKV_AWS_26 and trivy AVD-AWS-0095: `kms_master_key_id` set. (trivy AVD-AWS-
 * 0136 also rejects the AWS managed alias/aws/sns; we accept it, as checkov does.)
 */
export const rule: Rule = {
  id: 'SLW-SNS-001',
  title: 'SNS topic is encrypted',
  severity: 'medium',
  rationale:
    'Messages at rest in SNS (alarm notifications, dead letters) are otherwise unencrypted.',
  fix: 'Set kms_master_key_id = "alias/aws/sns" or a customer managed key ARN.',
  checkov: ['CKV_AWS_26'],
  trivy: ['AVD-AWS-0095'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const t of resourcesOfType(model, 'aws_sns_topic')) {
      const kms = t.attributes.kms_master_key_id;
      if (setAfterApply(kms)) continue;
      if (isUnknown(kms)) {
        cannotVerify(this, t, 'encryption', kms, 'kms_master_key_id', context);
        continue;
      }
      if (!kms) out.push(findingFor(this, t, 'kms_master_key_id is not set.'));
    }
    return out;
  },
};
