import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  arnMatches,
  evaluate,
  evaluateWithResourcePolicy,
  globMatches,
  UnsupportedPolicyElementError,
  type NamedPolicy,
  type PolicyDocument,
  type ResourcePolicy,
} from '../../src/iam/evaluate';
import {
  ProviderActionsError,
  requiredPermissions,
  type PlanJson,
  type ProviderActions,
} from '../../src/iam/required-permissions';

const FIXTURES = join(__dirname, '../fixtures/iam');
const read = <T>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
const clone = <T>(value: T): T => structuredClone(value);

const DEPLOY = read<PolicyDocument>('deploy-policy.json');
const PLAN = read<PlanJson>('plan.json');
const MAP = read<ProviderActions>('provider-actions.json');
const DEV = { partition: 'aws', region: 'eu-west-1', account: '111111111111' };
const BOUNDARY = 'arn:aws:iam::111111111111:policy/slipway/bootstrap/slipway-dev-workload-boundary';
const policies: NamedPolicy[] = [{ name: 'deploy', document: DEPLOY }];

describe('globMatches', () => {
  it('* spans any characters, slashes and colons included; ? is one character', () => {
    expect(
      globMatches(
        'arn:aws:events:*:rule/slipway-dev-*',
        'arn:aws:events:eu-west-1:1:rule/bus/slipway-dev-x',
      ),
    ).toBe(false);
    expect(
      globMatches('arn:aws:events:*:rule/*', 'arn:aws:events:eu-west-1:1:rule/bus/slipway-dev-x'),
    ).toBe(true);
    expect(globMatches('slipway-?ev-*', 'slipway-dev-a:b/c')).toBe(true);
    expect(globMatches('slipway-dev-*', 'slipway-devx-a')).toBe(false);
  });

  it('resources are case-sensitive, actions are compared case-insensitively by the caller', () => {
    expect(globMatches('arn:aws:s3:::Slipway-*', 'arn:aws:s3:::slipway-dev')).toBe(false);
    expect(globMatches('scheduler:createschedule', 'scheduler:CreateSchedule', true)).toBe(true);
  });

  it('rejects policy variables instead of matching them literally', () => {
    expect(() => globMatches('arn:aws:s3:::${aws:username}', 'x')).toThrow(
      UnsupportedPolicyElementError,
    );
  });
});

describe('evaluate', () => {
  it('allows an action on a scoped ARN and names the statement', () => {
    const d = evaluate(policies, {
      action: 'scheduler:CreateSchedule',
      resource:
        'arn:aws:scheduler:eu-west-1:111111111111:schedule/default/slipway-dev-etl-schedule',
    });

    expect(d).toEqual({ decision: 'allowed', statements: ['deploy/ManageSchedules'] });
  });

  it('denies implicitly outside the scope (another environment)', () => {
    const d = evaluate(policies, {
      action: 'scheduler:CreateSchedule',
      resource:
        'arn:aws:scheduler:eu-west-1:111111111111:schedule/default/slipway-prod-etl-schedule',
    });

    expect(d.decision).toBe('implicitDeny');
  });

  it('checks condition keys: a role passed to a service the policy does not name is denied', () => {
    const request = {
      action: 'iam:PassRole',
      resource: 'arn:aws:iam::111111111111:role/slipway-dev-etl-schedule-scheduler',
    };

    expect(
      evaluate(policies, {
        ...request,
        context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      }).decision,
    ).toBe('allowed');
    expect(
      evaluate(policies, { ...request, context: { 'iam:PassedToService': 'states.amazonaws.com' } })
        .decision,
    ).toBe('implicitDeny');
    expect(evaluate(policies, request).decision).toBe('implicitDeny');
  });

  it('an explicit Deny wins over an Allow', () => {
    const document = clone(DEPLOY);
    (document.Statement as { Resource: string[] }[])[2].Resource.push(
      'arn:aws:iam::111111111111:role/slipway/bootstrap/*',
    );

    const d = evaluate([{ name: 'deploy', document }], {
      action: 'iam:DeleteRole',
      resource: 'arn:aws:iam::111111111111:role/slipway/bootstrap/slipway-dev-github-deploy',
      context: { 'iam:PermissionsBoundary': BOUNDARY },
    });

    expect(d).toEqual({ decision: 'explicitDeny', statements: ['deploy/DenyBootstrapIamChanges'] });
  });

  it('"*" resources match only requests on "*"', () => {
    expect(
      evaluate(policies, { action: 'states:ValidateStateMachineDefinition', resource: '*' })
        .decision,
    ).toBe('allowed');
    expect(evaluate(policies, { action: 'scheduler:GetSchedule', resource: '*' }).decision).toBe(
      'implicitDeny',
    );
  });

  it('throws on elements and operators it does not model, naming the statement', () => {
    const notAction = clone(DEPLOY);
    (notAction.Statement as Record<string, unknown>[])[0].NotAction = ['iam:*'];
    const ifExists = clone(DEPLOY);
    (ifExists.Statement as { Condition?: unknown }[])[0].Condition = {
      StringEqualsIfExists: { 'aws:x': 'y' },
    };
    const request = {
      action: 'scheduler:GetSchedule',
      resource: 'arn:aws:scheduler:eu-west-1:111111111111:schedule/default/slipway-dev-x',
    };

    expect(() => evaluate([{ name: 'deploy', document: notAction }], request)).toThrow(
      /deploy\/ManageSchedules: NotAction not modelled/,
    );
    expect(() => evaluate([{ name: 'deploy', document: ifExists }], request)).toThrow(
      /StringEqualsIfExists is not modelled/,
    );
  });
});

