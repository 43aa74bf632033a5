import { join } from 'node:path';
import {
  buildServiceGraph,
  healthOf,
  nearestRank,
  sampleOf,
  statsOf,
  type Health,
  type Sample,
} from '../../src/graph';
import { readSegments, type SegmentDocument } from '../../src/segments';
import { graphLines } from './graph-lines';

const fixture = (name: string) => readSegments(join(__dirname, '../fixtures', `${name}.jsonl`));
/** A deep copy of a fixture's documents to break one field of. */
const cloned = (name: string): SegmentDocument[] => structuredClone(fixture(name));
const find = (docs: SegmentDocument[], id: string): SegmentDocument => {
  const walk = (d: SegmentDocument): SegmentDocument | undefined =>
    d.id === id ? d : (d.subsegments ?? []).map(walk).find(Boolean);
  const found = docs.map(walk).find(Boolean);
  if (!found) throw new Error(`fixture has no element ${id}`);
  return found;
};

const FAILING = {
  client: 'client (client)',
  sm: 'slipway-local-media (AWS::StepFunctions::StateMachine)',
  service: 'slipway-local-media-validate (AWS::Lambda)',
  fn: 'slipway-local-media-validate (AWS::Lambda::Function)',
  uploads: 'slipway-local-media-uploads (AWS::S3::Bucket)',
};

