import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-LAMBDA-006 — Lambda function URLs require IAM authentication.
 *
 * Same as checkov CKV_AWS_258: `authorization_type` must be `AWS_IAM` (`NONE` makes the URL
 * public). Unknown → no finding.
 */
export const rule: Rule = {
  id: 'SLW-LAMBDA-006',
  title: 'Lambda function URL requires AWS_IAM auth',
  severity: 'high',
  rationale:
    'A function URL with authorization_type NONE lets anyone on the internet invoke the function.',
  fix: 'Set authorization_type = "AWS_IAM", or put the function behind API Gateway with an authorizer.',
  checkov: ['CKV_AWS_258'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const url of resourcesOfType(model, 'aws_lambda_function_url')) {
      const t = url.attributes.authorization_type;
      if (isUnknown(t)) {
        cannotVerify(this, url, 'the authorization type', t, 'authorization_type', context);
        continue;
      }
      if (t !== 'AWS_IAM')
        out.push(
          findingFor(
            this,
            url,
            `authorization_type is ${JSON.stringify(t ?? null)}; the URL is public.`,
          ),
        );
    }
    return out;
  },
};
