import { isUnknown, type Resource, type UnknownValue } from '../../model';
import { findingFor, type Finding, type Rule } from '../types';

/** Resource types that accept `tags` and that Slipway creates (or may create). */
export const TAGGABLE_TYPES = new Set([
  'aws_s3_bucket',
  'aws_lambda_function',
  'aws_iam_role',
  'aws_iam_policy',
  'aws_iam_openid_connect_provider',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_metric_alarm',
  'aws_cloudwatch_event_rule',
  'aws_cloudwatch_event_bus',
  'aws_sqs_queue',
  'aws_sns_topic',
  'aws_sfn_state_machine',
  'aws_kms_key',
  'aws_dynamodb_table',
  'aws_apigatewayv2_api',
  'aws_apigatewayv2_stage',
  'aws_api_gateway_rest_api',
  'aws_api_gateway_stage',
  'aws_scheduler_schedule_group',
  'aws_secretsmanager_secret',
  'aws_ssm_parameter',
  'aws_db_instance',
]);

const norm = (k: string) => k.toLowerCase().replace(/[-_ ]/g, '');

/**
 * SLW-TAGS-001 — taggable resources carry the required tags.
 *
 * No direct checkov/trivy equivalent (checkov CKV_AWS_* tag checks are custom-policy based).
 * Effective tags are `tags_all` when the plan knows it, else provider `default_tags` merged
 * with `tags`. Deliberate choice: a module folder scanned on its own (no provider block, so no
 * default_tags visible) is not checked — its tags come from the caller's provider; the same
 * module is checked through the stacks and plans that call it. Keys compare case-insensitively,
 * ignoring `-` and `_`.
 */
export const rule: Rule = {
  id: 'SLW-TAGS-001',
  title: 'Resource carries the required tags',
  severity: 'low',
  rationale: 'Cost allocation, ownership and incident routing all read these tags.',
  fix: 'Set the missing keys in the provider default_tags (terraform/stacks: environments.json feeds them), not per resource.',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    "the required tag keys are this repository's own (governance/config.yaml requiredTags); checkov and trivy have no configurable required-tags check.",
  profiles: { baseline: {}, strict: {} },
  check(model, profile) {
    const out: Finding[] = [];
    const required = profile.requiredTags;
    for (const r of model.resources) {
      if (r.mode !== 'managed' || !TAGGABLE_TYPES.has(r.type)) continue;
      const tags = effectiveTags(r);
      if (tags === undefined || isUnknown(tags)) continue;
      const have = new Set(Object.keys(tags).map(norm));
      const missing = required.filter((k) => !have.has(norm(k)));
      if (missing.length)
        out.push(findingFor(this, r, `missing required tag(s): ${missing.join(', ')}.`));
    }
    return out;
  },
};

function effectiveTags(r: Resource): Record<string, unknown> | UnknownValue | undefined {
  const all = r.attributes.tags_all;
  if (all && typeof all === 'object' && !isUnknown(all) && Object.keys(all).length)
    return all as Record<string, unknown>;
  if (r.defaultTags === undefined) return undefined;
  if (isUnknown(r.defaultTags)) return r.defaultTags;
  const own = r.attributes.tags;
  if (isUnknown(own)) return own;
  return { ...r.defaultTags, ...((own as Record<string, unknown>) ?? {}) };
}
