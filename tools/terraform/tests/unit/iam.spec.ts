import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  evaluate,
  globMatches,
  UnsupportedPolicyElementError,
  type NamedPolicy,
  type PolicyDocument,
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
