/** Every rule, in report order. Add a rule: create src/rules/<id>/index.ts and list it here. */
import { rule as apigw_001 } from './slw-apigw-001';
import { rule as apigw_002 } from './slw-apigw-002';
import { rule as apigw_003 } from './slw-apigw-003';
import { rule as apigw_004 } from './slw-apigw-004';
import { rule as apigw_005 } from './slw-apigw-005';
import { rule as apigw_006 } from './slw-apigw-006';
import { rule as appsync_001 } from './slw-appsync-001';
import { rule as appsync_002 } from './slw-appsync-002';
import { rule as appsync_003 } from './slw-appsync-003';
import { rule as cw_001 } from './slw-cw-001';
import { rule as cw_002 } from './slw-cw-002';
import { rule as ddb_001 } from './slw-ddb-001';
import { rule as ddb_002 } from './slw-ddb-002';
import { rule as ddb_003 } from './slw-ddb-003';
import { rule as evt_001 } from './slw-evt-001';
import { rule as hcl_001 } from './slw-hcl-001';
import { rule as iam_001 } from './slw-iam-001';
import { rule as iam_002 } from './slw-iam-002';
import { rule as iam_003 } from './slw-iam-003';
import { rule as iam_004 } from './slw-iam-004';
import { rule as iam_005 } from './slw-iam-005';
import { rule as iam_006 } from './slw-iam-006';
import { rule as kms_001 } from './slw-kms-001';
import { rule as lambda_001 } from './slw-lambda-001';
import { rule as lambda_002 } from './slw-lambda-002';
import { rule as lambda_003 } from './slw-lambda-003';
import { rule as lambda_004 } from './slw-lambda-004';
import { rule as lambda_005 } from './slw-lambda-005';
import { rule as lambda_006 } from './slw-lambda-006';
import { rule as lambda_007 } from './slw-lambda-007';
import { rule as lambda_008 } from './slw-lambda-008';
import { rule as lambda_009 } from './slw-lambda-009';
import { rule as logs_001 } from './slw-logs-001';
import { rule as logs_002 } from './slw-logs-002';
import { rule as plan_001 } from './slw-plan-001';
import { rule as plan_002 } from './slw-plan-002';
import { rule as plan_003 } from './slw-plan-003';
import { rule as repo_001 } from './slw-repo-001';
import { rule as repo_002 } from './slw-repo-002';
import { rule as repo_003 } from './slw-repo-003';
import { rule as repo_004 } from './slw-repo-004';
import { rule as s3_001 } from './slw-s3-001';
import { rule as s3_002 } from './slw-s3-002';
import { rule as s3_003 } from './slw-s3-003';
import { rule as s3_004 } from './slw-s3-004';
import { rule as s3_005 } from './slw-s3-005';
import { rule as s3_006 } from './slw-s3-006';
import { rule as sched_001 } from './slw-sched-001';
import { rule as sched_002 } from './slw-sched-002';
import { rule as sfn_001 } from './slw-sfn-001';
import { rule as sfn_002 } from './slw-sfn-002';
import { rule as sfn_003 } from './slw-sfn-003';
import { rule as sfn_004 } from './slw-sfn-004';
import { rule as sfn_005 } from './slw-sfn-005';
import { rule as sfn_006 } from './slw-sfn-006';
import { rule as sfn_007 } from './slw-sfn-007';
import { rule as sfn_008 } from './slw-sfn-008';
import { rule as sns_001 } from './slw-sns-001';
import { rule as sns_002 } from './slw-sns-002';
import { rule as sqs_001 } from './slw-sqs-001';
import { rule as tags_001 } from './slw-tags-001';
import type { Rule } from './types';

/** All rules, by id order. */
export const RULES: readonly Rule[] = [
  apigw_001 as Rule,
  apigw_002 as Rule,
  apigw_003 as Rule,
  apigw_004 as Rule,
  apigw_005 as Rule,
  apigw_006 as Rule,
  appsync_001 as Rule,
  appsync_002 as Rule,
  appsync_003 as Rule,
  cw_001 as Rule,
  cw_002 as Rule,
  ddb_001 as Rule,
  ddb_002 as Rule,
  ddb_003 as Rule,
  evt_001 as Rule,
  hcl_001 as Rule,
  iam_001 as Rule,
  iam_002 as Rule,
  iam_003 as Rule,
  iam_004 as Rule,
  iam_005 as Rule,
  iam_006 as Rule,
  kms_001 as Rule,
  lambda_001 as Rule,
  lambda_002 as Rule,
  lambda_003 as Rule,
  lambda_004 as Rule,
  lambda_005 as Rule,
  lambda_006 as Rule,
  lambda_007 as Rule,
  lambda_008 as Rule,
  lambda_009 as Rule,
  logs_001 as Rule,
  logs_002 as Rule,
  plan_001 as Rule,
  plan_002 as Rule,
  plan_003 as Rule,
  repo_001 as Rule,
  repo_002 as Rule,
  repo_003 as Rule,
  repo_004 as Rule,
  s3_001 as Rule,
  s3_002 as Rule,
  s3_003 as Rule,
  s3_004 as Rule,
  s3_005 as Rule,
  s3_006 as Rule,
  sched_001 as Rule,
  sched_002 as Rule,
  sfn_001 as Rule,
  sfn_002 as Rule,
  sfn_003 as Rule,
  sfn_004 as Rule,
  sfn_005 as Rule,
  sfn_006 as Rule,
  sfn_007 as Rule,
  sfn_008 as Rule,
  sns_001 as Rule,
  sns_002 as Rule,
  sqs_001 as Rule,
  tags_001 as Rule,
];

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
