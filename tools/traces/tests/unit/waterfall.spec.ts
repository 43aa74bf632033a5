import { join } from 'node:path';
import { readSegments, type SegmentDocument } from '../../src/segments';
import { buildWaterfall, findTrace, waterfallSvg, waterfallText } from '../../src/waterfall';

const fixture = (name: string) => readSegments(join(__dirname, '../fixtures', `${name}.jsonl`));
const run = () => ['api-call', 'media-execution', 'failing-task'].flatMap(fixture);

const API = '1-6930e3a0-aaaaaaaaaaaaaaaaaaaaaaaa';
const MEDIA = '1-6930e3a1-bbbbbbbbbbbbbbbbbbbbbbbb';
const FAILING = '1-6930e3a2-cccccccccccccccccccccccc';

describe('findTrace', () => {
  it.each([
    ['a trace id', MEDIA, MEDIA],
    [
      'an execution ARN',
      'arn:aws:states:eu-west-1:000000000000:execution:slipway-local-media:upload-2',
      FAILING,
    ],
    ['a Lambda service segment request id', 'req-validate-2', FAILING],
    ['a correlation id every function of the upload carries', 'corr-upload-1', MEDIA],
    ['the API integration’s correlation id', 'corr-api-1', API],
  ])('finds %s', (_name, wanted, traceId) => {
    expect(findTrace(run(), wanted)).toBe(traceId);
  });

  it('lists the known traces and their executions for an unknown id', () => {
    expect(() => findTrace(run(), 'upload-3')).toThrow(
      'No captured trace matches "upload-3" (as a trace id, execution ARN, request id or correlation id). Known traces: ' +
        `${API}; ` +
        `${MEDIA} (arn:aws:states:eu-west-1:000000000000:execution:slipway-local-media:upload-1); ` +
        `${FAILING} (arn:aws:states:eu-west-1:000000000000:execution:slipway-local-media:upload-2). Pass one of them to --trace.`,
    );
  });

  it('lists five known traces and counts the rest', () => {
    const docs = Array.from({ length: 7 }, (_, i) => ({
      id: `d00000000000000${i}`,
      trace_id: `1-6930e3a${i}-dddddddddddddddddddddddd`,
      name: 'f',
      start_time: 1764812192 + i,
      end_time: 1764812193 + i,
    }));
    expect(() => findTrace(docs, 'x')).toThrow(
      'Known traces: 1-6930e3a0-dddddddddddddddddddddddd; 1-6930e3a1-dddddddddddddddddddddddd; 1-6930e3a2-dddddddddddddddddddddddd; 1-6930e3a3-dddddddddddddddddddddddd; 1-6930e3a4-dddddddddddddddddddddddd, and 2 more. Pass one of them to --trace.',
    );
  });

  it('says there is no trace at all for empty segments', () => {
    expect(() => findTrace([], MEDIA)).toThrow(
      `No captured trace matches "${MEDIA}": the segments hold no trace at all. Run the sandbox first, then pass a trace id, execution ARN, request id or correlation id to --trace.`,
    );
  });
});

