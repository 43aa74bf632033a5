import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-SQS-001 — SQS queues are encrypted.
 *
 * Like checkov CKV_AWS_27 and trivy AVD-AWS-0096: `sqs_managed_sse_enabled = true` or
 * `kms_master_key_id` set. (AWS enables SSE-SQS on new queues by default since 2022; the rule
 * wants it explicit, and fails `sqs_managed_sse_enabled = false` without a key.)
 */
export const rule: Rule = {
  id: 'SLW-SQS-001',
  title: 'SQS queue is encrypted',
  severity: 'medium',
  rationale: 'Dead-letter queues hold the failed events themselves, including payloads.',
  fix: 'Set sqs_managed_sse_enabled = true, or kms_master_key_id = <key ARN> (the key policy must allow the producers).',
  checkov: ['CKV_AWS_27'],
  trivy: ['AVD-AWS-0096'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const q of resourcesOfType(model, 'aws_sqs_queue')) {
      const sse = q.attributes.sqs_managed_sse_enabled;
      const kms = q.attributes.kms_master_key_id;
      if (sse === true || setAfterApply(kms) || (typeof kms === 'string' && kms)) continue;
      const unknown = isUnknown(kms) ? kms : isUnknown(sse) ? sse : undefined;
      if (unknown) {
        cannotVerify(
          this,
          q,
          'encryption',
          unknown,
          unknown === kms ? 'kms_master_key_id' : 'sqs_managed_sse_enabled',
          context,
        );
        continue;
      }
      if (sse !== true && !kms)
        out.push(
          findingFor(this, q, 'neither sqs_managed_sse_enabled nor kms_master_key_id is set.'),
        );
    }
    return out;
  },
};
