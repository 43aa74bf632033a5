import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/**
 * The service principals checked, each with what its `source_arn` names and where in the ARN a
 * wildcard is legitimate. API Gateway invokes with `<execution_arn>/<stage>/<METHOD>/<path>`, so
 * `*` may stand for a stage, method or path parameter after the API id; rules and schedules
 * have exact ARNs.
 */
const SOURCES: Record<string, { source: string; wildcardsAfterSlash: boolean }> = {
  'events.amazonaws.com': { source: 'EventBridge rule', wildcardsAfterSlash: false },
  'scheduler.amazonaws.com': { source: 'Scheduler schedule', wildcardsAfterSlash: false },
  'apigateway.amazonaws.com': { source: 'API Gateway API', wildcardsAfterSlash: true },
};

/**
 * The part of a source ARN that must be wildcard-free: everything, or for API Gateway the ARN up
 * to the API id (`arn:aws:execute-api:<region>:<account>:<api-id>`).
 */
function scopedPart(arn: string, wildcardsAfterSlash: boolean): string {
  if (!wildcardsAfterSlash) return arn;
  const slash = arn.indexOf('/');
  return slash < 0 ? arn : arn.slice(0, slash);
}

/**
 * SLW-LAMBDA-008 — Lambda permissions for an AWS service name their source.
 *
 * An `aws_lambda_permission` whose principal is an AWS service (`<service>.amazonaws.com`:
 * EventBridge, Scheduler, API Gateway, S3, SNS, CloudWatch Logs, ...) must have a `source_arn`
 * without wildcards: the rule, the schedule, the bucket, the topic, or the API (for an API, `*`
 * may stand for the stage, method and path after the API id, as terraform/modules/rest-api
 * writes them per route). Without it, any resource of that service in any account that learns
 * the function's ARN can make the service invoke it (confused deputy).
 *
 * Same principals as trivy AVD-AWS-0067 (source_arn for every service principal), stricter on
 * wildcards. checkov CKV_AWS_364 also accepts `source_account` alone;
 * we do not, because it still lets every rule or API of that account invoke the function.
 * SLW-LAMBDA-007 covers principal "*". Scheduler invokes Lambda with the schedule's execution
 * role, so it needs no permission at all; one that exists must still be scoped. An unknown
 * principal or source ARN is "cannot verify" (a resource attribute counts as set).
 */
export const rule: Rule = {
  id: 'SLW-LAMBDA-008',
  title: 'Lambda permission for an AWS service names its source ARN',
  severity: 'high',
  rationale:
    'A service principal without a source ARN lets any resource of that service (rule, schedule, API, bucket, topic), in any account, invoke the function through it.',
  fix: 'Set source_arn to the one resource allowed to invoke: the rule ARN (terraform/modules/event-rule does), the schedule ARN, or <execution_arn>/<stage>/<METHOD>/<path> of the API (terraform/modules/rest-api does).',
  checkov: ['CKV_AWS_364'],
  trivy: ['AVD-AWS-0067'],
  differences:
    'every service principal needs a wildcard-free source_arn; source_account alone (accepted by CKV_AWS_364) does not pass.',
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const p of resourcesOfType(model, 'aws_lambda_permission')) {
      const principal = p.attributes.principal;
      if (isUnknown(principal)) {
        cannotVerify(this, p, 'the principal', principal, 'principal', context);
        continue;
      }
      if (typeof principal !== 'string') continue;
      // Any other AWS service principal: its source ARN names the one resource (bucket, topic,
      // log group, ...) that may make the service invoke the function, wildcard-free.
      const spec =
        SOURCES[principal] ??
        (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal)
          ? { source: `resource of ${principal.split('.')[0]}`, wildcardsAfterSlash: false }
          : undefined);
      if (!spec) continue;
      const arn = p.attributes.source_arn;
      if (setAfterApply(arn)) continue;
      if (isUnknown(arn)) {
        cannotVerify(this, p, 'the source ARN', arn, 'source_arn', context);
        continue;
      }
      if (typeof arn !== 'string' || arn === '')
        out.push(
          findingFor(
            this,
            p,
            `principal ${principal} without source_arn: any ${spec.source} of any account can invoke the function.`,
          ),
        );
      else if (/[*?]/.test(scopedPart(arn, spec.wildcardsAfterSlash)))
        out.push(
          findingFor(
            this,
            p,
            `source_arn "${arn}" has a wildcard where it must name one ${spec.source}.`,
          ),
        );
    }
    return out;
  },
};
