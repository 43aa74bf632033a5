import { blocks, isUnknown, linked, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-S3-003 — buckets are versioned.
 *
 * Same as checkov CKV_AWS_21 and trivy AVD-AWS-0090: a linked `aws_s3_bucket_versioning` with
 * status `Enabled` (or the legacy inline `versioning { enabled = true }`).
 */
export const rule: Rule = {
  id: 'SLW-S3-003',
  title: 'S3 bucket has versioning enabled',
  severity: 'medium',
  rationale:
    'Versioning recovers objects from overwrites, deletes and ransomware; the Terraform state bucket depends on it for rollback.',
  fix: 'Add aws_s3_bucket_versioning with versioning_configuration { status = "Enabled" } (bucket module: versioning_enabled = true, the default).',
  checkov: ['CKV_AWS_21'],
  trivy: ['AVD-AWS-0090'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const b of resourcesOfType(model, 'aws_s3_bucket')) {
      const statuses: unknown[] = [];
      let holder = b;
      for (const v of linked(b, 'aws_s3_bucket_versioning')) {
        const vc = blocks(v.attributes, 'versioning_configuration');
        if (isUnknown(vc)) statuses.push(vc);
        else statuses.push(...vc.map((c) => (isUnknown(c) ? c : c.status)));
        if (statuses.some(isUnknown) && holder === b) holder = v;
      }
      const inline = blocks(b.attributes, 'versioning');
      if (!isUnknown(inline))
        statuses.push(
          ...inline.map((c) =>
            c.enabled === true ? 'Enabled' : isUnknown(c.enabled) ? c.enabled : 'Disabled',
          ),
        );
      else statuses.push(inline);
      if (statuses.includes('Enabled')) continue;
      const unknown = statuses.find(isUnknown);
      if (unknown) {
        cannotVerify(
          this,
          b,
          'versioning',
          unknown,
          holder === b ? 'versioning' : 'versioning_configuration',
          context,
          holder,
        );
        continue;
      }
      if (!statuses.includes('Enabled'))
        out.push(
          findingFor(
            this,
            b,
            statuses.length
              ? `versioning status is ${statuses.map((s) => JSON.stringify(s)).join(', ')}.`
              : 'no versioning configuration is linked to this bucket.',
          ),
        );
    }
    return out;
  },
};
