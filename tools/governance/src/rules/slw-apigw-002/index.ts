import { isUnknown, resourcesOfType } from '../../model';
import { findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-APIGW-002 — every API route/method has an authorizer.
 *
 * Same as checkov CKV_AWS_59 (REST `aws_api_gateway_method.authorization != NONE`, except
 * OPTIONS for CORS preflight, as checkov) and CKV_AWS_309 (`aws_apigatewayv2_route.
 * authorization_type != NONE`, same OPTIONS exception), trivy AVD-AWS-0004. API keys alone
 * (`api_key_required`) do not count as authorization here, unlike checkov.
 */
export const rule: Rule = {
  id: 'SLW-APIGW-002',
  title: 'API route requires authorization',
  severity: 'high',
  rationale: 'A route with authorization NONE is callable by anyone on the internet.',
  fix: 'Set authorization (REST) / authorization_type (HTTP API) to AWS_IAM, COGNITO_USER_POOLS, JWT or CUSTOM with an authorizer.',
  checkov: ['CKV_AWS_59', 'CKV_AWS_309'],
  trivy: ['AVD-AWS-0004'],
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const m of resourcesOfType(model, 'aws_api_gateway_method')) {
      const a = m.attributes.authorization;
      if (isUnknown(a) || m.attributes.http_method === 'OPTIONS') continue;
      if (!a || a === 'NONE')
        out.push(
          findingFor(
            this,
            m,
            `method ${String(m.attributes.http_method ?? '?')} has authorization ${JSON.stringify(a ?? 'NONE')}.`,
          ),
        );
    }
    for (const r of resourcesOfType(model, 'aws_apigatewayv2_route')) {
      const a = r.attributes.authorization_type;
      const key = r.attributes.route_key;
      if (isUnknown(a) || (typeof key === 'string' && key.startsWith('OPTIONS '))) continue;
      if (!a || a === 'NONE')
        out.push(
          findingFor(
            this,
            r,
            `route ${String(key ?? '?')} has authorization_type ${JSON.stringify(a ?? 'NONE')}.`,
          ),
        );
    }
    return out;
  },
};
