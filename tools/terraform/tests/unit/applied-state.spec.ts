import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type PlanJson,
  type ResourceChange,
  type ResourceSchemas,
  stateFromPlan,
  type StateJson,
} from '../../src/applied-state';

// plan.json: one module (a role, a function, counted alarms, a nested module's for_each log
// group), a sibling module whose name starts the same (module.fn_extra), a state machine, a root
// bucket, a data source, a deleted queue and three root outputs (a string, an unknown, a number).
const FIXTURES = join(__dirname, '../fixtures/applied-state');
const read = <T>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;

const PLAN = read<PlanJson>('plan.json');
const SCHEMAS = read<ResourceSchemas>('schemas.json');
const LINEAGE = '5d1d0c8e-6a3c-4a55-9a53-0c4d2a7e0f11';

const instance = (state: StateJson, module: string, type: string) =>
  state.resources.find((r) => r.module === module && r.type === type)!.instances[0]!.attributes;

describe('stateFromPlan', () => {
  it.each([
    {
      scope: 'the whole plan: every managed resource left in place, the known string outputs',
      moduleAddress: undefined,
      expected: 'state.json',
    },
    {
      scope: 'module.fn: its resources and its child modules', // not module.fn_extra, no outputs
      moduleAddress: 'module.fn',
      expected: 'state-module-fn.json',
    },
  ])('$scope', ({ moduleAddress, expected }) => {
    // Act
    const state = stateFromPlan(PLAN, SCHEMAS, { serial: 3, lineage: LINEAGE, moduleAddress });

    // Assess: unknowns filled by schema type (ARN for *arn and role, the name for id, token for
    // other strings, 0, false, [], {}, null for a single block or an object), known values kept.
    expect(state).toEqual(read<StateJson>(expected));
  });

  it('fills an unknown the caller knows with its value, and asks only for top-level unknowns', () => {
    // Prepare
    const asked: string[] = [];
    const known = (change: ResourceChange, key: string) => {
      asked.push(`${change.address} ${key}`);
      return change.type === 'aws_sfn_state_machine' && key === 'definition'
        ? '{"StartAt":"Publish"}'
        : undefined;
    };

    // Act
    const state = stateFromPlan(PLAN, SCHEMAS, {
      serial: 1,
      lineage: LINEAGE,
      moduleAddress: 'module.flow',
      known,
    });

    // Assess
    expect(asked).toEqual([
      'module.flow.aws_sfn_state_machine.this arn',
      'module.flow.aws_sfn_state_machine.this definition',
      'module.flow.aws_sfn_state_machine.this id',
    ]);
    expect(instance(state, 'module.flow', 'aws_sfn_state_machine')).toEqual({
      name: 'slipway-dev-flow',
      arn: 'arn:aws:offline:eu-west-1:111111111111:module.flow.aws_sfn_state_machine.this.arn',
      definition: '{"StartAt":"Publish"}',
      id: 'slipway-dev-flow',
    });
    expect(state.serial).toBe(1);
  });

  it('leaves the plan as it was', () => {
    stateFromPlan(PLAN, SCHEMAS, { serial: 1, lineage: LINEAGE });

    expect(PLAN).toEqual(read<PlanJson>('plan.json'));
  });

  it('throws, naming the type and address, when the provider has no schema for a resource', () => {
    // Prepare: the same plan without the role's schema.
    const { aws_iam_role: _role, ...schemas } = SCHEMAS;

    // Act / Assess
    expect(() => stateFromPlan(PLAN, schemas, { serial: 1, lineage: LINEAGE })).toThrow(
      'the AWS provider has no schema for aws_iam_role (module.fn.aws_iam_role.this)',
    );
  });
});
