import { isUnknown, resourcesOfType } from '../../model';
import { findingFor, type Finding, type Rule } from '../types';

/**
 * Runtimes past (or at) their AWS deprecation date, from
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated
 * (checked 2025). nodejs18.x was deprecated on 2025-09-01.
 */
export const DEPRECATED_RUNTIMES = new Set([
  'nodejs',
  'nodejs4.3',
  'nodejs4.3-edge',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'nodejs16.x',
  'nodejs18.x',
  'python2.7',
  'python3.6',
  'python3.7',
  'python3.8',
  'ruby2.5',
  'ruby2.7',
  'ruby3.2',
  'java8',
  'go1.x',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'dotnet5.0',
  'dotnet6',
  'dotnet7',
  'provided',
]);

/**
 * SLW-LAMBDA-005 — no deprecated Lambda runtime.
 *
 * Like checkov CKV_AWS_363 and trivy AVD-AWS-0066's sibling runtime checks; the list above is
 * ours and kept current by hand. Container images (no runtime) pass.
 */
export const rule: Rule = {
  id: 'SLW-LAMBDA-005',
  title: 'Lambda function uses a supported runtime',
  severity: 'high',
  rationale:
    'Deprecated runtimes get no security patches, and AWS eventually blocks creating and then updating such functions.',
  fix: 'Move to a supported runtime (Slipway builds nodejs22.x; the lambda-function module only accepts nodejs20.x and nodejs22.x).',
  checkov: ['CKV_AWS_363'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const fn of resourcesOfType(model, 'aws_lambda_function')) {
      const rt = fn.attributes.runtime;
      if (isUnknown(rt) || typeof rt !== 'string') continue;
      if (DEPRECATED_RUNTIMES.has(rt))
        out.push(findingFor(this, fn, `runtime ${rt} is deprecated by AWS.`));
    }
    return out;
  },
};
