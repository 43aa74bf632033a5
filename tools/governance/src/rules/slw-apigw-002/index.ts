import { containsUnknown, isUnknown, resourcesOfType } from '../../model';
import { findingFor, type Finding, type Rule } from '../types';

/** OpenAPI path item keys that are operations. */
const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** Operation extension that marks an OpenAPI operation as deliberately public, with the reason. */
export const PUBLIC_REASON_EXTENSION = 'x-slipway-public-reason';

/** The body of an `aws_api_gateway_rest_api` as an object, or undefined when absent/unknown/invalid. */
function openApiBody(body: unknown): Record<string, unknown> | undefined {
  if (isUnknown(body) || containsUnknown(body)) return undefined;
  let doc: unknown = body;
  if (typeof body === 'string') {
    try {
      doc = JSON.parse(body);
    } catch {
      // YAML or broken JSON: API Gateway's import reports it; nothing this rule can read.
      return undefined;
    }
  }
  return doc && typeof doc === 'object' && !Array.isArray(doc)
    ? (doc as Record<string, unknown>)
    : undefined;
}

/**
 * True when an OpenAPI `security` value requires authorization: at least one requirement and no
 * empty `{}` alternative (which OpenAPI defines as "anonymous allowed").
 */
function requiresAuthorization(security: unknown): boolean {
  return (
    Array.isArray(security) &&
    security.length > 0 &&
    security.every(
      (req) => req !== null && typeof req === 'object' && Object.keys(req as object).length > 0,
    )
  );
}

/**
 * SLW-APIGW-002 — every API route/method has an authorizer.
 *
 * Same as checkov CKV_AWS_59 (REST `aws_api_gateway_method.authorization != NONE`, except
 * OPTIONS for CORS preflight, as checkov) and CKV_AWS_309 (`aws_apigatewayv2_route.
 * authorization_type != NONE`, same OPTIONS exception), trivy AVD-AWS-0004. API keys alone
 * (`api_key_required`) do not count as authorization here, unlike checkov.
 *
 * Beyond checkov/trivy, which do not read it: the OpenAPI `body` of an `aws_api_gateway_rest_api`
 * (as terraform/modules/rest-api deploys it). Every operation except OPTIONS needs an
 * operation-level `security` with at least one requirement and no anonymous `{}` alternative.
 * Only operation-level `security` counts, as in the module: API Gateway attaches authorizers per
 * method. A deliberately public operation (a webhook whose signature is its authentication)
 * carries `"x-slipway-public-reason": "<why>"` beside its `"security": []`, so the reason is
 * reviewed in the same document that makes the route public. `aws_api_gateway_method` has no such
 * place: a public method there needs a waiver (reason, owner, expiry).
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
    for (const api of resourcesOfType(model, 'aws_api_gateway_rest_api')) {
      const doc = openApiBody(api.attributes.body);
      const paths = doc?.paths;
      if (!paths || typeof paths !== 'object') continue;
      for (const [path, item] of Object.entries(paths as Record<string, unknown>)) {
        if (!item || typeof item !== 'object') continue;
        for (const [method, op] of Object.entries(item as Record<string, unknown>)) {
          const lower = method.toLowerCase();
          if (!(OPERATIONS as readonly string[]).includes(lower) || lower === 'options') continue;
          if (!op || typeof op !== 'object') continue;
          const operation = op as Record<string, unknown>;
          if (requiresAuthorization(operation.security)) continue;
          const reason = operation[PUBLIC_REASON_EXTENSION];
          if (typeof reason === 'string' && reason.trim()) continue;
          out.push(
            findingFor(
              this,
              api,
              `body operation ${method.toUpperCase()} ${path} has no authorizing security requirement and no ${PUBLIC_REASON_EXTENSION}.`,
              `Give the operation "security": [{"<authorizer scheme>": []}] (every alternative naming a scheme, no {}), or, if it must be public, "security": [] with "${PUBLIC_REASON_EXTENSION}": "<why anyone may call it>".`,
            ),
          );
        }
      }
    }
    return out;
  },
};
