import {
  blocks,
  firstBlock,
  isUnknown,
  linked,
  resourcesOfType,
  type UnknownValue,
} from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

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
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const fn of resourcesOfType(model, 'aws_lambda_function')) {
      const dlq = firstBlock(fn.attributes, 'dead_letter_config');
      const target = isUnknown(dlq) ? dlq : dlq?.target_arn;
      if (setAfterApply(target) || (typeof target === 'string' && target)) continue;
      let unknown: UnknownValue | undefined = isUnknown(target) ? target : undefined;
      let holder = fn;
      const onFailure = linked(fn, 'aws_lambda_function_event_invoke_config').some((c) => {
        const dc = firstBlock(c.attributes, 'destination_config');
        const of = isUnknown(dc) ? dc : blocks(dc, 'on_failure');
        const destinations = isUnknown(of) ? [of] : of.map((b) => b.destination);
        if (destinations.some((d) => setAfterApply(d) || (typeof d === 'string' && d))) return true;
        const u = destinations.find(isUnknown);
        if (u && !unknown) {
          unknown = u;
          holder = c;
        }
        return false;
      });
      if (onFailure) continue;
      if (unknown) {
        cannotVerify(
          this,
          fn,
          'the failure destination',
          unknown,
          holder === fn ? 'dead_letter_config' : 'destination_config',
          context,
          holder,
        );
        continue;
      }
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
