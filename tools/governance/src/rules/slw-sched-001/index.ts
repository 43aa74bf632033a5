import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-SCHED-001 — EventBridge Scheduler schedules use a customer managed key (strict only).
 *
 * Same as checkov CKV_AWS_297 (`kms_key_arn` set), but only in `strict`: schedules are
 * encrypted with an AWS owned key anyway; the CMK is a production requirement.
 */
export const rule: Rule = {
  id: 'SLW-SCHED-001',
  title: 'Scheduler schedule uses a KMS key',
  severity: 'low',
  rationale:
    'Schedule targets carry their input payload; a customer managed key controls who can read it.',
  fix: 'Set kms_key_arn on the aws_scheduler_schedule.',
  checkov: ['CKV_AWS_297'],
  trivy: [],
  differences: 'strict profile only.',
  profiles: { strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const s of resourcesOfType(model, 'aws_scheduler_schedule')) {
      const k = s.attributes.kms_key_arn;
      if (setAfterApply(k)) continue;
      if (isUnknown(k)) {
        cannotVerify(this, s, 'the KMS key', k, 'kms_key_arn', context);
        continue;
      }
      if (!k) out.push(findingFor(this, s, 'kms_key_arn is not set.'));
    }
    return out;
  },
};
