/**
 * Actions that AWS only accepts with `Resource: "*"` (no resource-level permissions), and why
 * each is granted. Generated policies may use `*` for these and nothing else; reviewers and
 * governance use this list to tell a necessary `*` from a careless one.
 */
export const STAR_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  'xray:PutTraceSegments':
    'X-Ray active tracing; no resource-level permissions (https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html)',
  'xray:PutTelemetryRecords': 'X-Ray active tracing; no resource-level permissions',
  'xray:GetSamplingRules':
    'X-Ray sampling for Step Functions tracing; no resource-level permissions',
  'xray:GetSamplingTargets':
    'X-Ray sampling for Step Functions tracing; no resource-level permissions',
  'logs:CreateLogDelivery':
    'Step Functions logging to CloudWatch Logs (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html)',
  'logs:GetLogDelivery': 'Step Functions logging to CloudWatch Logs',
  'logs:UpdateLogDelivery': 'Step Functions logging to CloudWatch Logs',
  'logs:DeleteLogDelivery': 'Step Functions logging to CloudWatch Logs',
  'logs:ListLogDeliveries': 'Step Functions logging to CloudWatch Logs',
  'logs:PutResourcePolicy': 'Step Functions logging to CloudWatch Logs',
  'logs:DescribeResourcePolicies': 'Step Functions logging to CloudWatch Logs',
  'logs:DescribeLogGroups': 'Step Functions logging to CloudWatch Logs',
  'mediaconvert:CreateJob':
    'Step Functions MediaConvert .sync integration; the policy AWS documents uses * (https://docs.aws.amazon.com/step-functions/latest/dg/mediaconvert-iam.html)',
  'mediaconvert:GetJob': 'Step Functions MediaConvert .sync integration polls the job it created',
  'mediaconvert:CancelJob':
    'Step Functions MediaConvert .sync integration cancels the job when the execution stops',
  'mediaconvert:TagResource':
    'Step Functions tags the jobs it creates; the statement is limited to the tag ManagedByService=AWSStepFunctions',
};

/** One statement of an IAM policy document, as AWS writes it. */
export interface PolicyStatementJson {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  Resource?: string | string[];
}

/**
 * Lists what makes a policy document broader than least privilege: a `*` or `service:*`
 * action, or a `*` resource granted to any action not in {@link STAR_RESOURCE_ACTIONS}.
 * Deny statements are ignored (a broad deny narrows).
 *
 * @returns one human-readable line per problem; empty when the document is least-privilege.
 */
export function wildcardProblems(document: {
  Statement: PolicyStatementJson[] | PolicyStatementJson;
}): string[] {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const list = (v: string | string[] | undefined) =>
    v === undefined ? [] : Array.isArray(v) ? v : [v];
  const problems: string[] = [];
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    const actions = list(s.Action);
    const label = s.Sid ?? actions.join(',');
    for (const action of actions) {
      if (action === '*' || action.endsWith(':*'))
        problems.push(`${label}: wildcard action ${action}`);
    }
    if (list(s.Resource).includes('*')) {
      const unjustified = actions.filter((a) => !(a in STAR_RESOURCE_ACTIONS));
      if (unjustified.length) problems.push(`${label}: Resource "*" for ${unjustified.join(', ')}`);
    }
  }
  return problems;
}
