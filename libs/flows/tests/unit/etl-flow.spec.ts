import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  allStates,
  distributedMaps,
  loadFlow,
  loadSchedule,
  placeholdersOf,
  resolvePlaceholders,
} from '../../src';

const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const flow = loadFlow('etl');
const PUT_EVENTS_TIMEOUTS = [
  ['AnnounceCompleted', 10],
  ['AnnounceFailure', 10],
];

describe('etl flow definition', () => {
  it('is valid ASL for the Step Functions interpreter, in JSONPath', () => {
    // Prepare
    const resolved = resolvePlaceholders(flow, (kind, name) =>
      kind === 'lambda'
        ? `arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-${name}`
        : `slipway-dev-${name}`,
    );

    // Act + Assess
    expect(() => new StateMachine(resolved as unknown as StateMachineDefinition)).not.toThrow();
    expect(JSON.stringify(flow)).not.toContain('JSONata');
  });

  it('names only the ETL Lambdas and the platform bus', () => {
    expect(placeholdersOf(flow)).toEqual([
      ['bus', 'platform'],
      ['lambda', 'etl-aggregate'],
      ['lambda', 'etl-list-partitions'],
      ['lambda', 'etl-publish'],
      ['lambda', 'etl-reconcile'],
      ['lambda', 'etl-transform'],
    ]);
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

  it('retries transient Lambda errors with backoff and jitter on every Lambda Task, Map items included', () => {
    // Prepare
    const lambdaTasks = allStates(flow).filter(
      ([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke',
    );

    // Assess
    expect(lambdaTasks.map(([n]) => n).sort()).toEqual(
      ['Aggregate', 'ListPartitions', 'Publish', 'Reconcile', 'Transform'].sort(),
    );
    for (const [name, state] of lambdaTasks) {
      const retry = state.Retry?.find((r) =>
        TRANSIENT_LAMBDA_ERRORS.every((e) => r.ErrorEquals.includes(e)),
      );
      expect({ name, jitter: retry?.JitterStrategy, backoff: retry?.BackoffRate }).toEqual({
        name,
        jitter: 'FULL',
        backoff: 2,
      });
      expect(state.TimeoutSeconds).toBeGreaterThan(0);
    }
  });

  it('catches every failure at the top level into AnnounceFailure, then Fail', () => {
    // Prepare
    const top = Object.entries(flow.States).filter(
      ([, s]) => s.Type === 'Task' || s.Type === 'Map',
    );

    // Assess
    for (const [name, state] of top) {
      if (name === 'AnnounceFailure') continue;
      expect({
        name,
        next: state.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next,
      }).toEqual({
        name,
        next: 'AnnounceFailure',
      });
    }
    expect(flow.States.AnnounceFailure.Next).toBe('Failed');
    expect(flow.States.Failed.Type).toBe('Fail');
  });

  it('transforms the objects in a Distributed Map that reads the object list and writes its results to S3', () => {
    // Assess: the exact state (issue 17), apart from its comment and the Transform inside.
    const { Comment: _comment, ItemProcessor, ...map } = flow.States.TransformObjects;
    expect(map).toEqual({
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: {
          'Bucket.$': '$.partitions.result.bucket',
          'Key.$': '$.partitions.result.key',
        },
      },
      ItemBatcher: {
        MaxItemsPerBatch: 100,
        MaxInputBytesPerBatch: 131072,
        BatchInput: {
          'bucket.$': '$.partitions.result.bucket',
          'date.$': '$.partitions.result.date',
          'asOf.$': '$.partitions.result.asOf',
          'runId.$': '$.partitions.result.runId',
        },
      },
      // Bounded S3 and Lambda load (SLW-SFN-006), within etl-transform's reserved concurrency.
      MaxConcurrency: 4,
      // Nothing lost: a batch that fails after its retries fails the run.
      ToleratedFailurePercentage: 0,
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: {
          'Bucket.$': '$.partitions.result.bucket',
          'Prefix.$': '$.partitions.result.resultsPrefix',
        },
      },
      ResultSelector: {
        'MapRunArn.$': '$.MapRunArn',
        'ResultWriterDetails.$': '$.ResultWriterDetails',
      },
      ResultPath: '$.transforms',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AnnounceFailure' }],
      Next: 'Aggregate',
    });
    const processor = ItemProcessor as {
      ProcessorConfig: unknown;
      StartAt: string;
      States: Record<string, Record<string, unknown>>;
    };
    expect(processor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(Object.keys(processor.States)).toEqual(['Transform']);
    expect(processor.States.Transform).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'slipway:lambda:etl-transform', 'Payload.$': '$' },
      // One output per object of the batch; the child execution's output goes to the results.
      ResultSelector: { 'outputs.$': '$.Payload.outputs' },
      End: true,
    });
  });

  it('names one Distributed Map, which reads items and writes results (what the role is granted)', () => {
    expect(distributedMaps(flow)).toEqual([
      { state: 'TransformObjects', readsItems: true, writesResults: true },
    ]);
    expect(distributedMaps(loadFlow('media'))).toEqual([]);
  });

  it('hands ListPartitions the execution name and keeps only bounded fields of every Lambda result (SLW-SFN-007)', () => {
    expect(flow.States.ListPartitions.Parameters).toEqual({
      FunctionName: 'slipway:lambda:etl-list-partitions',
      Payload: { 'request.$': '$', 'runId.$': '$$.Execution.Name' },
    });
    const kept = allStates(flow)
      .filter(([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke')
      .flatMap(([, s]) => JSON.stringify(s.ResultSelector ?? {}).match(/"\$\.Payload"/g) ?? []);
    expect(kept).toEqual([]);
    expect(flow.States.Reconcile.Parameters).toMatchObject({
      Payload: { 'objects.$': '$.partitions.result.count', 'transforms.$': '$.transforms' },
    });
  });
});

describe('etl schedule', () => {
  it('runs on a cron in an explicit time zone and passes the scheduled time', () => {
    // Act
    const schedule = loadSchedule('etl');

    // Assess
    expect(schedule?.expression).toMatch(/^cron\(/);
    expect(schedule?.timezone).toBe('Europe/Paris');
    expect(schedule?.input).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
    expect(loadSchedule('media')).toBeUndefined();
  });
});
