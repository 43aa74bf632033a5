import { isUnknown, resourcesOfType, unknownWhy } from '../../model';
import { alarmTopics, alarms, describeUnknown } from '../alarms';
import { findingFor, reportUnverified, type Finding, type Rule } from '../types';

/** `alias/aws/sns` or its ARN form: the AWS managed key of SNS. */
const AWS_MANAGED_KEY = /^(arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:)?alias\/aws\/sns$/;

/**
 * SLW-SNS-002 — alarm topics are encrypted with a customer managed key.
 *
 * An `aws_sns_topic` that an alarm of the model notifies (its `alarm_actions`, linked by
 * reference, module argument/output or known ARN; see `alarmTopics`) must set
 * `kms_master_key_id` to a customer managed key. Unencrypted, the alarm messages sit in SNS in
 * the clear (SLW-SNS-001 reports every such topic); with the AWS managed key `alias/aws/sns`
 * the notifications are never delivered at all: CloudWatch publishes to an encrypted topic only
 * when the key policy lets `cloudwatch.amazonaws.com` use the key, and an AWS managed key's
 * policy cannot be changed.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 *
 * Like trivy AVD-AWS-0136 (aws-sns-topic-encryption-use-cmk) and AVD-AWS-0095
 * (aws-sns-enable-topic-encryption), and checkov CKV_AWS_26 (any key), but only for alarm topics
 * (other topics keep SLW-SNS-001, which accepts the AWS managed key). A key known only after
 * apply because this configuration creates it (`aws_kms_key.x.arn`, `aws_kms_alias.x.name`)
 * passes: neither can be an AWS managed key. A key governance cannot evaluate (an unresolved
 * variable, a data source) is not a pass: a finding under `strict`, a scan warning under
 * `baseline`, like SLW-CW-001. The key policy itself is not checked.
 */
export const rule: Rule = {
  id: 'SLW-SNS-002',
  title: 'Alarm topic is encrypted with a customer managed key',
  severity: 'high',
  rationale:
    'CloudWatch can only publish to an encrypted topic whose key policy allows cloudwatch.amazonaws.com: unencrypted alarm topics keep notifications in the clear, AWS managed keys drop them.',
  fix: 'Set kms_master_key_id to a customer managed aws_kms_key whose policy allows cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* (the alarm topic module does).',
  checkov: ['CKV_AWS_26'],
  trivy: ['AVD-AWS-0095', 'AVD-AWS-0136'],
  profiles: { baseline: {}, strict: {} },
  check(model, profile, context) {
    const out: Finding[] = [];
    const topics = resourcesOfType(model, 'aws_sns_topic');
    const notifiedBy = new Map<string, string[]>();
    for (const alarm of alarms(model))
      for (const topic of alarmTopics(alarm, topics)) {
        const key = `${topic.input}|${topic.address}`;
        notifiedBy.set(key, [...(notifiedBy.get(key) ?? []), alarm.address]);
      }
    for (const topic of topics) {
      const by = notifiedBy.get(`${topic.input}|${topic.address}`);
      if (!by) continue;
      const kms = topic.attributes.kms_master_key_id;
      const first = by.length > 1 ? `${by[0]} and ${by.length - 1} more` : by[0];
      if (isUnknown(kms)) {
        if (kms.kind !== 'apply')
          reportUnverified(
            this,
            topic,
            `cannot verify the key of alarm topic ${topic.address} (notified by ${first}) because ${describeUnknown(kms, topic, 'kms_master_key_id')} is unknown (${unknownWhy(kms, describeUnknown(kms, topic, 'kms_master_key_id'))}).`,
            context,
            describeUnknown(kms, topic, 'kms_master_key_id'),
          );
        continue;
      }
      if (typeof kms !== 'string' || kms === '')
        out.push(
          findingFor(
            this,
            topic,
            `alarm topic (notified by ${first}) has no kms_master_key_id: its alarm notifications are stored unencrypted.`,
          ),
        );
      else if (AWS_MANAGED_KEY.test(kms))
        out.push(
          findingFor(
            this,
            topic,
            `alarm topic (notified by ${first}) uses the AWS managed key ${kms}, whose policy cannot allow cloudwatch.amazonaws.com: CloudWatch cannot publish, no alarm notification is delivered.`,
          ),
        );
    }
    return out;
  },
};
