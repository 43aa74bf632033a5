import { blocks, isUnknown, resourcesOfType } from '../../model';
import { findingFor, type Finding, type Rule } from '../types';

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
  check(model) {
    const out: Finding[] = [];
    for (const st of [
      ...resourcesOfType(model, 'aws_api_gateway_stage'),
      ...resourcesOfType(model, 'aws_apigatewayv2_stage'),
    ]) {
      const als = blocks(st.attributes, 'access_log_settings');
      if (isUnknown(als) || als.some((b) => isUnknown(b.destination_arn))) continue;
      if (!als.some((b) => typeof b.destination_arn === 'string' && b.destination_arn))
        out.push(findingFor(this, st, 'no access_log_settings.destination_arn.'));
    }
    return out;
  },
};
