import { blocks, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-APIGW-001 — API Gateway stages write access logs.
 *
 * Same as checkov CKV_AWS_76 (REST `aws_api_gateway_stage`) and CKV_AWS_95 (HTTP/WebSocket
 * `aws_apigatewayv2_stage`), trivy AVD-AWS-0001: `access_log_settings.destination_arn` set.
 */
export const rule: Rule = {
  id: 'SLW-APIGW-001',
  title: 'API Gateway stage has access logging',
  severity: 'medium',
  rationale:
    'Access logs are the only record of who called the API, with which status and latency.',
  fix: 'Add access_log_settings { destination_arn = <log group ARN>, format = jsonencode({...}) } to the stage.',
  checkov: ['CKV_AWS_76', 'CKV_AWS_95'],
  trivy: ['AVD-AWS-0001'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const st of [
      ...resourcesOfType(model, 'aws_api_gateway_stage'),
      ...resourcesOfType(model, 'aws_apigatewayv2_stage'),
    ]) {
      const als = blocks(st.attributes, 'access_log_settings');
      if (isUnknown(als)) {
        cannotVerify(this, st, 'access logging', als, 'access_log_settings', context);
        continue;
      }
      const set = (v: unknown) => setAfterApply(v) || (typeof v === 'string' && v !== '');
      if (als.some((b) => set(b.destination_arn))) continue;
      const unknown = als.map((b) => b.destination_arn).find(isUnknown);
      if (unknown) {
        cannotVerify(this, st, 'access logging', unknown, 'access_log_settings', context);
        continue;
      }
      if (!als.some((b) => typeof b.destination_arn === 'string' && b.destination_arn))
        out.push(findingFor(this, st, 'no access_log_settings.destination_arn.'));
    }
    return out;
  },
};
