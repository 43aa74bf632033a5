import { globMatch } from '../../glob';
import type { ResourceChange } from '../../model';
import { findingFor, type Finding, type Rule } from '../types';

/** Resource types whose deletion loses data or breaks what depends on them. */
export const STATEFUL_TYPES = new Set([
  'aws_s3_bucket',
  'aws_dynamodb_table',
  'aws_kms_key',
  'aws_cloudwatch_log_group',
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_efs_file_system',
  'aws_sqs_queue',
  'aws_secretsmanager_secret',
  'aws_ebs_volume',
  'aws_elasticache_cluster',
  'aws_elasticache_replication_group',
  'aws_kinesis_stream',
  'aws_cloudwatch_event_archive',
  'aws_cognito_user_pool',
  'aws_ssm_parameter',
  'aws_backup_vault',
  'aws_ecr_repository',
]);

/** "delete", "replace" or undefined for a change's actions. */
export function destructiveKind(actions: string[]): 'delete' | 'replace' | undefined {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.length === 1 && actions[0] === 'delete') return 'delete';
  return undefined;
}

/**
 * SLW-PLAN-001 — a plan must not delete or replace a stateful resource unless the run allows it.
 *
 * No checkov/trivy equivalent (they do not look at changes). `--allow-destroy <address>` (glob
 * allowed) lets one run through: the finding stays in the report, marked allowed.
 */
export const rule: Rule = {
  id: 'SLW-PLAN-001',
  title: 'Plan does not destroy stateful resources',
  severity: 'critical',
  rationale:
    'Deleting or replacing a bucket, table, key or log group destroys data that no apply can bring back.',
  fix: 'Find the change that forces replacement (terraform plan shows "# forces replacement"), or add a moved/import block. If the destruction is intended, re-run with --allow-destroy <address> and say why in the PR.',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'a plan guard: it reads the planned actions (delete, replace) of stateful types, which checkov and trivy do not evaluate (they check the configuration, not the change).',
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const c of model.changes) {
      const kind = destructiveKind(c.actions);
      if (!kind || !STATEFUL_TYPES.has(c.type)) continue;
      const f = findingFor(
        this,
        at(c),
        `${c.stack}: plan will ${kind} ${c.type} ${c.address} (actions ${c.actions.join(', ')}).`,
      );
      const allow = context.allowDestroy.find((a) => globMatch(a, c.address));
      if (allow) f.allowed = `allowed by --allow-destroy ${allow}`;
      out.push(f);
    }
    return out;
  },
};

function at(c: ResourceChange) {
  return { address: c.address, file: c.file, input: c.file };
}
