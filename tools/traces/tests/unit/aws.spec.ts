import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetTracesCommand,
  GetServiceGraphCommand,
  GetTraceSummariesCommand,
  XRayClient,
  type BatchGetTracesCommandOutput,
  type GetServiceGraphCommandOutput,
  type GetTraceSummariesCommandOutput,
} from '@aws-sdk/client-xray';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BATCH_GET_TRACES_LIMIT,
  fetchServiceGraph,
  fetchTraces,
  histogramPercentile,
} from '../../src/aws';
import { writeAwsTraceReport } from '../../src/report';
import { graphLines } from './graph-lines';

/** A recorded response, its timestamps as the SDK returns them (Date). */
function recorded<T>(name: string): T {
  const text = readFileSync(join(__dirname, '../fixtures/aws', `${name}.json`), 'utf8');
  return JSON.parse(text, (key, value: unknown) =>
    /(Start|End|Approximate|MatchedEvent)Time$/.test(key) && typeof value === 'string'
      ? new Date(value)
      : value,
  ) as T;
}

const WINDOW = {
  start: new Date('2026-12-03T06:00:00Z'),
  end: new Date('2026-12-03T07:00:00Z'),
};
const MEDIA = '1-6930e3a1-bbbbbbbbbbbbbbbbbbbbbbbb';
const FAILING = '1-6930e3a2-cccccccccccccccccccccccc';

const xray = mockClient(XRayClient);
const client = new XRayClient({ region: 'eu-west-1' });

function recordedServiceGraph() {
  xray
    .on(GetServiceGraphCommand)
    .resolvesOnce(recorded<GetServiceGraphCommandOutput>('get-service-graph-1'))
    .resolvesOnce(recorded<GetServiceGraphCommandOutput>('get-service-graph-2'));
}

function recordedAccount() {
  recordedServiceGraph();
  xray
    .on(GetTraceSummariesCommand)
    .resolvesOnce(recorded<GetTraceSummariesCommandOutput>('get-trace-summaries-1'))
    .resolvesOnce(recorded<GetTraceSummariesCommandOutput>('get-trace-summaries-2'));
  xray
    .on(BatchGetTracesCommand)
    .resolvesOnce(recorded<BatchGetTracesCommandOutput>('batch-get-traces-1'))
    .resolvesOnce(recorded<BatchGetTracesCommandOutput>('batch-get-traces-2'));
}

beforeEach(() => xray.reset());

describe('histogramPercentile', () => {
  it.each<[string, { Value?: number; Count?: number }[] | undefined, number, number | null]>([
    ['no histogram', undefined, 50, null],
    ['empty', [], 99, null],
    ['one entry', [{ Value: 0.198, Count: 10 }], 99, 198],
    [
      'median in the first bucket',
      [
        { Value: 0.3, Count: 5 },
        { Value: 0.4, Count: 4 },
        { Value: 0.9, Count: 1 },
      ],
      50,
      300,
    ],
    [
      'p99 in the last bucket',
      [
        { Value: 0.3, Count: 5 },
        { Value: 0.4, Count: 4 },
        { Value: 0.9, Count: 1 },
      ],
      99,
      900,
    ],
    [
      'entries out of order',
      [
        { Value: 0.9, Count: 1 },
        { Value: 0.3, Count: 9 },
      ],
      50,
      300,
    ],
    [
      'zero counts ignored',
      [
        { Value: 5, Count: 0 },
        { Value: 0.02, Count: 3 },
      ],
      99,
      20,
    ],
  ])('%s', (_name, histogram, p, ms) => {
    expect(histogramPercentile(histogram, p)).toBe(ms);
  });
});