describe('buildServiceGraph', () => {
  it('maps one sandbox run (an API call, a media execution with a parallel state and an EventBridge hop, a failing Task) to exact nodes and edges', () => {
    // Prepare
    const docs = ['api-call', 'media-execution', 'failing-task'].flatMap(fixture);
    // Act
    const graph = graphLines(buildServiceGraph(docs));
    // Assess
    const ok1 = (ms: number) =>
      `1 req, ok 1, error 0, fault 0, throttle 0, p50 ${ms}, p99 ${ms}: ok`;
    expect(graph.nodes).toEqual([
      'client (client): 0 req, ok 0, error 0, fault 0, throttle 0, p50 null, p99 null: ok',
      `EventBridge (AWS::EventBridge): ${ok1(30)}`,
      `SESv2 (AWS::SESv2): ${ok1(40)}`,
      `slipway-local-api/local (AWS::ApiGateway::Stage): ${ok1(120)}`,
      `slipway-local-edge-authorizer (AWS::Lambda): ${ok1(26)}`,
      `slipway-local-edge-authorizer (AWS::Lambda::Function): ${ok1(23)}`,
      'slipway-local-media (AWS::StepFunctions::StateMachine): 2 req, ok 2, error 0, fault 0, throttle 0, p50 300, p99 900: ok',
      `slipway-local-media-api (AWS::Lambda): ${ok1(84)}`,
      `slipway-local-media-api (AWS::Lambda::Function): ${ok1(81)}`,
      'slipway-local-media-derived (AWS::S3::Bucket): 2 req, ok 2, error 0, fault 0, throttle 0, p50 45, p99 140: ok',
      `slipway-local-media-finalize (AWS::Lambda): ${ok1(186)}`,
      `slipway-local-media-finalize (AWS::Lambda::Function): ${ok1(181)}`,
      'slipway-local-media-items (AWS::DynamoDB::Table): 2 req, ok 1, error 1, fault 0, throttle 1, p50 10, p99 12: throttle',
      `slipway-local-media-metadata (AWS::Lambda): ${ok1(185)}`,
      `slipway-local-media-metadata (AWS::Lambda::Function): ${ok1(180)}`,
      `slipway-local-media-notify (AWS::Lambda): ${ok1(55)}`,
      `slipway-local-media-notify (AWS::Lambda::Function): ${ok1(50)}`,
      `slipway-local-media-thumbnails (AWS::Lambda): ${ok1(435)}`,
      `slipway-local-media-thumbnails (AWS::Lambda::Function): ${ok1(430)}`,
      'slipway-local-media-uploads (AWS::S3::Bucket): 5 req, ok 4, error 1, fault 0, throttle 0, p50 55, p99 110: error',
      'slipway-local-media-validate (AWS::Lambda): 2 req, ok 1, error 1, fault 0, throttle 0, p50 196, p99 196: error',
      'slipway-local-media-validate (AWS::Lambda::Function): 2 req, ok 1, error 0, fault 1, throttle 0, p50 190, p99 191: fault',
    ]);
    expect(graph.edges).toEqual([
      `client (client) -> slipway-local-api/local (AWS::ApiGateway::Stage): ${ok1(120)}`,
      'client (client) -> slipway-local-media (AWS::StepFunctions::StateMachine): 2 req, ok 2, error 0, fault 0, throttle 0, p50 300, p99 900: ok',
      `EventBridge (AWS::EventBridge) -> slipway-local-media-notify (AWS::Lambda): ${ok1(55)}`,
      `slipway-local-api/local (AWS::ApiGateway::Stage) -> slipway-local-edge-authorizer (AWS::Lambda): ${ok1(28)}`,
      `slipway-local-api/local (AWS::ApiGateway::Stage) -> slipway-local-media-api (AWS::Lambda): ${ok1(86)}`,
      `slipway-local-edge-authorizer (AWS::Lambda) -> slipway-local-edge-authorizer (AWS::Lambda::Function): ${ok1(23)}`,
      `slipway-local-media (AWS::StepFunctions::StateMachine) -> slipway-local-media-finalize (AWS::Lambda): ${ok1(188)}`,
      `slipway-local-media (AWS::StepFunctions::StateMachine) -> slipway-local-media-metadata (AWS::Lambda): ${ok1(187)}`,
      `slipway-local-media (AWS::StepFunctions::StateMachine) -> slipway-local-media-thumbnails (AWS::Lambda): ${ok1(437)}`,
      'slipway-local-media (AWS::StepFunctions::StateMachine) -> slipway-local-media-validate (AWS::Lambda): 2 req, ok 1, error 0, fault 1, throttle 0, p50 198, p99 198: fault',
      `slipway-local-media-api (AWS::Lambda) -> slipway-local-media-api (AWS::Lambda::Function): ${ok1(81)}`,
      'slipway-local-media-api (AWS::Lambda::Function) -> slipway-local-media-items (AWS::DynamoDB::Table): 2 req, ok 1, error 1, fault 0, throttle 1, p50 10, p99 12: throttle',
      `slipway-local-media-finalize (AWS::Lambda) -> slipway-local-media-finalize (AWS::Lambda::Function): ${ok1(181)}`,
      `slipway-local-media-finalize (AWS::Lambda::Function) -> EventBridge (AWS::EventBridge): ${ok1(30)}`,
      `slipway-local-media-finalize (AWS::Lambda::Function) -> slipway-local-media-derived (AWS::S3::Bucket): ${ok1(45)}`,
      `slipway-local-media-metadata (AWS::Lambda) -> slipway-local-media-metadata (AWS::Lambda::Function): ${ok1(180)}`,
      `slipway-local-media-metadata (AWS::Lambda::Function) -> slipway-local-media-uploads (AWS::S3::Bucket): ${ok1(110)}`,
      `slipway-local-media-notify (AWS::Lambda) -> slipway-local-media-notify (AWS::Lambda::Function): ${ok1(50)}`,
      `slipway-local-media-notify (AWS::Lambda::Function) -> SESv2 (AWS::SESv2): ${ok1(40)}`,
      `slipway-local-media-thumbnails (AWS::Lambda) -> slipway-local-media-thumbnails (AWS::Lambda::Function): ${ok1(430)}`,
      `slipway-local-media-thumbnails (AWS::Lambda::Function) -> slipway-local-media-derived (AWS::S3::Bucket): ${ok1(140)}`,
      `slipway-local-media-thumbnails (AWS::Lambda::Function) -> slipway-local-media-uploads (AWS::S3::Bucket): ${ok1(80)}`,
      'slipway-local-media-validate (AWS::Lambda) -> slipway-local-media-validate (AWS::Lambda::Function): 2 req, ok 1, error 0, fault 1, throttle 0, p50 190, p99 191: fault',
      'slipway-local-media-validate (AWS::Lambda::Function) -> slipway-local-media-uploads (AWS::S3::Bucket): 3 req, ok 2, error 1, fault 0, throttle 0, p50 20, p99 55: error',
    ]);
  });

  it('gives the same graph whatever order the documents arrived in', () => {
    const docs = ['api-call', 'media-execution', 'failing-task'].flatMap(fixture);
    expect(buildServiceGraph([...docs].reverse())).toEqual(buildServiceGraph(docs));
  });

  // Each case clones the failing-task trace, breaks one field and names the edges it then expects.
  const failingEdges = {
    clientSm: `${FAILING.client} -> ${FAILING.sm}: 1 req, ok 1, error 0, fault 0, throttle 0, p50 300, p99 300: ok`,
    smService: `${FAILING.sm} -> ${FAILING.service}: 1 req, ok 0, error 0, fault 1, throttle 0, p50 198, p99 198: fault`,
    serviceFn: `${FAILING.service} -> ${FAILING.fn}: 1 req, ok 0, error 0, fault 1, throttle 0, p50 190, p99 190: fault`,
    fnUploads: `${FAILING.fn} -> ${FAILING.uploads}: 1 req, ok 0, error 1, fault 0, throttle 0, p50 20, p99 20: error`,
  };
  it.each<[string, (docs: SegmentDocument[]) => void, string[]]>([
    ['as captured', () => undefined, Object.values(failingEdges)],
    [
      'the Task state without fault: the edge keeps the Lambda service segment’s error',
      (docs) => delete find(docs, 'c000000000000002').fault,
      [
        failingEdges.clientSm,
        `${FAILING.sm} -> ${FAILING.service}: 1 req, ok 0, error 1, fault 0, throttle 0, p50 198, p99 198: error`,
        failingEdges.serviceFn,
        failingEdges.fnUploads,
      ],
    ],
    [
      'the S3 call answered 503 without a fault flag: a fault by its status',
      (docs) => {
        const s3 = find(docs, 'c000000000000015');
        delete s3.error;
        s3.http = { response: { status: 503 } };
      },
      [
        failingEdges.clientSm,
        failingEdges.smService,
        failingEdges.serviceFn,
        `${FAILING.fn} -> ${FAILING.uploads}: 1 req, ok 0, error 0, fault 1, throttle 0, p50 20, p99 20: fault`,
      ],
    ],
    [
      'the S3 call answered 429: an error that is a throttle',
      (docs) => {
        const s3 = find(docs, 'c000000000000015');
        delete s3.error;
        s3.http = { response: { status: 429 } };
      },
      [
        failingEdges.clientSm,
        failingEdges.smService,
        failingEdges.serviceFn,
        `${FAILING.fn} -> ${FAILING.uploads}: 1 req, ok 0, error 1, fault 0, throttle 1, p50 20, p99 20: throttle`,
      ],
    ],
    [
      'the S3 call still in progress: counted, with no latency',
      (docs) => {
        const s3 = find(docs, 'c000000000000015');
        delete s3.end_time;
        delete s3.error;
        delete s3.http;
        s3.in_progress = true;
      },
      [
        failingEdges.clientSm,
        failingEdges.smService,
        failingEdges.serviceFn,
        `${FAILING.fn} -> ${FAILING.uploads}: 1 req, ok 1, error 0, fault 0, throttle 0, p50 null, p99 null: ok`,
      ],
    ],
    [
      'the Invoke outside any state of a failed execution: the execution’s fault stays off the edge',
      (docs) => {
        const execution = docs[0]!;
        const validate = find(docs, 'c000000000000002');
        execution.subsegments = [...validate.subsegments!, ...execution.subsegments!];
        validate.subsegments = [];
        delete validate.fault;
        execution.fault = true;
      },
      [
        `${FAILING.client} -> ${FAILING.sm}: 1 req, ok 0, error 0, fault 1, throttle 0, p50 300, p99 300: fault`,
        `${FAILING.sm} -> ${FAILING.service}: 1 req, ok 0, error 1, fault 0, throttle 0, p50 198, p99 198: error`,
        failingEdges.serviceFn,
        failingEdges.fnUploads,
      ],
    ],
    [
      'a DynamoDB batch call on one table: the table’s node',
      (docs) => {
        const call = find(docs, 'c000000000000015');
        call.name = 'DynamoDB';
        call.aws = { operation: 'BatchGetItem', table_names: ['slipway-local-media-items'] };
      },
      [
        failingEdges.clientSm,
        failingEdges.smService,
        failingEdges.serviceFn,
        `${FAILING.fn} -> slipway-local-media-items (AWS::DynamoDB::Table): 1 req, ok 0, error 1, fault 0, throttle 0, p50 20, p99 20: error`,
      ],
    ],
    [
      'the Lambda service segment’s parent never captured: called by the client',
      (docs) => {
        find(docs, 'c000000000000011').parent_id = 'ffffffffffffffff';
      },
      [
        failingEdges.clientSm,
        `${FAILING.client} -> ${FAILING.service}: 1 req, ok 0, error 1, fault 0, throttle 0, p50 196, p99 196: error`,
        // The Invoke has no callee any more: it stands for the function, as X-Ray infers it.
        `${FAILING.sm} -> ${FAILING.service}: 1 req, ok 1, error 0, fault 0, throttle 0, p50 198, p99 198: ok`,
        failingEdges.serviceFn,
        failingEdges.fnUploads,
      ],
    ],
    [
      'the S3 call in the remote namespace: a remote node named by the subsegment',
      (docs) => {
        find(docs, 'c000000000000015').namespace = 'remote';
      },
      [
        failingEdges.clientSm,
        failingEdges.smService,
        failingEdges.serviceFn,
        `${FAILING.fn} -> S3 (remote): 1 req, ok 0, error 1, fault 0, throttle 0, p50 20, p99 20: error`,
      ],
    ],
    [
      'the S3 call in no namespace: a local subsegment, no node',
      (docs) => {
        delete find(docs, 'c000000000000015').namespace;
      },
      [failingEdges.clientSm, failingEdges.smService, failingEdges.serviceFn],
    ],
    [
      'a segment X-Ray inferred itself under the S3 call: no second node',
      (docs) => {
        docs.push({
          id: 'c000000000000099',
          trace_id: docs[0]?.trace_id as string,
          parent_id: 'c000000000000015',
          name: 'slipway-local-media-uploads',
          origin: 'AWS::S3::Bucket',
          inferred: true,
          start_time: (docs[0]?.start_time as number) + 0.02,
          end_time: (docs[0]?.start_time as number) + 0.04,
        });
      },
      Object.values(failingEdges),
    ],
  ])('%s', (_name, breakIt, edges) => {
    // Prepare
    const docs = cloned('failing-task');
    breakIt(docs);
    // Act
    const graph = graphLines(buildServiceGraph(docs));
    // Assess
    expect(graph.edges).toEqual(edges);
  });

  it('draws nothing for no documents', () => {
    expect(buildServiceGraph([])).toEqual({ nodes: [], edges: [] });
  });
});

