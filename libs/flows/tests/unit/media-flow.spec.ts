import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  allStates,
  loadFlow,
  placeholdersOf,
  resolvePlaceholders,
  type AslDefinition,
} from '../../src';

const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const REPO = join(__dirname, '../../../..');
const flow = loadFlow('media');
const PUT_EVENTS_TIMEOUTS = [
  ['PublishProcessed', 10],
  ['PublishRejected', 10],
];
const resolved = resolvePlaceholders(flow, (kind, name) =>
  kind === 'lambda'
    ? `arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-${name}`
    : `slipway-dev-${name}`,
);

/** Names of the states a Parallel's Catch covers: every state of its branches. */
function coveredByParallelCatch(definition: AslDefinition): Set<string> {
  return new Set(
    allStates(definition)
      .filter(([, s]) => s.Type === 'Parallel' && s.Catch?.length)
      .flatMap(([, s]) => (s.Branches ?? []).flatMap((b) => allStates(b).map(([n]) => n))),
  );
}

describe('media flow definition', () => {
  it('is valid ASL for the Step Functions interpreter, in JSONPath', () => {
    expect(() => new StateMachine(resolved as unknown as StateMachineDefinition)).not.toThrow();
    expect(JSON.stringify(flow)).not.toContain('JSONata');
  });

  it('bounds every Task with TimeoutSeconds, service integrations included (SLW-SFN-005)', () => {
    const tasks = allStates(flow).filter(([, s]) => s.Type === 'Task');

    expect(tasks.filter(([, s]) => !((s.TimeoutSeconds as number) > 0)).map(([n]) => n)).toEqual(
      [],
    );
    expect(
      tasks
        .filter(([, s]) => s.Resource === 'arn:aws:states:::events:putEvents')
        .map(([n, s]) => [n, s.TimeoutSeconds]),
    ).toEqual(PUT_EVENTS_TIMEOUTS);
  });

  it('retries transient Lambda errors with backoff and jitter on every Lambda Task', () => {
    const lambdaTasks = allStates(flow).filter(
      ([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke',
    );

    expect(lambdaTasks.map(([n]) => n).sort()).toEqual(
      [
        'ExtractMetadata',
        'ExtractPoster',
        'Finalize',
        'GenerateThumbnails',
        'ProbeVideo',
        'Quarantine',
        'Validate',
      ].sort(),
    );
    for (const [name, state] of lambdaTasks) {
      const retry = state.Retry?.find((r) =>
        TRANSIENT_LAMBDA_ERRORS.every((e) => r.ErrorEquals.includes(e)),
      );
      expect({ name, retry: !!retry }).toEqual({ name, retry: true });
      expect(retry).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
      expect(retry!.MaxAttempts as number).toBeGreaterThanOrEqual(3);
      expect(state.TimeoutSeconds).toBeGreaterThan(0);
    }
  });

  it("gives every Task a Catch (its own or its Parallel's) that leads to a state that exists", () => {
    const covered = coveredByParallelCatch(flow);
    const names = new Set(allStates(flow).map(([n]) => n));

    for (const [name, state] of allStates(flow).filter(([, s]) => s.Type === 'Task')) {
      expect({ name, caught: !!state.Catch?.length || covered.has(name) }).toEqual({
        name,
        caught: true,
      });
    }
    for (const [, state] of allStates(flow)) {
      for (const c of state.Catch ?? []) expect(names.has(c.Next)).toBe(true);
    }
  });

  it('lets every Parallel branch finish before a failure is handled, so nothing writes after cleanup', () => {
    for (const [parallel, check] of [
      ['ProcessImage', 'CheckImageBranches'],
      ['ProcessVideo', 'CheckVideoBranches'],
    ]) {
      const branches = flow.States[parallel].Branches!;
      for (const branch of branches) {
        const task = branch.States[branch.StartAt];
        expect(task.Catch![0].ErrorEquals).toEqual(['States.ALL']);
        expect(branch.States[task.Catch![0].Next]).toMatchObject({
          Type: 'Pass',
          End: true,
          Parameters: { failed: true, 'error.$': '$.error' },
        });
        expect(task.ResultSelector).toMatchObject({ failed: false });
      }
      expect(flow.States[parallel].Next).toBe(check);
      const or = (flow.States[check].Choices as { Or: { Variable: string }[]; Next: string }[])[0];
      expect(or.Or.map((c) => c.Variable)).toEqual(
        branches.map((_, i) => `$.outputs.branches[${i}].failed`),
      );
      expect(or.Next).toBe('Quarantine');
    }
  });

  it('sends bad input to Quarantine and never swallows a failure of the quarantine itself', () => {
    const states = flow.States;

    expect(states.ProcessImage.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([
      [['MediaInputError'], 'Quarantine'],
      [['States.ALL'], 'Quarantine'],
    ]);
    expect(states.Quarantine.Catch?.[0].Next).toBe('QuarantineFailed');
    expect(states.QuarantineFailed.Type).toBe('Fail');
  });

  it('references only Lambdas that exist in apps/ and the platform bus', () => {
    const refs = placeholdersOf(flow);

    for (const [kind, name] of refs.filter(([k]) => k === 'lambda')) {
      expect({
        kind,
        name,
        exists: existsSync(join(REPO, 'apps', name, 'lambda.manifest.json')),
      }).toEqual({
        kind,
        name,
        exists: true,
      });
    }
    expect(refs.filter(([k]) => k !== 'lambda')).toEqual([
      ['bus', 'platform'],
      ['role', 'mediaconvert'],
    ]);
  });

  it('refuses to resolve a placeholder that has no target, naming it', () => {
    expect(() => resolvePlaceholders(flow, () => undefined)).toThrow(
      /slipway:lambda:media-validate, which does not exist/,
    );
  });
});
