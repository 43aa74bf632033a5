import { isUnknown, linked, resourcesOfType } from '../../model';
import { knownStrings, parsePolicy } from '../../policy';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-S3-005 — bucket policies deny requests without TLS.
 *
 * CIS AWS Foundations 2.1.1 / AWS Config `s3-bucket-ssl-requests-only`; checkov and trivy have
 * no Terraform check with exactly these semantics (KICS 4bc4dd4c "S3 Bucket Policy Accepts HTTP
 * Requests" is the closest public one). Passes with a linked bucket policy holding a Deny for
 * `s3:*` (or `*`) conditioned on `Bool aws:SecureTransport = false`. No policy → finding;
 * unknown policy → no finding.
 */
export const rule: Rule = {
  id: 'SLW-S3-005',
  title: 'S3 bucket policy denies non-TLS requests',
  severity: 'high',
  rationale:
    'S3 accepts plain HTTP unless the bucket policy refuses it; credentials and data would cross the network unencrypted.',
  fix: 'Add a Deny statement for Principal "*", Action "s3:*", Resource [bucket ARN, "bucket ARN/*"], Condition Bool aws:SecureTransport = "false" (the bucket module always adds it).',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'checkov and trivy have no Terraform check for an aws:SecureTransport deny in the bucket policy; AWS Security Hub S3.5 tests the same property on the deployed bucket.',
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const b of resourcesOfType(model, 'aws_s3_bucket')) {
      const policies = linked(b, 'aws_s3_bucket_policy').map((p) =>
        parsePolicy(p.attributes.policy),
      );
      if (isUnknown(b.attributes.policy) === false && b.attributes.policy)
        policies.push(parsePolicy(b.attributes.policy));
      const denies = policies
        .flatMap((p) => (Array.isArray(p) ? p : []))
        .some((s) => {
          if (s.effect !== 'Deny') return false;
          const actions = knownStrings(s.actions).map((a) => a.toLowerCase());
          if (!actions.includes('s3:*') && !actions.includes('*')) return false;
          const bool = s.condition?.Bool ?? s.condition?.bool;
          const v = bool && (bool['aws:SecureTransport'] ?? bool['aws:securetransport']);
          return (
            v === false || v === 'false' || (Array.isArray(v) && v.map(String).includes('false'))
          );
        });
      if (denies) continue;
      const unknown = policies.find(isUnknown);
      if (unknown) {
        const holder =
          linked(b, 'aws_s3_bucket_policy').find((p) =>
            isUnknown(parsePolicy(p.attributes.policy)),
          ) ?? b;
        cannotVerify(this, b, 'the TLS-only bucket policy', unknown, 'policy', context, holder);
        continue;
      }
      if (!denies)
        out.push(
          findingFor(
            this,
            b,
            policies.length
              ? 'the bucket policy has no Deny for aws:SecureTransport = false.'
              : 'no bucket policy is linked to this bucket, so plain HTTP is accepted.',
          ),
        );
    }
    return out;
  },
};
