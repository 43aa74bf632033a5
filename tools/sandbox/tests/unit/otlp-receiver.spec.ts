import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { startOtlpReceiver, type LocalOtlpReceiver } from '../../src/otlp-receiver';
import type { XraySegmentDocument } from '../../src/xray-daemon';

const run = promisify(execFile);
const REPO = join(__dirname, '../../../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const FIXTURES = join(__dirname, '../fixtures/otlp');
const TRACE_HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

const written: XraySegmentDocument[] = [];
let receiver: LocalOtlpReceiver;

/** POSTs (or sends `method`) to the receiver; resolves with the status and body. */
async function send(
  body: Buffer | string,
  headers: Record<string, string>,
  options: { path?: string; method?: string } = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(receiver.endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: options.path ?? url.pathname,
        method: options.method ?? 'POST',
        headers,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  receiver = await startOtlpReceiver({ writer: { write: (d) => written.push(d) } });
});

afterAll(() => receiver.close());

beforeEach(() => {
  written.length = 0;
});

describe('startOtlpReceiver', () => {
  it('turns what libs/observability`s OpenTelemetry backend exports (protobuf, real exporter, own process) into X-Ray subsegments', async () => {
    // A real S3 endpoint: `uploads` answers 200, `missing` 404.
    const s3 = http.createServer((req, res) => {
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, {
        'x-amz-request-id': req.url?.startsWith('/missing') ? 'rid-missing' : 'rid-uploads',
      });
      res.end();
    });
    await new Promise<void>((r) => s3.listen(0, '127.0.0.1', r));
    try {
      const lambdaEnv = JSON.parse(
        readFileSync(join(REPO, 'libs/observability/tests/unit/fixtures/lambda-env.json'), 'utf8'),
      ) as Record<string, string>;
      const child = await run(
        TSX,
        [
          join(FIXTURES, 'otel-function.ts'),
          REPO,
          `http://127.0.0.1:${(s3.address() as AddressInfo).port}`,
        ],
        {
          cwd: REPO,
          env: {
            PATH: process.env.PATH,
            ...lambdaEnv,
            _X_AMZN_TRACE_ID: TRACE_HEADER,
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
            POWERTOOLS_LOG_LEVEL: 'CRITICAL',
          },
        },
      );
      expect(child.stdout.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@done']);
    } finally {
      await new Promise((r) => s3.close(r));
    }

    // One export per invocation, each ending with its handler span.
    expect(written.map((d) => d.name)).toEqual([
      'S3',
      '## handler.handler',
      'S3',
      '## handler.handler',
    ]);
    const [okCall, okHandler, failedCall, failedHandler] = written;
    for (const handler of [okHandler, failedHandler]) {
      expect(handler).toMatchObject({
        type: 'subsegment',
        trace_id: '1-5759e988-bd862e3fe1be46a994272793',
        parent_id: '53995c3f42cd8ad8',
      });
      expect(handler.end_time).toBeGreaterThanOrEqual(handler.start_time);
    }
    expect(okHandler.annotations).toEqual({
      ColdStart: true,
      Service: 'demo',
      correlation_id: 'uploads',
    });
    expect(failedHandler).toMatchObject({
      annotations: { ColdStart: false, Service: 'demo', correlation_id: 'missing' },
      fault: true,
      cause: { exceptions: [{ type: 'NotFound' }] },
    });
    expect(okCall).toEqual({
      name: 'S3',
      id: okCall.id,
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      type: 'subsegment',
      parent_id: okHandler.id,
      start_time: okCall.start_time,
      end_time: okCall.end_time,
      namespace: 'aws',
      aws: { operation: 'HeadBucket', request_id: 'rid-uploads' },
      http: { response: { status: 200 } },
    });
    expect(failedCall).toMatchObject({
      name: 'S3',
      parent_id: failedHandler.id,
      namespace: 'aws',
      aws: { operation: 'HeadBucket' },
      http: { response: { status: 404 } },
      error: true,
    });
    expect(failedCall.fault).toBeUndefined();
    expect(receiver.rejected()).toEqual([]);
  }, 60_000);

  it.each([
    ['plain', (b: string) => Buffer.from(b), {}],
    ['gzip-encoded', (b: string) => gzipSync(b), { 'content-encoding': 'gzip' }],
  ])('reads OTLP/JSON (%s) into the exact documents', async (_, encode, extra) => {
    const body = readFileSync(join(FIXTURES, 'traces.json'), 'utf8');

    const answer = await send(encode(body), { 'content-type': 'application/json', ...extra });

    expect(answer).toEqual({ status: 200, body: '{}' });
    expect(written).toEqual([
      {
        name: '## handler.handler',
        id: '1a2b3c4d5e6f7081',
        trace_id: '1-5759e988-bd862e3fe1be46a994272793',
        type: 'subsegment',
        parent_id: '53995c3f42cd8ad8',
        start_time: 1764720000,
        end_time: 1764720000.25,
        fault: true,
        cause: { exceptions: [{ message: 'disk on fire', type: 'TypeError' }] },
        annotations: { ColdStart: true, Service: 'media-validate', correlation_id: 'evt-1' },
        metadata: { default: { attempt: 2 } },
      },
      {
        name: 'S3',
        id: '2b3c4d5e6f708192',
        trace_id: '1-5759e988-bd862e3fe1be46a994272793',
        type: 'subsegment',
        parent_id: '1a2b3c4d5e6f7081',
        start_time: 1764720000.1,
        end_time: 1764720000.15,
        namespace: 'aws',
        aws: { operation: 'GetObject', request_id: 'rid-1' },
        http: { response: { status: 503 } },
        fault: true,
      },
    ]);
  });

  const valid = readFileSync(join(FIXTURES, 'traces.json'), 'utf8');
  it.each([
    {
      case: 'another path',
      send: () => send(valid, { 'content-type': 'application/json' }, { path: '/v1/metrics' }),
      status: 404,
      reason: 'no OTLP signal at /v1/metrics: traces go to /v1/traces',
    },
    {
      case: 'a GET',
      send: () => send('', {}, { method: 'GET' }),
      status: 405,
      reason: 'GET /v1/traces: OTLP/HTTP exports are POSTs',
    },
    {
      case: 'a content type that is not OTLP',
      send: () => send(valid, { 'content-type': 'text/plain' }),
      status: 415,
      reason:
        "content-type 'text/plain' is not OTLP: send application/x-protobuf or application/json",
    },
    {
      case: 'truncated protobuf',
      send: () =>
        send(Buffer.from([0x0a, 0x05, 0x0a]), { 'content-type': 'application/x-protobuf' }),
      status: 400,
      reason:
        'the ExportTraceServiceRequest could not be read: ExportTraceServiceRequest: a field runs past the end of the message',
    },
    {
      case: 'JSON without resourceSpans',
      send: () => send('{"spans":[]}', { 'content-type': 'application/json' }),
      status: 400,
      reason:
        'the ExportTraceServiceRequest could not be read: an ExportTraceServiceRequest needs a resourceSpans array',
    },
    {
      case: 'a span with a malformed trace id',
      send: () =>
        send(valid.replace('"5759e988bd862e3fe1be46a994272793"', '"5759E988"'), {
          'content-type': 'application/json',
        }),
      status: 400,
      reason:
        "the ExportTraceServiceRequest could not be read: span '## handler.handler' has trace id '5759E988' and span id '1a2b3c4d5e6f7081': expected 32 and 16 lowercase hex digits",
    },
  ])('refuses $case with $status and the reason, writing nothing', async (c) => {
    const before = receiver.rejected().length;

    const answer = await c.send();

    expect(answer.status).toBe(c.status);
    expect(JSON.parse(answer.body)).toEqual({ code: c.status, message: c.reason });
    expect(
      receiver
        .rejected()
        .slice(before)
        .map((r) => r.reason),
    ).toEqual([c.reason]);
    expect(written).toEqual([]);
  });
});