describe('condition operators', () => {
  // One Deny per operator on a scheduler ARN the deploy fixture allows: a match shows as the
  // Deny's Sid, no match as the Allow (ManageSchedules).
  const resource =
    'arn:aws:scheduler:eu-west-1:111111111111:schedule/default/slipway-dev-etl-schedule';
  const decide = (condition: Record<string, Record<string, string | string[]>>, context = {}) =>
    evaluate(
      [
        policies[0],
        {
          name: 'guard',
          document: {
            Statement: [
              {
                Sid: 'Guard',
                Effect: 'Deny',
                Action: 'scheduler:*',
                Resource: '*',
                Condition: condition,
              },
            ],
          },
        },
      ],
      { action: 'scheduler:CreateSchedule', resource, context },
    ).statements;

  it.each([
    ['StringNotEquals, key absent', { StringNotEquals: { 'x:k': 'a' } }, {}, ['guard/Guard']],
    [
      'StringNotEquals, other value',
      { StringNotEquals: { 'x:k': ['a', 'b'] } },
      { 'x:k': 'c' },
      ['guard/Guard'],
    ],
    [
      'StringNotEquals, one of the values',
      { StringNotEquals: { 'x:k': ['a', 'b'] } },
      { 'x:k': 'b' },
      ['deploy/ManageSchedules'],
    ],
    [
      'StringNotLike, matching',
      { StringNotLike: { 'x:k': 'a*' } },
      { 'x:k': 'ab' },
      ['deploy/ManageSchedules'],
    ],
    [
      'ArnNotEquals, key absent',
      { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/r' } },
      {},
      ['guard/Guard'],
    ],
    [
      'ArnNotEquals, equal',
      { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/r' } },
      { 'aws:PrincipalArn': 'arn:aws:iam::1:role/r' },
      ['deploy/ManageSchedules'],
    ],
    [
      'ArnEquals takes wildcards',
      { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/r*' } },
      { 'aws:PrincipalArn': 'arn:aws:iam::1:role/rx' },
      ['guard/Guard'],
    ],
    ['Null true, key absent', { Null: { 's3:if-none-match': 'true' } }, {}, ['guard/Guard']],
    [
      'Null true, key present',
      { Null: { 's3:if-none-match': 'true' } },
      { 's3:if-none-match': '*' },
      ['deploy/ManageSchedules'],
    ],
    [
      'Null false, key absent',
      { Null: { 's3:if-none-match': 'false' } },
      {},
      ['deploy/ManageSchedules'],
    ],
    [
      'Bool, case-insensitive',
      { Bool: { 'aws:SecureTransport': 'false' } },
      { 'aws:SecureTransport': 'FALSE' },
      ['guard/Guard'],
    ],
    [
      'Bool, key absent',
      { Bool: { 'aws:SecureTransport': 'false' } },
      {},
      ['deploy/ManageSchedules'],
    ],
    [
      'NumericLessThan, less',
      { NumericLessThan: { 's3:TlsVersion': '1.2' } },
      { 's3:TlsVersion': '1.1' },
      ['guard/Guard'],
    ],
    [
      'NumericLessThan, equal',
      { NumericLessThan: { 's3:TlsVersion': '1.2' } },
      { 's3:TlsVersion': '1.2' },
      ['deploy/ManageSchedules'],
    ],
  ])('%s', (_name, condition, context, statements) => {
    expect(decide(condition, context)).toEqual(statements);
  });

  it('compares ARN conditions part by part: * does not span the colons before the resource', () => {
    expect(arnMatches('arn:aws:iam::*:root', 'arn:aws:iam::111111111111:root')).toBe(true);
    expect(arnMatches('arn:aws:iam::*:root', 'arn:aws:iam::111111111111:x:root')).toBe(false);
    expect(globMatches('arn:aws:iam::*:root', 'arn:aws:iam::111111111111:x:root')).toBe(true);
    expect(
      arnMatches('arn:aws:lambda:*:*:function:f*', 'arn:aws:lambda:eu-west-1:1:function:f:live'),
    ).toBe(true);
  });
});

describe('evaluateWithResourcePolicy', () => {
  // Fixtures: trimmed copies of the shared-account bootstrap plan's aws_kms_key.delivery["dev"]
  // and state bucket policies (terraform/bootstrap/kms.tf, main.tf).
  const KEY: ResourcePolicy = {
    name: 'key',
    kind: 'kms',
    account: '111111111111',
    document: read<PolicyDocument>('key-policy-dev.json'),
  };
  const BUCKET: ResourcePolicy = {
    name: 'bucket',
    kind: 's3',
    account: '111111111111',
    document: read<PolicyDocument>('state-bucket-policy.json'),
  };
  const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-0000-4000-8000-000000000000';
  const PLAN = 'arn:aws:iam::111111111111:role/slipway/bootstrap/slipway-dev-github-plan';
  const DEPLOY = 'arn:aws:iam::111111111111:role/slipway/bootstrap/slipway-dev-github-deploy';
  const SEALED = {
    'kms:EncryptionContext:slipway:purpose': 'plan',
    'kms:EncryptionContext:slipway:environment': 'dev',
  };
  const allowKms = (...actions: string[]): NamedPolicy => ({
    name: 'identity',
    document: {
      Statement: [{ Sid: 'Key', Effect: 'Allow', Action: actions, Resource: [KEY_ARN] }],
    },
  });
  const TLS = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };
  const STATE = 'arn:aws:s3:::slipway-tfstate-111111111111/dev/media-dev.tfstate';
  const readState: NamedPolicy = {
    name: 'identity',
    document: {
      Statement: [
        {
          Sid: 'Read',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: [STATE],
        },
      ],
    },
  };

  it('KMS: an identity Allow counts only where the key policy allows the account for that request', () => {
    const opens = { principal: DEPLOY, action: 'kms:Decrypt', resource: KEY_ARN, context: SEALED };

    expect(evaluateWithResourcePolicy([allowKms('kms:Decrypt')], KEY, opens)).toEqual({
      decision: 'allowed',
      statements: ['key/DeployRoleOpensPlans', 'identity/Key'],
    });
    // The key policy admits the request, the identity policy does not: denied.
    expect(evaluateWithResourcePolicy([], KEY, opens)).toEqual({
      decision: 'implicitDeny',
      statements: [],
    });
    // The identity policy allows, the key policy has no Allow for it (another context): denied.
    expect(
      evaluateWithResourcePolicy([allowKms('kms:Decrypt')], KEY, {
        ...opens,
        context: { ...SEALED, 'kms:EncryptionContext:slipway:environment': 'prod' },
      }),
    ).toEqual({ decision: 'implicitDeny', statements: [] });
  });

  it('KMS: Deny statements apply to the principals their conditions name, whatever IAM allows', () => {
    expect(
      evaluateWithResourcePolicy([allowKms('kms:Decrypt')], KEY, {
        principal: PLAN,
        action: 'kms:Decrypt',
        resource: KEY_ARN,
        context: SEALED,
      }),
    ).toEqual({ decision: 'explicitDeny', statements: ['key/DenyPlanRoleOpeningPlans'] });
    expect(
      evaluateWithResourcePolicy([allowKms('kms:Decrypt')], KEY, {
        principal: 'arn:aws:iam::111111111111:role/slipway-dev-media-thumbnail',
        action: 'kms:Decrypt',
        resource: KEY_ARN,
        context: SEALED,
      }),
    ).toEqual({ decision: 'explicitDeny', statements: ['key/DenyUseExceptEnvironmentRoles'] });
  });

  it('KMS: a key policy Allow naming the caller needs no identity policy', () => {
    const document = clone(KEY.document);
    (document.Statement as Record<string, unknown>[])[4].Principal = { AWS: DEPLOY };

    expect(
      evaluateWithResourcePolicy(
        [],
        { ...KEY, document },
        {
          principal: DEPLOY,
          action: 'kms:Decrypt',
          resource: KEY_ARN,
          context: SEALED,
        },
      ),
    ).toEqual({ decision: 'allowed', statements: ['key/DeployRoleOpensPlans'] });
  });

  it('S3: the identity policy suffices in the same account unless the bucket policy denies', () => {
    const get = { action: 's3:GetObject', resource: STATE, context: TLS };

    expect(evaluateWithResourcePolicy([readState], BUCKET, { ...get, principal: PLAN })).toEqual({
      decision: 'allowed',
      statements: ['identity/Read'],
    });
    expect(
      evaluateWithResourcePolicy([readState], BUCKET, {
        ...get,
        principal: 'arn:aws:iam::111111111111:role/slipway/bootstrap/slipway-staging-github-plan',
      }),
    ).toEqual({ decision: 'explicitDeny', statements: ['bucket/DenyStateAccessExceptDevRoles'] });
    // Plain HTTP: the module's transport rule denies everyone.
    expect(
      evaluateWithResourcePolicy([readState], BUCKET, {
        ...get,
        principal: PLAN,
        context: { 'aws:SecureTransport': 'false', 's3:TlsVersion': '1.3' },
      }),
    ).toEqual({ decision: 'explicitDeny', statements: ['bucket/DenyInsecureTransport'] });
    // A write without the SSE-KMS header is denied.
    expect(
      evaluateWithResourcePolicy([readState], BUCKET, {
        ...get,
        action: 's3:PutObject',
        principal: DEPLOY,
      }),
    ).toEqual({ decision: 'explicitDeny', statements: ['bucket/DenyStateWritesWithoutKmsDev'] });
  });

  it('throws on what it does not model: NotPrincipal, another account, Principal in IAM', () => {
    const notPrincipal = clone(BUCKET.document);
    const st = (notPrincipal.Statement as Record<string, unknown>[])[2];
    delete st.Principal;
    st.NotPrincipal = { AWS: PLAN };
    const request = { principal: PLAN, action: 's3:GetObject', resource: STATE, context: TLS };

    expect(() =>
      evaluateWithResourcePolicy([], { ...BUCKET, document: notPrincipal }, request),
    ).toThrow(/bucket\/DenyStateAccessExceptDevRoles: NotPrincipal not modelled/);
    expect(() =>
      evaluateWithResourcePolicy([], BUCKET, {
        ...request,
        principal: 'arn:aws:iam::444444444444:role/x',
      }),
    ).toThrow(/cross-account evaluation is not modelled/);
    expect(() =>
      evaluateWithResourcePolicy(
        [
          {
            name: 'identity',
            document: {
              Statement: [
                { ...(readState.document.Statement as object[])[0], Principal: '*' } as never,
              ],
            },
          },
        ],
        BUCKET,
        request,
      ),
    ).toThrow(/identity\/Read: Principal not modelled/);
  });
});

describe('requiredPermissions', () => {
  it('builds each action on the ARN the resource will have, with its context and role passes', () => {
    const wanted = requiredPermissions('etl-dev', PLAN, MAP, DEV);

    expect(wanted).toEqual([
      {
        phase: 'write',
        action: 'iam:CreateRole',
        resource: 'arn:aws:iam::111111111111:role/slipway-dev-etl-schedule-scheduler',
        context: { 'iam:PermissionsBoundary': BOUNDARY },
        source: 'etl-dev module.flow_etl_schedule.aws_iam_role.this',
        type: 'aws_iam_role',
      },
      expect.objectContaining({
        phase: 'read',
        action: 'scheduler:GetSchedule',
        resource:
          'arn:aws:scheduler:eu-west-1:111111111111:schedule/default/slipway-dev-etl-schedule',
      }),
      expect.objectContaining({ phase: 'write', action: 'scheduler:CreateSchedule' }),
      expect.objectContaining({
        phase: 'write',
        action: 'iam:PassRole',
        resource: 'arn:aws:iam::111111111111:role/slipway-dev-etl-schedule-scheduler',
        context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      }),
    ]);
    expect(wanted.every((r) => evaluate(policies, r).decision === 'allowed')).toBe(true);
  });

  it('takes the attributes of a resource being destroyed from its prior state', () => {
    const plan = clone(PLAN);
    const schedule = plan.resource_changes![3];
    schedule.change = { actions: ['delete'], before: schedule.change.after, after: null };

    const wanted = requiredPermissions('etl-dev', plan, MAP, DEV);

    expect(wanted.find((r) => r.action === 'scheduler:CreateSchedule')?.resource).toBe(
      'arn:aws:scheduler:eu-west-1:111111111111:schedule/default/slipway-dev-etl-schedule',
    );
  });

  it('uses the next ARN alternative when "when" does not hold (a schedule group)', () => {
    const plan = clone(PLAN);
    plan.resource_changes![3].change.after!.group_name = 'slipway-dev-jobs';

    const wanted = requiredPermissions('etl-dev', plan, MAP, DEV);

    expect(wanted.find((r) => r.action === 'scheduler:GetSchedule')?.resource).toBe(
      'arn:aws:scheduler:eu-west-1:111111111111:schedule/slipway-dev-jobs/slipway-dev-etl-schedule',
    );
  });

  it('leaves a missing boundary out of the context, so CreateRole is denied', () => {
    const plan = clone(PLAN);
    plan.resource_changes![2].change.after!.permissions_boundary = null;

    const create = requiredPermissions('etl-dev', plan, MAP, DEV).find(
      (r) => r.action === 'iam:CreateRole',
    )!;

    expect(create.context).toEqual({});
    expect(evaluate(policies, create).decision).toBe('implicitDeny');
  });

  it("sends the placement's account as s3:ResourceAccount with S3 actions only", () => {
    // Prepare: the map's schedule also reads an artifact (as a function's code is read).
    const map = clone(MAP);
    map.resourceTypes.aws_scheduler_schedule.also!.push({
      phase: 'write',
      action: 's3:GetObject',
      arn: 'arn:{partition}:s3:::slipway-artifacts-{account}/dev/x.zip',
    });

    // Act
    const wanted = requiredPermissions('etl-dev', PLAN, map, DEV);

    // Assess
    expect(wanted.find((r) => r.action === 's3:GetObject')).toEqual({
      phase: 'write',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::slipway-artifacts-111111111111/dev/x.zip',
      context: { 's3:ResourceAccount': '111111111111' },
      source: 'etl-dev module.flow_etl_schedule.aws_scheduler_schedule.this',
      type: 'aws_scheduler_schedule',
    });
    expect(wanted.find((r) => r.action === 'iam:PassRole')?.context).toEqual({
      'iam:PassedToService': 'scheduler.amazonaws.com',
    });
  });

  it('skips an "also" request whose unlessNull attribute is planned null, keeps it when unknown', () => {
    // Prepare: the schedule's role pass made conditional on a target attribute.
    const map = clone(MAP);
    map.resourceTypes.aws_scheduler_schedule.also![0].unlessNull = 'kms_key_arn';
    const withNull = clone(PLAN);
    withNull.resource_changes![3].change.after!.kms_key_arn = null;
    const unknown = clone(PLAN);
    delete unknown.resource_changes![3].change.after!.kms_key_arn;

    // Act
    const passes = (plan: typeof PLAN) =>
      requiredPermissions('etl-dev', plan, map, DEV).filter((r) => r.action === 'iam:PassRole');

    // Assess
    expect(passes(withNull)).toEqual([]);
    expect(passes(unknown).map((r) => r.resource)).toEqual([
      'arn:aws:iam::111111111111:role/slipway-dev-etl-schedule-scheduler',
    ]);
  });

  it("reads a context value from a map attribute, its own or a sibling's; a missing key is left out", () => {
    // Prepare: tag-conditioned requests (KMS keys are scoped by their environment tag).
    const map = clone(MAP);
    map.resourceTypes.aws_scheduler_schedule.context = {
      'aws:ResourceTag/environment': '{tags_all.environment}',
    };
    map.resourceTypes.aws_scheduler_schedule.also![0].context = {
      'aws:ResourceTag/environment': '{aws_iam_role.tags_all.environment}',
    };
    const plan = clone(PLAN);
    plan.resource_changes![3].change.after!.tags_all = { environment: 'dev' };
    plan.resource_changes![2].change.after!.tags_all = { owner: 'platform-team' };

    // Act
    const wanted = requiredPermissions('etl-dev', plan, map, DEV);

    // Assess
    expect(wanted.find((r) => r.action === 'scheduler:CreateSchedule')?.context).toEqual({
      'aws:ResourceTag/environment': 'dev',
    });
    expect(wanted.find((r) => r.action === 'iam:PassRole')?.context).toEqual({});
  });

  it('fails for a resource type missing from the map and says to add it', () => {
    const map = clone(MAP);
    delete map.resourceTypes.aws_scheduler_schedule;

    expect(() => requiredPermissions('etl-dev', PLAN, map, DEV)).toThrow(ProviderActionsError);
    expect(() => requiredPermissions('etl-dev', PLAN, map, DEV)).toThrow(
      /etl-dev: resource aws_scheduler_schedule not in terraform\/bootstrap\/tests\/provider-actions\.json\. Add each/,
    );
  });

  it('fails for a data source missing from the map, also one read only during apply', () => {
    const map = clone(MAP);
    delete map.dataSources.aws_region;

    expect(() => requiredPermissions('etl-dev', PLAN, map, DEV)).toThrow(
      /data source aws_region not in/,
    );
  });

  it('fails for a data source missing from the map', () => {
    const map = clone(MAP);
    delete map.dataSources.aws_partition;

    expect(() => requiredPermissions('etl-dev', PLAN, map, DEV)).toThrow(
      /data source aws_partition not in/,
    );
  });

  it('fails when an ARN attribute is unknown until apply, naming the fix', () => {
    const plan = clone(PLAN);
    delete plan.resource_changes![3].change.after!.name;

    expect(() => requiredPermissions('etl-dev', plan, MAP, DEV)).toThrow(
      /module\.flow_etl_schedule\.aws_scheduler_schedule\.this: \{name\} is unknown until apply/,
    );
  });

  it('fails when the role to pass is not the one role of the module', () => {
    const plan = clone(PLAN);
    plan.resource_changes!.push(clone(plan.resource_changes![2]));
    plan.resource_changes![4].address = 'module.flow_etl_schedule.aws_iam_role.other';

    expect(() => requiredPermissions('etl-dev', plan, MAP, DEV)).toThrow(
      /needs the one aws_iam_role of module\.flow_etl_schedule, found 2/,
    );
  });
});
