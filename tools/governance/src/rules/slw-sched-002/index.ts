import { firstBlock, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-SCHED-002 — EventBridge Scheduler schedules have a dead-letter queue.
 *
 * The schedule's `target` must have a `dead_letter_config` with an `arn`. When Scheduler cannot
 * invoke the target (throttled, refused, the role lacks the permission) it retries under the
 * target's retry policy and then drops the invocation: without a dead-letter queue a scheduled
 * run is skipped and only Scheduler's `InvocationDroppedCount` metric says so. With one, the
 * invocation is kept with the error and can be replayed. Scheduler writes to the queue with the
 * schedule's execution role (sqs:SendMessage), not through a queue policy.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
 *
 * A separate rule from SLW-SCHED-001 (customer managed key, strict only, low): losing a run is
 * a baseline concern. Every target type is checked (every one supports a dead-letter queue).
 * Neither checkov nor trivy has this check. Unknown blocks or ARNs give no finding.
 */
export const rule: Rule = {
  id: 'SLW-SCHED-002',
  title: 'Scheduler schedule target has a dead-letter queue',
  severity: 'high',
  rationale:
    'An invocation Scheduler could not deliver after its retries is dropped unless the target has a dead-letter queue: the scheduled run silently does not happen.',
  fix: "Add target { dead_letter_config { arn = <standard SQS queue ARN> } } and allow sqs:SendMessage on that queue in the schedule's execution role (Scheduler writes dead letters with it).",
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    "checkov CKV_AWS_297 asks for a customer managed key on a schedule (SLW-SCHED-001); no checkov or trivy check reads the target's dead_letter_config.",
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const s of resourcesOfType(model, 'aws_scheduler_schedule')) {
      const target = firstBlock(s.attributes, 'target');
      if (isUnknown(target)) {
        cannotVerify(this, s, 'the dead-letter queue', target, 'target', context);
        continue;
      }
      if (!target) continue;
      const dlq = firstBlock(target, 'dead_letter_config');
      const arn = isUnknown(dlq) ? dlq : dlq?.arn;
      if (setAfterApply(arn)) continue;
      if (isUnknown(arn)) {
        cannotVerify(this, s, 'the dead-letter queue', arn, 'target', context);
        continue;
      }
      if (!dlq)
        out.push(
          findingFor(
            this,
            s,
            'target has no dead_letter_config: an invocation Scheduler cannot deliver is dropped after the retries.',
          ),
        );
      else if (!isUnknown(dlq) && !dlq.arn)
        out.push(
          findingFor(
            this,
            s,
            'target.dead_letter_config has no arn: an invocation Scheduler cannot deliver is dropped after the retries.',
          ),
        );
    }
    return out;
  },
};