describe('fetchServiceGraph', () => {
  it('reads every page of GetServiceGraph into the graph model, p50/p99 from the histograms', async () => {
    // Prepare
    recordedAccount();
    // Act
    const graph = graphLines(await fetchServiceGraph(client, { ...WINDOW, group: 'media' }));
    // Assess
    expect(xray.commandCalls(GetServiceGraphCommand).map((c) => c.args[0].input)).toEqual([
      { StartTime: WINDOW.start, EndTime: WINDOW.end, GroupName: 'media' },
      {
        StartTime: WINDOW.start,
        EndTime: WINDOW.end,
        GroupName: 'media',
        NextToken: 'graph-page-2',
      },
    ]);
    expect(graph).toEqual({
      nodes: [
        'client (client): 0 req, ok 0, error 0, fault 0, throttle 0, p50 null, p99 null: ok',
        'slipway-dev-media (AWS::StepFunctions::StateMachine): 10 req, ok 10, error 0, fault 0, throttle 0, p50 300, p99 900: ok',
        'slipway-dev-media-uploads (AWS::S3::Bucket): 20 req, ok 17, error 3, fault 0, throttle 1, p50 20, p99 110: throttle',
        'slipway-dev-media-validate (AWS::Lambda): 10 req, ok 9, error 1, fault 0, throttle 0, p50 196, p99 196: error',
        'slipway-dev-media-validate (AWS::Lambda::Function): 10 req, ok 9, error 0, fault 1, throttle 0, p50 190, p99 190: fault',
      ],
      edges: [
        'client (client) -> slipway-dev-media (AWS::StepFunctions::StateMachine): 10 req, ok 9, error 0, fault 1, throttle 0, p50 300, p99 900: fault',
        'slipway-dev-media (AWS::StepFunctions::StateMachine) -> slipway-dev-media-validate (AWS::Lambda): 10 req, ok 9, error 0, fault 1, throttle 0, p50 198, p99 198: fault',
        'slipway-dev-media-validate (AWS::Lambda) -> slipway-dev-media-validate (AWS::Lambda::Function): 10 req, ok 9, error 0, fault 1, throttle 0, p50 190, p99 191: fault',
        'slipway-dev-media-validate (AWS::Lambda::Function) -> slipway-dev-media-uploads (AWS::S3::Bucket): 20 req, ok 17, error 3, fault 0, throttle 1, p50 20, p99 110: throttle',
      ],
    });
  });

  it('says which call failed and what to check', async () => {
    xray
      .on(GetServiceGraphCommand)
      .rejects(new Error('The security token included in the request is expired.'));
    await expect(fetchServiceGraph(client, WINDOW)).rejects.toThrow(
      "X-Ray GetServiceGraph failed: The security token included in the request is expired. Check the credentials (the AWS SDK's usual chain: AWS_PROFILE, environment, SSO), the region (--region or AWS_REGION) and that the caller may xray:GetServiceGraph.",
    );
  });
});

describe('fetchTraces', () => {
  it(`asks BatchGetTraces for at most ${BATCH_GET_TRACES_LIMIT} trace ids at a time`, async () => {
    // Prepare
    xray.on(BatchGetTracesCommand).resolves({ Traces: [], UnprocessedTraceIds: [] });
    const ids = Array.from({ length: 7 }, (_, i) => `1-6930e3a${i}-dddddddddddddddddddddddd`);
    // Act
    await fetchTraces(client, ids);
    // Assess
    expect(xray.commandCalls(BatchGetTracesCommand).map((c) => c.args[0].input)).toEqual([
      { TraceIds: ids.slice(0, 5) },
      { TraceIds: ids.slice(5) },
    ]);
  });

  it('parses every page’s segment documents and keeps the ids X-Ray did not return', async () => {
    // Prepare
    xray
      .on(BatchGetTracesCommand)
      .resolvesOnce(recorded<BatchGetTracesCommandOutput>('batch-get-traces-1'))
      .resolvesOnce({
        ...recorded<BatchGetTracesCommandOutput>('batch-get-traces-2'),
        UnprocessedTraceIds: ['1-6930e3a9-eeeeeeeeeeeeeeeeeeeeeeee'],
      });
    // Act
    const { documents, unprocessed } = await fetchTraces(client, [MEDIA, FAILING]);
    // Assess
    expect(xray.commandCalls(BatchGetTracesCommand).map((c) => c.args[0].input)).toEqual([
      { TraceIds: [MEDIA, FAILING] },
      { TraceIds: [MEDIA, FAILING], NextToken: 'traces-page-2' },
    ]);
    expect(documents.map((d) => `${d.trace_id} ${d.id} ${d.origin}`)).toEqual([
      `${MEDIA} b000000000000001 AWS::StepFunctions::StateMachine`,
      ...['1', '2', '3', '4', '5'].flatMap((n) => [
        `${MEDIA} b0000000000000${n}1 AWS::Lambda`,
        `${MEDIA} b0000000000000${n}2 AWS::Lambda::Function`,
      ]),
      `${FAILING} c000000000000001 AWS::StepFunctions::StateMachine`,
      `${FAILING} c000000000000011 AWS::Lambda`,
      `${FAILING} c000000000000012 AWS::Lambda::Function`,
      `${FAILING} c0000000000000f5 AWS::S3::Bucket`,
    ]);
    expect(unprocessed).toEqual(['1-6930e3a9-eeeeeeeeeeeeeeeeeeeeeeee']);
  });

  it.each([
    ['not JSON', '{"id":', 'with a Document that is not JSON; report it with the trace id.'],
    [
      'no start_time',
      '{"id":"c000000000000001","name":"x"}',
      'without id, name or start_time; report it with the trace id.',
    ],
  ])('refuses a Document that is %s', async (_name, document, message) => {
    xray.on(BatchGetTracesCommand).resolves({
      Traces: [{ Id: FAILING, Segments: [{ Id: 'c000000000000001', Document: document }] }],
    });
    await expect(fetchTraces(client, [FAILING])).rejects.toThrow(
      `BatchGetTraces returned segment c000000000000001 of trace ${FAILING} ${message}`,
    );
  });
});