describe('buildWaterfall and waterfallText', () => {
  it('lays out the API call as an aligned text timeline', () => {
    expect(waterfallText(buildWaterfall(run(), API))).toBe(
      [
        `trace ${API} · 120.0 ms · 5 segments`,
        ' offset ms duration ms  timeline                                    element',
        '       0.0       120.0  |████████████████████████████████████████|  slipway-local-api/local (AWS::ApiGateway::Stage)',
        '       2.0        28.0  |██████████                              |    Lambda Invoke slipway-local-edge-authorizer',
        '       3.0        26.0  | █████████                              |      slipway-local-edge-authorizer (AWS::Lambda)',
        '       5.0        23.0  | █████████                              |        slipway-local-edge-authorizer (AWS::Lambda::Function)',
        '       6.0        21.0  |  ███████                               |          ## handler.handler',
        '      32.0        86.0  |          ██████████████████████████████|    Lambda Invoke slipway-local-media-api',
        '      33.0        84.0  |           ████████████████████████████ |      slipway-local-media-api (AWS::Lambda)',
        '      35.0        81.0  |           ████████████████████████████ |        slipway-local-media-api (AWS::Lambda::Function)',
        '      36.0        79.0  |            ███████████████████████████ |          ## handler.handler',
        '      40.0        12.0  |             █████                      |            DynamoDB GetItem slipway-local-media-items [throttle]',
        '      60.0        10.0  |                    ████                |            DynamoDB GetItem slipway-local-media-items',
        '',
      ].join('\n'),
    );
  });

  it('marks the failing Task, the Lambda error and the function fault', () => {
    const rows = buildWaterfall(run(), FAILING).rows.map(
      (r) => `${'  '.repeat(r.depth)}${r.label}: ${r.status}`,
    );
    expect(rows).toEqual([
      'slipway-local-media (AWS::StepFunctions::StateMachine): ok',
      '  Validate: fault',
      '    Lambda Invoke slipway-local-media-validate: ok',
      '      slipway-local-media-validate (AWS::Lambda): error',
      '        slipway-local-media-validate (AWS::Lambda::Function): fault',
      '          ## handler.handler: fault',
      '            S3 HeadObject slipway-local-media-uploads: error',
      '  Quarantine: ok',
    ]);
  });

  it('shows the media execution as Validate, the parallel branches side by side, then Finalize with its S3 calls and the EventBridge hop, in time order', () => {
    // Act
    const { rows, segments, durationMs } = buildWaterfall(run(), MEDIA);
    // Assess
    const at = (label: string) => rows.find((r) => r.label === label);
    expect(rows.filter((r) => r.depth === 1).map((r) => r.label)).toEqual([
      'Validate',
      'Process',
      'Finalize',
    ]);
    expect(
      rows.filter((r) => r.depth === 2 && !r.label.startsWith('Lambda Invoke')).map((r) => r.label),
    ).toEqual(['Thumbnails', 'Metadata']);
    expect([at('Thumbnails')?.offsetMs, at('Metadata')?.offsetMs]).toEqual([211, 211]);
    expect(
      rows.filter((r) => r.label.startsWith('S3 ')).map((r) => `${r.offsetMs} ${r.label}`),
    ).toEqual([
      '70 S3 HeadObject slipway-local-media-uploads',
      '95 S3 GetObject slipway-local-media-uploads',
      '220 S3 GetObject slipway-local-media-uploads',
      '500 S3 PutObject slipway-local-media-derived',
      '220 S3 GetObject slipway-local-media-uploads',
      '715 S3 PutObject slipway-local-media-derived',
    ]);
    const bus = rows.findIndex((r) => r.label === 'EventBridge PutEvents');
    expect(rows.slice(bus, bus + 3).map((r) => `${r.depth} ${r.label}`)).toEqual([
      '6 EventBridge PutEvents',
      '7 slipway-local-media-notify (AWS::Lambda)',
      '8 slipway-local-media-notify (AWS::Lambda::Function)',
    ]);
    expect([segments, durationMs, rows.length]).toEqual([11, 900, 34]);
  });

  it('runs an element still in progress to the end of the trace and marks it', () => {
    // Prepare
    const docs: SegmentDocument[] = structuredClone(fixture('api-call'));
    const handler = docs[4]!.subsegments![0]!;
    delete handler.end_time;
    handler.in_progress = true;
    // Act
    const row = buildWaterfall(docs, API).rows.find((r) => r.id === handler.id);
    // Assess
    expect(row).toEqual({
      depth: 4,
      label: '## handler.handler',
      kind: 'subsegment',
      offsetMs: 36,
      durationMs: 84,
      status: 'in progress',
      id: 'a000000000000023',
    });
  });

  it('refuses a trace id it has no segment of', () => {
    expect(() => buildWaterfall(fixture('api-call'), MEDIA)).toThrow(
      `No captured trace matches "${MEDIA}" (as a trace id, execution ARN, request id or correlation id). Known traces: ${API}. Pass one of them to --trace.`,
    );
  });
});

describe('waterfallSvg', () => {
  it('draws one bar and one label per row, with the markers', () => {
    // Act
    const svg = waterfallSvg(buildWaterfall(run(), FAILING));
    // Assess
    expect(svg.match(/<rect x=/g)).toHaveLength(8);
    expect(svg).toContain(`>trace ${FAILING}</text>`);
    expect(svg).toContain('>300.0 ms · 3 segments</text>');
    expect(svg).toContain(
      ' font-weight="bold">slipway-local-media-validate (AWS::Lambda::Function) [fault]</text>',
    );
    expect(svg).toContain('>S3 HeadObject slipway-local-media-uploads [error]</text>');
    expect(svg).toContain('>Quarantine</text>');
    expect(svg).toContain('fill="#d32f2f"');
  });
});
