import { STAR_RESOURCE_ACTIONS } from '@slipway/manifest';
import {
  blocks,
  isUnknown,
  resourcesOfType,
  type GovernanceModel,
  type Resource,
  type UnknownValue,
} from '../model';
import { parsePolicy, type Statement } from '../policy';

/**
 * Actions AWS only authorizes on `Resource: "*"`. Starts from the list the manifest compiler
 * uses (`STAR_RESOURCE_ACTIONS` in libs/manifest/src/iam.ts, so generated policies and
 * governance never disagree) and adds the ones the bootstrap roles and common workloads need
 * (see terraform/bootstrap/README.md, "Where `*` is unavoidable"). Each has no resource type in
 * the Service Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/).
 */
export const STAR_ONLY_ACTIONS: Readonly<Record<string, string>> = {
  ...STAR_RESOURCE_ACTIONS,
  'lambda:ListEventSourceMappings': 'no resource type (Lambda service authorization reference)',
  'lambda:CreateEventSourceMapping':
    'no resource type; scope it with the lambda:FunctionArn condition key',
  'states:ValidateStateMachineDefinition':
    'validates a definition, not a state machine: no resource type',
  'cloudwatch:PutMetricData':
    'no resource type; scope it with the cloudwatch:namespace condition key',
  'ssm:DescribeParameters': 'no resource type',
  'mediaconvert:DescribeEndpoints': 'no resource type',
  'sts:GetCallerIdentity': 'no resource type (and needs no permission at all)',
  'logs:DescribeLogGroups': 'only authorized on the account log-group namespace or *',
  'ec2:DescribeNetworkInterfaces': 'Describe* EC2 actions have no resource type (Lambda in a VPC)',
  'ec2:CreateNetworkInterface':
    'Lambda in a VPC: AWS documents Resource "*" (AWSLambdaVPCAccessExecutionRole)',
  'ec2:DeleteNetworkInterface':
    'Lambda in a VPC: AWS documents Resource "*" (AWSLambdaVPCAccessExecutionRole)',
  'appsync:CreateGraphqlApi': 'no resource type: the API and its id do not exist yet',
  'kms:ListAliases': 'no resource type',
  'kms:ListKeys': 'no resource type',
  's3:ListAllMyBuckets': 'no resource type',
  'iam:ListRoles': 'no resource type',
  'events:ListRules': 'no resource type',
  'states:ListStateMachines': 'no resource type',
  'sqs:ListQueues': 'no resource type',
  'sns:ListTopics': 'no resource type',
  'tag:GetResources': 'no resource type',
};

/** One policy document attached to something, with where it came from. */
export interface PolicySource {
  resource: Resource;
  attribute: string;
  kind: 'identity' | 'trust';
  statements: Statement[] | UnknownValue | undefined;
}

const IDENTITY = [
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
];

/** Identity (permission) policies: policy resources and roles' inline_policy blocks. */
export function identityPolicies(model: GovernanceModel): PolicySource[] {
  const out: PolicySource[] = [];
  for (const type of IDENTITY)
    for (const r of resourcesOfType(model, type))
      out.push({
        resource: r,
        attribute: 'policy',
        kind: 'identity',
        statements: parsePolicy(r.attributes.policy),
      });
  for (const role of resourcesOfType(model, 'aws_iam_role')) {
    const inline = blocks(role.attributes, 'inline_policy');
    if (isUnknown(inline)) {
      // A plan's "known after apply" inline_policy is the provider's computed copy of policies
      // declared elsewhere (aws_iam_role_policy); only an unknown from the configuration counts.
      if (inline.kind !== 'apply')
        out.push({
          resource: role,
          attribute: 'inline_policy',
          kind: 'identity',
          statements: inline,
        });
      continue;
    }
    for (const p of inline)
      out.push({
        resource: role,
        attribute: 'inline_policy',
        kind: 'identity',
        statements: parsePolicy(p.policy),
      });
  }
  return out;
}

/** Trust policies (`aws_iam_role.assume_role_policy`). */
export function trustPolicies(model: GovernanceModel): PolicySource[] {
  return resourcesOfType(model, 'aws_iam_role').map((r) => ({
    resource: r,
    attribute: 'assume_role_policy',
    kind: 'trust' as const,
    statements: parsePolicy(r.attributes.assume_role_policy),
  }));
}

/** A label for a statement in messages. */
export function label(s: Statement, i: number): string {
  return s.sid ? `statement ${s.sid}` : `statement #${i + 1}`;
}

/** `*` or `service:*` (the shapes the brief and the manifest compiler forbid). */
export function isWildcardAction(a: string): boolean {
  return a === '*' || /^[a-z0-9-]+:\*$/i.test(a);
}