describe('stats', () => {
  it.each<[string, Partial<SegmentDocument>, Sample]>([
    ['ok', {}, { durationMs: 100, fault: false, error: false, throttle: false }],
    [
      'error flag',
      { error: true },
      { durationMs: 100, fault: false, error: true, throttle: false },
    ],
    [
      '404',
      { http: { response: { status: 404 } } },
      { durationMs: 100, fault: false, error: true, throttle: false },
    ],
    [
      'throttle flag',
      { throttle: true },
      { durationMs: 100, fault: false, error: true, throttle: true },
    ],
    [
      '429',
      { http: { response: { status: 429 } } },
      { durationMs: 100, fault: false, error: true, throttle: true },
    ],
    [
      // What the X-Ray SDK writes for a DynamoDB ConditionalCheckFailed: both flags, and the 400.
      '400 with the error and fault flags',
      { error: true, fault: true, http: { response: { status: 400 } } },
      { durationMs: 100, fault: false, error: true, throttle: false },
    ],
    [
      '400 flagged throttle (DynamoDB ProvisionedThroughputExceeded)',
      { error: true, throttle: true, http: { response: { status: 400 } } },
      { durationMs: 100, fault: false, error: true, throttle: true },
    ],
    [
      'fault flag',
      { fault: true },
      { durationMs: 100, fault: true, error: false, throttle: false },
    ],
    [
      '500',
      { http: { response: { status: 500 } } },
      { durationMs: 100, fault: true, error: false, throttle: false },
    ],
    [
      'fault and error: the fault',
      { fault: true, error: true },
      { durationMs: 100, fault: true, error: false, throttle: false },
    ],
    [
      'in progress',
      { end_time: undefined, in_progress: true },
      { fault: false, error: false, throttle: false },
    ],
  ])('sampleOf: %s', (_name, fields, sample) => {
    const doc = { id: 'a', name: 'x', start_time: 1764812192.1, end_time: 1764812192.2, ...fields };
    expect(sampleOf(doc)).toEqual(sample);
  });

  it.each<[number[], number, number | null]>([
    [[], 50, null],
    [[7], 50, 7],
    [[7], 99, 7],
    [[1, 2], 50, 1],
    [[1, 2], 99, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99, 10],
    [Array.from({ length: 200 }, (_, i) => i + 1), 99, 198],
  ])('nearestRank(%j, p%d) = %p', (sorted, p, value) => {
    expect(nearestRank(sorted, p)).toBe(value);
  });

  it.each<[Sample[], Health]>([
    [[], 'ok'],
    [[{ durationMs: 1, fault: false, error: true, throttle: false }], 'error'],
    [
      [
        { durationMs: 1, fault: false, error: true, throttle: false },
        { durationMs: 1, fault: false, error: true, throttle: true },
      ],
      'throttle',
    ],
    [
      [
        { durationMs: 1, fault: false, error: true, throttle: true },
        { durationMs: 1, fault: true, error: false, throttle: false },
      ],
      'fault',
    ],
  ])('healthOf(%j) = %s', (samples, health) => {
    expect(healthOf(statsOf(samples))).toBe(health);
  });
});
