import { isUnknown, linked, resourcesOfType, type UnknownValue } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/** The four flags, in the order AWS documents them. */
export const PUBLIC_ACCESS_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
] as const;

/**
 * SLW-S3-002 — buckets block all public access.
 *
 * One rule for checkov CKV_AWS_53/54/55/56 (and CKV2_AWS_6) and trivy AVD-AWS-0086/0087/0091/
 * 0093/0094: a linked `aws_s3_bucket_public_access_block` with all four flags true. One finding
 * per bucket, naming the flags that are off.
 */
export const rule: Rule = {
  id: 'SLW-S3-002',
  title: 'S3 bucket blocks all public access',
  severity: 'critical',
  rationale:
    'Without all four flags an ACL or bucket policy can make objects public, the most common cause of S3 data leaks.',
  fix: 'Add aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true (the bucket module always does).',
  checkov: ['CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56', 'CKV2_AWS_6'],
  trivy: ['AVD-AWS-0086', 'AVD-AWS-0087', 'AVD-AWS-0091', 'AVD-AWS-0093', 'AVD-AWS-0094'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const b of resourcesOfType(model, 'aws_s3_bucket')) {
      const pabs = linked(b, 'aws_s3_bucket_public_access_block');
      if (pabs.length === 0) {
        out.push(
          findingFor(this, b, 'no aws_s3_bucket_public_access_block is linked to this bucket.'),
        );
        continue;
      }
      const flags = PUBLIC_ACCESS_FLAGS.map((f) => [f, pabs.map((p) => p.attributes[f])] as const);
      const off = flags.filter(([, vs]) => !vs.some((v) => v === true)).map(([f]) => f);
      const unsure = off.find((f) => pabs.some((p) => isUnknown(p.attributes[f])));
      if (unsure) {
        const pab = pabs.find((p) => isUnknown(p.attributes[unsure]))!;
        cannotVerify(
          this,
          b,
          `public access block flag ${unsure}`,
          pab.attributes[unsure] as UnknownValue,
          unsure,
          context,
          pab,
        );
        continue;
      }
      if (off.length)
        out.push(findingFor(this, b, `public access block flags not true: ${off.join(', ')}.`));
    }
    return out;
  },
};
