import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-DDB-003 — DynamoDB tables have deletion protection (strict profile only).
 *
 * `deletion_protection_enabled = true`, as AWS Security Hub control DynamoDB.6 checks on live
 * tables. checkov and trivy have no equivalent for tables (checkov CKV_AWS_165 is point-in-time
 * recovery of global tables, not deletion protection). Only in `strict`: dev and staging stacks
 * must be able to tear their tables down.
 */
export const rule: Rule = {
  id: 'SLW-DDB-003',
  title: 'DynamoDB table has deletion protection',
  severity: 'medium',
  rationale:
    'A production table must survive a mistaken destroy or a replacement forced by a renamed table or key: with deletion protection DeleteTable fails until it is turned off in a separate, reviewed change.',
  fix: 'Set deletion_protection_enabled = true; terraform/modules/table does by default (deletion_protection = true).',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'checkov and trivy have no Terraform check for deletion_protection_enabled; AWS Security Hub DynamoDB.6 tests the same property on the deployed table.',
  profiles: { strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const t of resourcesOfType(model, 'aws_dynamodb_table')) {
      const p = t.attributes.deletion_protection_enabled;
      if (isUnknown(p)) {
        cannotVerify(this, t, 'deletion protection', p, 'deletion_protection_enabled', context);
        continue;
      }
      if (p !== true)
        out.push(
          findingFor(
            this,
            t,
            p === undefined || p === null
              ? 'deletion_protection_enabled is not set.'
              : `deletion_protection_enabled is ${JSON.stringify(p)}.`,
          ),
        );
    }
    return out;
  },
};
