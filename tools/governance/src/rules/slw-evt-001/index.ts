import {
  firstBlock,
  isUnknown,
  resourcesOfType,
  type Resource,
  type UnknownValue,
} from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/** A Lambda function ARN, unqualified or with a version/alias qualifier. */
const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^:]+(:[^:]+)?$/;

/** Resource types whose reference in `arn` makes the target a Lambda function. */
const LAMBDA_TYPES = ['aws_lambda_function', 'aws_lambda_alias'];

/**
 * Whether the target delivers to a Lambda function: `lambda` when its `arn` is a function ARN, or
 * (known only after apply) the `arn` expression references a function or alias of the same
 * module; `other` when the ARN is known and not a function's, or references another resource
 * of the module; `unknown` when it comes through a variable, module output or local governance
 * cannot read (a plan that knows the ARN decides).
 */
export function lambdaTarget(target: Resource): 'lambda' | 'other' | 'unknown' {
  const arn = target.attributes.arn;
  if (typeof arn === 'string') return LAMBDA_FUNCTION_ARN.test(arn) ? 'lambda' : 'other';
  if (!isUnknown(arn)) return 'other';
  const refs = target.references.arn ?? [];
  if (refs.some((ref) => LAMBDA_TYPES.some((type) => ref.startsWith(`${type}.`)))) return 'lambda';
  return refs.some((ref) => /^(data\.)?aws_[a-z0-9_]+\./.test(ref)) ? 'other' : 'unknown';
}

/**
 * SLW-EVT-001 — EventBridge rule targets that are Lambda functions have a dead-letter queue and
 * a retry policy.
 *
 * Every `aws_cloudwatch_event_target` delivering to a Lambda function must have a
 * `dead_letter_config` with an `arn` and a `retry_policy` block. EventBridge invokes Lambda
 * asynchronously: when Lambda does not accept the invocation (throttled, refused, a service
 * error) EventBridge retries, by default for 24 hours and 185 attempts, and then drops the event
 * unless a dead-letter queue is configured. The retry policy is required so the bound is read
 * in the code (terraform/modules/event-rule sets 3 retries within an hour).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 *
 * Neither checkov nor trivy has this check; the closest public one is serverless-rules ES4000
 * (cfn-lint, "EventBridge rule without DLQ"), which covers every target type and not the retry
 * policy. Targets of other types (Step Functions, SQS, ...) are not checked here. A target
 * whose ARN governance cannot read, or whose blocks are unknown, is "cannot verify" unless it
 * has both a dead-letter queue and a retry policy (then it passes whatever it targets).
 */
export const rule: Rule = {
  id: 'SLW-EVT-001',
  title: 'EventBridge Lambda target has a dead-letter queue and a retry policy',
  severity: 'high',
  rationale:
    'An event EventBridge could not hand to Lambda after its retries is dropped unless the target has a dead-letter queue; with one it is kept, with the error, to inspect and redrive. An explicit retry policy bounds how long that takes.',
  fix: 'Add dead_letter_config { arn = <SQS queue ARN> } (the queue policy must let events.amazonaws.com send with aws:SourceArn = the rule) and retry_policy { maximum_retry_attempts, maximum_event_age_in_seconds }; terraform/modules/event-rule always sets both.',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'checkov and trivy do not check aws_cloudwatch_event_target dead_letter_config or retry_policy; serverless-rules ES4000 (cfn-lint) asks a DLQ of every target type, not a retry policy.',
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const t of resourcesOfType(model, 'aws_cloudwatch_event_target')) {
      const kind = lambdaTarget(t);
      if (kind === 'other') continue;
      const dlq = firstBlock(t.attributes, 'dead_letter_config');
      if (kind === 'unknown') {
        const retry = firstBlock(t.attributes, 'retry_policy');
        const complete = !isUnknown(dlq) && dlq?.arn && !isUnknown(retry) && retry;
        if (!complete)
          cannotVerify(
            this,
            t,
            'whether the target is a Lambda function',
            t.attributes.arn as UnknownValue,
            'arn',
            context,
          );
        continue;
      }
      const arn = isUnknown(dlq) ? dlq : dlq?.arn;
      if (isUnknown(arn) && !setAfterApply(arn))
        cannotVerify(this, t, 'the dead-letter queue', arn, 'dead_letter_config', context);
      if (!isUnknown(dlq)) {
        if (!dlq)
          out.push(
            findingFor(
              this,
              t,
              'no dead_letter_config: events EventBridge cannot deliver to the function are dropped after the retries.',
            ),
          );
        else if (!isUnknown(dlq.arn) && !dlq.arn)
          out.push(
            findingFor(
              this,
              t,
              'dead_letter_config has no arn: events EventBridge cannot deliver to the function are dropped after the retries.',
            ),
          );
      }
      const retry = firstBlock(t.attributes, 'retry_policy');
      if (isUnknown(retry))
        cannotVerify(this, t, 'the retry policy', retry, 'retry_policy', context);
      if (!isUnknown(retry) && !retry)
        out.push(
          findingFor(
            this,
            t,
            "no retry_policy: EventBridge's defaults (185 retries over 24 hours) apply, unread in the code.",
          ),
        );
    }
    return out;
  },
};
