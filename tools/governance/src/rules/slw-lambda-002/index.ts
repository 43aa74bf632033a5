import { blocks, firstBlock, isUnknown, linked, resourcesOfType } from '../../model';
import { findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-LAMBDA-002 — Lambda functions keep failed asynchronous events (DLQ or on-failure destination).
 *
 * Like checkov CKV_AWS_116 (dead_letter_config.target_arn set), but also accepts an
 * `aws_lambda_function_event_invoke_config` with `destination_config.on_failure` linked to the
 * function, which AWS recommends over DLQs. Unknown target → no finding.
 */
export const rule: Rule = {
  id: 'SLW-LAMBDA-002',
  title: 'Lambda function has a dead-letter queue or on-failure destination',
  severity: 'medium',
  rationale:
    'An asynchronous event that fails every retry is otherwise dropped silently: bad input must never vanish.',
  fix: 'Set dead_letter_config { target_arn = <SQS queue or SNS topic ARN> } (lambda-function module: create_dead_letter_queue = true) or add an aws_lambda_function_event_invoke_config with destination_config.on_failure.',
  checkov: ['CKV_AWS_116'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const fn of resourcesOfType(model, 'aws_lambda_function')) {
      const dlq = firstBlock(fn.attributes, 'dead_letter_config');
      if (isUnknown(dlq)) continue;
      const target = dlq?.target_arn;
      if (isUnknown(target) || (typeof target === 'string' && target)) continue;
      const onFailure = linked(fn, 'aws_lambda_function_event_invoke_config').some((c) => {
        const dc = firstBlock(c.attributes, 'destination_config');
        if (isUnknown(dc)) return true;
        const of = blocks(dc, 'on_failure');
        return (
          isUnknown(of) || of.some((b) => b.destination !== undefined && b.destination !== null)
        );
      });
      if (!onFailure)
        out.push(
          findingFor(
            this,
            fn,
            'No dead_letter_config target and no on-failure destination: failed asynchronous invocations are dropped.',
          ),
        );
    }
    return out;
  },
};
