import { STAR_RESOURCE_ACTIONS } from '@slipway/manifest';
import {
  blocks,
  isUnknown,
  resourcesOfType,
  type GovernanceModel,
  type Resource,
  type UnknownValue,
} from '../model';
import { parsePolicy, policyDocumentFromDataSource, type Statement } from '../policy';

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
  'kms:CreateKey':
    'the key and its id do not exist yet: no resource type; scope it with aws:RequestTag (the bootstrap requires the environment tag)',
  'logs:DescribeQueryDefinitions':
    'no resource type (saved Logs Insights queries are not resources)',
  'logs:PutQueryDefinition': 'no resource type (saved Logs Insights queries are not resources)',
  'logs:DeleteQueryDefinition': 'no resource type (saved Logs Insights queries are not resources)',
  'sns:GetSubscriptionAttributes': 'no resource type (SNS authorizes subscription calls on *)',
  'sns:SetSubscriptionAttributes': 'no resource type (SNS authorizes subscription calls on *)',
  'sns:Unsubscribe': 'no resource type (SNS authorizes subscription calls on *)',
};

/** One policy document attached to something, with where it came from. */
export interface PolicySource {
  resource: Resource;
  attribute: string;
  kind: 'identity' | 'trust' | 'resource';
  statements: Statement[] | UnknownValue | undefined;
}

/** Identity policy types and the attribute holding the document. */
const IDENTITY: [type: string, attribute: string][] = [
  ['aws_iam_policy', 'policy'],
  ['aws_iam_role_policy', 'policy'],
  ['aws_iam_user_policy', 'policy'],
  ['aws_iam_group_policy', 'policy'],
  // IAM Identity Center: the permission set's inline policy is an identity policy of every
  // user it is assigned to.
  ['aws_ssoadmin_permission_set_inline_policy', 'inline_policy'],
];

/** Resource policy types and the attribute holding the document. */
export const RESOURCE_POLICIES: [type: string, attribute: string][] = [
  ['aws_sqs_queue_policy', 'policy'],
  ['aws_sqs_queue', 'policy'],
  ['aws_sns_topic_policy', 'policy'],
  ['aws_sns_topic', 'policy'],
  ['aws_s3_bucket_policy', 'policy'],
  ['aws_s3_bucket', 'policy'],
];

/** Every attribute of the model that holds a policy document, as `[resource, attribute]`. */
export function policyAttributes(model: GovernanceModel): [Resource, string][] {
  const out: [Resource, string][] = [];
  for (const [type, attribute] of [
    ...IDENTITY,
    ...RESOURCE_POLICIES,
    ['aws_iam_role', 'assume_role_policy'] as [string, string],
    ['aws_kms_key', 'policy'] as [string, string],
  ])
    for (const r of resourcesOfType(model, type))
      if (r.attributes[attribute] !== undefined) out.push([r, attribute]);
  return out;
}

/**
 * `data "aws_iam_policy_document"` of the model, each at its own address. A document whose
 * statements name principals is a resource or trust policy; one without is an identity policy.
 */
function policyDocuments(model: GovernanceModel): PolicySource[] {
  return (model.byType.get('aws_iam_policy_document') ?? [])
    .filter((d) => d.mode === 'data')
    .map((d) => {
      const doc = policyDocumentFromDataSource(d.attributes);
      const statements = parsePolicy(doc);
      const principals =
        Array.isArray(statements) && statements.some((s) => s.principals.length > 0);
      return {
        resource: d,
        attribute: 'statement',
        kind: principals ? ('resource' as const) : ('identity' as const),
        statements,
      };
    });
}

/** True when the attribute's document is a `data.aws_iam_policy_document` (checked at its own address). */
const fromDocument = (r: Resource, attribute: string) => {
  const refs = (r.references[attribute] ?? []).filter((x) => !/^(each|count)\./.test(x));
  return refs.length > 0 && refs.every((x) => x.startsWith('data.aws_iam_policy_document.'));
};

/**
 * Identity (permission) policies: policy resources, roles' inline_policy blocks, permission
 * sets' inline policies and the principal-less policy documents. A resource whose document is
 * a `data.aws_iam_policy_document` is left to the document, so a finding lands once, on it.
 */
export function identityPolicies(model: GovernanceModel): PolicySource[] {
  const out: PolicySource[] = policyDocuments(model).filter((d) => d.kind === 'identity');
  for (const [type, attribute] of IDENTITY)
    for (const r of resourcesOfType(model, type)) {
      if (fromDocument(r, attribute) && out.some((d) => d.resource.input === r.input)) continue;
      out.push({
        resource: r,
        attribute,
        kind: 'identity',
        statements: parsePolicy(r.attributes[attribute]),
      });
    }
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

/**
 * Resource policies (queue, topic and bucket policies, inline or separate) and the policy
 * documents that name principals, each at its own address.
 */
export function resourcePolicies(model: GovernanceModel): PolicySource[] {
  const out: PolicySource[] = policyDocuments(model).filter((d) => d.kind === 'resource');
  for (const [type, attribute] of RESOURCE_POLICIES)
    for (const r of resourcesOfType(model, type)) {
      const value = r.attributes[attribute];
      if (value === undefined || value === null) continue;
      // The inline `policy` of a queue, topic or bucket is computed: a plan's "known after
      // apply" there is the copy of a policy resource (checked itself), not a document.
      if (isUnknown(value) && value.kind === 'apply' && !type.endsWith('_policy')) continue;
      if (fromDocument(r, attribute) && out.some((d) => d.resource.input === r.input)) continue;
      out.push({
        resource: r,
        attribute,
        kind: 'resource',
        statements: parsePolicy(r.attributes[attribute]),
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
