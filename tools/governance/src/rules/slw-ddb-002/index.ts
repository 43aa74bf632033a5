import { firstBlock, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-DDB-002 — DynamoDB tables have point-in-time recovery.
 *
 * Same as checkov CKV_AWS_28 and trivy AVD-AWS-0024: `point_in_time_recovery { enabled = true }`.
 * In plan JSON an absent block is "known after apply" (the provider computes it), so it is not
 * reported there; the same configuration is reported through its HCL or synthesized stack JSON.
 */
export const rule: Rule = {
  id: 'SLW-DDB-002',
  title: 'DynamoDB table has point-in-time recovery',
  severity: 'medium',
  rationale:
    'Without continuous backups a bad deploy or a wrong batch delete cannot be undone; with them the table is restored to any second of the last 35 days.',
  fix: 'Add point_in_time_recovery { enabled = true }; terraform/modules/table does by default (point_in_time_recovery = true).',
  checkov: ['CKV_AWS_28'],
  trivy: ['AVD-AWS-0024'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const t of resourcesOfType(model, 'aws_dynamodb_table')) {
      const pitr = firstBlock(t.attributes, 'point_in_time_recovery');
      const unknown = isUnknown(pitr) ? pitr : isUnknown(pitr?.enabled) ? pitr.enabled : undefined;
      if (unknown) {
        cannotVerify(this, t, 'point-in-time recovery', unknown, 'point_in_time_recovery', context);
        continue;
      }
      if (isUnknown(pitr)) continue;
      if (!pitr) out.push(findingFor(this, t, 'no point_in_time_recovery block.'));
      else if (pitr.enabled !== true)
        out.push(
          findingFor(
            this,
            t,
            `point_in_time_recovery.enabled is ${JSON.stringify(pitr.enabled ?? null)}.`,
          ),
        );
    }
    return out;
  },
};
