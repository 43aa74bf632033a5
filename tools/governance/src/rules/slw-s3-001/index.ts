import {
  blocks,
  isUnknown,
  linked,
  resourcesOfType,
  type Resource,
  type UnknownValue,
} from '../../model';
import { accessLogTargets } from '../s3-access-logs';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/** The `sse_algorithm` values S3 accepts. */
const VALID_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

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
 * An access-log target bucket (see `accessLogTargets`) is exempt from KMS under strict, as AWS
 * requires: server access log delivery does not support SSE-KMS, so there SSE-S3 passes and
 * SSE-KMS is the finding (checkov CKV_AWS_145 and trivy AVD-AWS-0132 still ask for KMS there).
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
  differences:
    'access-log target buckets need SSE-S3 under strict (SSE-KMS there is the finding); checkov/trivy ask KMS of them too.',
  profiles: { baseline: { requireKms: false }, strict: { requireKms: true } },
  check(model, profile, context) {
    const settings = this.profiles[profile.name];
    if (!settings) return [];
    const out: Finding[] = [];
    const targets = accessLogTargets(model);
    for (const b of resourcesOfType(model, 'aws_s3_bucket')) {
      const configs = linked(b, 'aws_s3_bucket_server_side_encryption_configuration');
      const inline = blocks(b.attributes, 'server_side_encryption_configuration');
      // Every algorithm read, with the resource it was read from (for "cannot verify").
      const algorithms: { value: unknown; holder: Resource; attribute: string }[] = [];
      const read = (c: unknown, holder: Resource, attribute: string) => {
        const rules = isUnknown(c) ? c : blocks(c as Record<string, unknown>, 'rule');
        if (isUnknown(rules)) return algorithms.push({ value: rules, holder, attribute });
        for (const r of rules) {
          const def = isUnknown(r) ? r : blocks(r, 'apply_server_side_encryption_by_default');
          if (isUnknown(def)) algorithms.push({ value: def, holder, attribute });
          else
            for (const d of def)
              algorithms.push({ value: isUnknown(d) ? d : d.sse_algorithm, holder, attribute });
        }
      };
      for (const c of configs) read(c.attributes, c, 'rule');
      if (isUnknown(inline)) read(inline, b, 'server_side_encryption_configuration');
      else for (const c of inline) read(c, b, 'server_side_encryption_configuration');
      const known = algorithms
        .map((a) => a.value)
        .filter((a): a is string => typeof a === 'string');
      const invalid = known.filter((a) => !VALID_ALGORITHMS.includes(a));
      if (invalid.length) {
        out.push(
          findingFor(
            this,
            b,
            `sse_algorithm ${invalid.map((a) => JSON.stringify(a)).join(', ')} is not one of ${VALID_ALGORITHMS.join(', ')}.`,
          ),
        );
        continue;
      }
      // S3 server access log delivery does not support SSE-KMS on the target bucket: there the
      // strict profile wants SSE-S3, and KMS is itself the finding.
      const logTarget = targets.get(b);
      if (logTarget && known.some((a) => a.startsWith('aws:kms'))) {
        out.push(
          findingFor(
            this,
            b,
            `the bucket receives S3 server access logs (${logTarget}) but its default encryption is ${known.map((a) => JSON.stringify(a)).join(', ')}: log delivery does not support SSE-KMS.`,
            'Use sse_algorithm = "AES256" (SSE-S3) on the access-log bucket (bucket module: kms_key_arn = null).',
          ),
        );
        continue;
      }
      const good =
        settings.requireKms && !logTarget ? known.filter((a) => a.startsWith('aws:kms')) : known;
      if (good.length) continue;
      const unknown = algorithms.find((a) => isUnknown(a.value));
      if (unknown) {
        cannotVerify(
          this,
          b,
          'default encryption',
          unknown.value as UnknownValue,
          unknown.attribute,
          context,
          unknown.holder,
        );
        continue;
      }
      if (known.length === 0) {
        out.push(
          findingFor(this, b, 'no server-side encryption configuration is linked to this bucket.'),
        );
        continue;
      }
      out.push(
        findingFor(
          this,
          b,
          `default encryption is ${known.map((a) => JSON.stringify(a)).join(', ')}; the ${profile.name} profile requires SSE-KMS with a customer managed key.`,
          'Set sse_algorithm = "aws:kms" with kms_master_key_id = <customer managed key ARN> (bucket module: kms_key_arn).',
        ),
      );
    }
    return out;
  },
};
