import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-LAMBDA-003 — Lambda functions set reserved concurrency.
 *
 * Same as checkov CKV_AWS_115: `reserved_concurrent_executions` must be set and not `-1`
 * (unreserved). `0` (throttle everything) passes, as in checkov. Unknown → no finding.
 */
export const rule: Rule = {
  id: 'SLW-LAMBDA-003',
  title: 'Lambda function has reserved concurrency',
  severity: 'low',
  rationale:
    'Reserved concurrency caps what one function can take from the account pool, so a burst in one flow cannot throttle every other function (and bounds its cost and its load on downstreams).',
  fix: 'Set reserved_concurrent_executions to the peak the function needs (lambda-function module variable of the same name; in a Lambda manifest: reservedConcurrency).',
  checkov: ['CKV_AWS_115'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const fn of resourcesOfType(model, 'aws_lambda_function')) {
      const v = fn.attributes.reserved_concurrent_executions;
      if (isUnknown(v)) {
        cannotVerify(
          this,
          fn,
          'reserved concurrency',
          v,
          'reserved_concurrent_executions',
          context,
        );
        continue;
      }
      if (v === undefined || v === null || v === -1)
        out.push(
          findingFor(
            this,
            fn,
            `reserved_concurrent_executions is ${v === -1 ? '-1 (unreserved)' : 'not set'}.`,
          ),
        );
    }
    return out;
  },
};
