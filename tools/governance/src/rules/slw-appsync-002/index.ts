import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-APPSYNC-002 — AppSync APIs trace requests with X-Ray.
 *
 * `xray_enabled = true`. Without it the resolver Lambdas' traces start at the function, and the
 * service map has no GraphQL edge: the latency AppSync adds, and which field called which
 * function, stay invisible. No checkov or trivy check covers it.
 * https://docs.aws.amazon.com/appsync/latest/devguide/x-ray-tracing.html
 */
export const rule: Rule = {
  id: 'SLW-APPSYNC-002',
  title: 'AppSync API has X-Ray tracing on',
  severity: 'medium',
  rationale:
    'On-call engineers follow a slow or failing GraphQL request from the API to its resolver Lambdas and the services they call in the X-Ray service map; without tracing at the API the map starts at the functions.',
  fix: 'Set xray_enabled = true; terraform/modules/graphql-api always does.',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'checkov and trivy have no AppSync tracing check; the serverless-rules WS3000 / tflint aws_appsync_graphql_api_tracing_rule test the same xray_enabled flag.',
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const api of resourcesOfType(model, 'aws_appsync_graphql_api')) {
      const xray = api.attributes.xray_enabled;
      if (isUnknown(xray)) {
        cannotVerify(this, api, 'X-Ray tracing', xray, 'xray_enabled', context);
        continue;
      }
      if (xray === true) continue;
      out.push(
        findingFor(
          this,
          api,
          xray === undefined || xray === null
            ? 'xray_enabled is not set: requests are not traced.'
            : `xray_enabled is ${JSON.stringify(xray)}: requests are not traced.`,
        ),
      );
    }
    return out;
  },
};