describe('writeAwsTraceReport', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'traces-aws-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('finds a trace by correlation id through GetTraceSummaries (group filter, every page) and BatchGetTraces, and writes the map and its waterfall', async () => {
    // Prepare
    recordedAccount();
    // Act
    const report = await writeAwsTraceReport({
      ...WINDOW,
      group: 'media',
      out,
      trace: 'corr-upload-2',
      client,
    });
    // Assess
    expect(xray.commandCalls(GetTraceSummariesCommand).map((c) => c.args[0].input)).toEqual([
      { StartTime: WINDOW.start, EndTime: WINDOW.end, FilterExpression: 'group.name = "media"' },
      {
        StartTime: WINDOW.start,
        EndTime: WINDOW.end,
        FilterExpression: 'group.name = "media"',
        NextToken: 'summaries-page-2',
      },
    ]);
    expect(report.files).toEqual([
      join(out, 'service-map.svg'),
      join(out, 'service-map.png'),
      join(out, 'service-map.md'),
      join(out, `waterfall-${FAILING}.txt`),
      join(out, `waterfall-${FAILING}.svg`),
    ]);
    expect(report.graph.nodes.map((n) => n.name)).toEqual([
      'client',
      'slipway-dev-media',
      'slipway-dev-media-uploads',
      'slipway-dev-media-validate',
      'slipway-dev-media-validate',
    ]);
    // X-Ray's inferred S3 segment sits under the S3 call that it stands for.
    expect(
      readFileSync(join(out, `waterfall-${FAILING}.txt`), 'utf8')
        .split('\n')
        .slice(-4),
    ).toEqual([
      '      20.0        20.0  |  ████                                  |              S3 HeadObject slipway-local-media-uploads [error]',
      '      20.0        20.0  |  ████                                  |                slipway-local-media-uploads (AWS::S3::Bucket) [error]',
      '     210.0        80.0  |                            ███████████ |    Quarantine',
      '',
    ]);
  });

  it('reads a trace id with BatchGetTraces alone', async () => {
    // Prepare
    recordedServiceGraph();
    xray.on(BatchGetTracesCommand).resolves({
      ...recorded<BatchGetTracesCommandOutput>('batch-get-traces-1'),
      NextToken: undefined,
    });
    // Act
    const report = await writeAwsTraceReport({ ...WINDOW, out, trace: MEDIA, client });
    // Assess
    expect(xray.commandCalls(GetTraceSummariesCommand)).toHaveLength(0);
    expect(xray.commandCalls(BatchGetTracesCommand).map((c) => c.args[0].input)).toEqual([
      { TraceIds: [MEDIA] },
    ]);
    expect(report.waterfall?.traceId).toBe(MEDIA);
  });
});
