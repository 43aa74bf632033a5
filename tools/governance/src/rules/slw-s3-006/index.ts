import { blocks, isUnknown, linked, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-S3-006 — buckets have a lifecycle configuration.
 *
 * Same as checkov CKV2_AWS_61 (at least one enabled rule); trivy has no equivalent. Versioned
 * buckets without lifecycle rules keep every noncurrent version and every failed multipart
 * upload forever.
 */
export const rule: Rule = {
  id: 'SLW-S3-006',
  title: 'S3 bucket has a lifecycle configuration',
  severity: 'low',
  rationale:
    'Without lifecycle rules noncurrent versions and incomplete multipart uploads accumulate (and are billed) forever.',
  fix: 'Add aws_s3_bucket_lifecycle_configuration with at least one enabled rule (bucket module: lifecycle_rules, which defaults to one).',
  checkov: ['CKV2_AWS_61'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const b of resourcesOfType(model, 'aws_s3_bucket')) {
      const lcs = linked(b, 'aws_s3_bucket_lifecycle_configuration');
      const inline = blocks(b.attributes, 'lifecycle_rule');
      const statuses: unknown[] = isUnknown(inline) ? [inline] : [];
      for (const lc of lcs) {
        const rules = blocks(lc.attributes, 'rule');
        if (isUnknown(rules)) statuses.push(rules);
        else statuses.push(...rules.map((r) => r.status));
      }
      if (!isUnknown(inline))
        statuses.push(...inline.map((r) => (r.enabled === true ? 'Enabled' : r.enabled)));
      if (statuses.includes('Enabled')) continue;
      const unknown = statuses.find(isUnknown);
      if (unknown) {
        cannotVerify(this, b, 'the lifecycle rules', unknown, 'lifecycle_rule', context);
        continue;
      }
      if (!statuses.includes('Enabled'))
        out.push(
          findingFor(
            this,
            b,
            lcs.length
              ? 'the lifecycle configuration has no enabled rule.'
              : 'no lifecycle configuration is linked to this bucket.',
          ),
        );
    }
    return out;
  },
};
