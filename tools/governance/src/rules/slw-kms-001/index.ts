import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-KMS-001 — KMS keys rotate.
 *
 * Same as checkov CKV_AWS_7 and trivy AVD-AWS-0065: `enable_key_rotation = true` for symmetric
 * encryption keys. Asymmetric and HMAC keys (which cannot rotate) are skipped.
 */
export const rule: Rule = {
  id: 'SLW-KMS-001',
  title: 'KMS key rotation is enabled',
  severity: 'medium',
  rationale:
    'Automatic rotation limits how much data one key version protects, as most compliance regimes require.',
  fix: 'Set enable_key_rotation = true on the aws_kms_key.',
  checkov: ['CKV_AWS_7'],
  trivy: ['AVD-AWS-0065'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const k of resourcesOfType(model, 'aws_kms_key')) {
      const spec = k.attributes.customer_master_key_spec;
      if (typeof spec === 'string' && spec !== 'SYMMETRIC_DEFAULT') continue;
      const r = k.attributes.enable_key_rotation;
      if (r === true) continue;
      const unknown = isUnknown(r) ? r : isUnknown(spec) ? spec : undefined;
      if (unknown) {
        cannotVerify(
          this,
          k,
          'key rotation',
          unknown,
          unknown === r ? 'enable_key_rotation' : 'customer_master_key_spec',
          context,
        );
        continue;
      }
      if (r !== true) out.push(findingFor(this, k, 'enable_key_rotation is not true.'));
    }
    return out;
  },
};
