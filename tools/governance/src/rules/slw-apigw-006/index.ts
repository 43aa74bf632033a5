import { firstBlock, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * True for TLS 1.2 and the enhanced policies with a TLS 1.2 or 1.3 minimum
 * (`SecurityPolicy_TLS13_*`, `SecurityPolicy_TLS12_*`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
 */
function modern(policy: unknown): boolean {
  return (
    typeof policy === 'string' && (policy === 'TLS_1_2' || /^SecurityPolicy_TLS1[23]_/.test(policy))
  );
}

/**
 * SLW-APIGW-006 — API Gateway custom domains require TLS 1.2 or newer.
 *
 * Same as checkov CKV_AWS_206 (`aws_api_gateway_domain_name.security_policy`) and trivy
 * AVD-AWS-0005 (also `aws_apigatewayv2_domain_name.domain_name_configuration.security_policy`).
 * An unset policy is reported, unlike checkov: the REST API default has been TLS_1_0, and the
 * minimum a domain accepts should be read in the code, not inferred from a service default.
 */
export const rule: Rule = {
  id: 'SLW-APIGW-006',
  title: 'API custom domain requires TLS 1.2',
  severity: 'high',
  rationale:
    'TLS 1.0 and 1.1 are deprecated (RFC 8996); a domain that accepts them lets clients negotiate broken ciphers.',
  fix: 'Set security_policy = "TLS_1_2" (HTTP APIs: domain_name_configuration { security_policy = "TLS_1_2" }); terraform/modules/rest-api always does.',
  checkov: ['CKV_AWS_206'],
  trivy: ['AVD-AWS-0005'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const d of resourcesOfType(model, 'aws_api_gateway_domain_name')) {
      const p = d.attributes.security_policy;
      if (isUnknown(p)) {
        cannotVerify(this, d, 'the TLS policy', p, 'security_policy', context);
        continue;
      }
      if (!modern(p))
        out.push(
          findingFor(
            this,
            d,
            p ? `security_policy is ${JSON.stringify(p)}.` : 'security_policy is not set.',
          ),
        );
    }
    for (const d of resourcesOfType(model, 'aws_apigatewayv2_domain_name')) {
      const c = firstBlock(d.attributes, 'domain_name_configuration');
      const unknown = isUnknown(c)
        ? c
        : isUnknown(c?.security_policy)
          ? c.security_policy
          : undefined;
      if (unknown) {
        cannotVerify(this, d, 'the TLS policy', unknown, 'domain_name_configuration', context);
        continue;
      }
      if (isUnknown(c)) continue;
      const p = c?.security_policy;
      if (!modern(p))
        out.push(
          findingFor(
            this,
            d,
            p
              ? `domain_name_configuration.security_policy is ${JSON.stringify(p)}.`
              : 'domain_name_configuration.security_policy is not set.',
          ),
        );
    }
    return out;
  },
};
