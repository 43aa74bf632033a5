import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-APIGW-003 — REST API stages trace with X-Ray.
 *
 * Same as checkov CKV_AWS_73 and trivy AVD-AWS-0003 (`xray_tracing_enabled = true`). HTTP APIs
 * (v2) do not support X-Ray and are not checked.
 */
export const rule: Rule = {
  id: 'SLW-APIGW-003',
  title: 'REST API stage has X-Ray tracing',
  severity: 'low',
  rationale:
    'Without tracing the API is missing from the X-Ray service map, so latency cannot be attributed.',
  fix: 'Set xray_tracing_enabled = true on the aws_api_gateway_stage.',
  checkov: ['CKV_AWS_73'],
  trivy: ['AVD-AWS-0003'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const st of resourcesOfType(model, 'aws_api_gateway_stage')) {
      const x = st.attributes.xray_tracing_enabled;
      if (isUnknown(x)) {
        cannotVerify(this, st, 'X-Ray tracing', x, 'xray_tracing_enabled', context);
        continue;
      }
      if (x !== true) out.push(findingFor(this, st, 'xray_tracing_enabled is not true.'));
    }
    return out;
  },
};
