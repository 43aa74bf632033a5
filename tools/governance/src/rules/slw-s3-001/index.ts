import { blocks, isUnknown, linked, resourcesOfType } from '../../model';
import { findingFor, type Finding, type Rule } from '../types';

/** Thresholds of SLW-S3-001. */
export interface S3EncryptionSettings {
  /** Require SSE-KMS (`aws:kms` or `aws:kms:dsse`) rather than SSE-S3. */
  requireKms: boolean;
}

/**
 * SLW-S3-001 — buckets have default encryption (SSE-KMS under `strict`).
 *
 * Baseline matches trivy AVD-AWS-0088 (an encryption configuration exists); strict matches
 * checkov CKV_AWS_145 and trivy AVD-AWS-0132 (KMS). Since 2023 S3 encrypts new objects with
 * SSE-S3 anyway; the baseline check still wants the configuration to be explicit. Both the
 * split `aws_s3_bucket_server_side_encryption_configuration` and the legacy inline block count.
 */
export const rule: Rule<S3EncryptionSettings> = {
  id: 'SLW-S3-001',
  title: 'S3 bucket has default encryption',
  severity: 'high',
  rationale:
    'Explicit default encryption documents the intent; SSE-KMS adds key-policy access control and CloudTrail records of every decrypt.',
  fix: 'Add aws_s3_bucket_server_side_encryption_configuration (bucket module: kms_key_arn = <key ARN> for SSE-KMS).',
  checkov: ['CKV_AWS_145', 'CKV_AWS_19'],
  trivy: ['AVD-AWS-0088', 'AVD-AWS-0132'],
  profiles: { baseline: { requireKms: false }, strict: { requireKms: true } },
  check(model, profile) {
    const settings = this.profiles[profile.name];
    if (!settings) return [];
    const out: Finding[] = [];
    for (const b of resourcesOfType(model, 'aws_s3_bucket')) {
      const configs = linked(b, 'aws_s3_bucket_server_side_encryption_configuration');
      const inline = blocks(b.attributes, 'server_side_encryption_configuration');
      if (isUnknown(inline) && configs.length === 0) continue;
      const algorithms: unknown[] = [];
      for (const c of [...configs.map((c) => c.attributes), ...(isUnknown(inline) ? [] : inline)]) {
        const rules = blocks(c, 'rule');
        if (isUnknown(rules)) algorithms.push(rules);
        else
          for (const r of rules) {
            const def = blocks(r, 'apply_server_side_encryption_by_default');
            if (isUnknown(def)) algorithms.push(def);
            else for (const d of def) algorithms.push(d.sse_algorithm);
          }
      }
      if (algorithms.some(isUnknown)) continue;
      if (algorithms.length === 0) {
        out.push(
          findingFor(this, b, 'no server-side encryption configuration is linked to this bucket.'),
        );
        continue;
      }
      if (
        settings.requireKms &&
        !algorithms.some((a) => typeof a === 'string' && a.startsWith('aws:kms'))
      )
        out.push(
          findingFor(
            this,
            b,
            `default encryption is ${algorithms.map((a) => JSON.stringify(a)).join(', ')}; the ${profile.name} profile requires SSE-KMS with a customer managed key.`,
            'Set sse_algorithm = "aws:kms" with kms_master_key_id = <customer managed key ARN> (bucket module: kms_key_arn).',
          ),
        );
    }
    return out;
  },
};
