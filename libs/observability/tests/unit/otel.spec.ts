import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import {
  CaptureClientError,
  createObservability,
  instrumentHandler,
  XRAY_ANNOTATIONS_ATTRIBUTE,
} from '../../src/otel';
import lambdaEnv from './fixtures/lambda-env.json';

// The fixture's header: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1.
// In OpenTelemetry the X-Ray trace id is the same 128 bits without the version and dashes.
const TRACE_ID = '5759e988bd862e3fe1be46a994272793';
const LAMBDA_SEGMENT_ID = '53995c3f42cd8ad8';
const ANNOTATIONS = ['ColdStart', 'Service', 'correlation_id'];

const context = (awsRequestId: string) =>
  ({
    functionName: 'slipway-dev-demo',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-demo',
    memoryLimitInMB: '256',
    awsRequestId,
    getRemainingTimeInMillis: () => 1000,
  }) as unknown as Context;

const Input = z.object({ id: z.string() });
const saved = { ...process.env };
/** Trace headers the S3 endpoint received, by bucket. */
const traceHeaders = new Map<string, string | undefined>();
let s3Endpoint: http.Server;
let exporter: InMemorySpanExporter;

/** A promise with its resolver, to interleave two invocations deterministically. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => {};
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** The functions' observability with an in-memory exporter (one span at a time, no batching). */
function otelObs(env: NodeJS.ProcessEnv = process.env) {
  return createObservability(
    { name: 'demo', domain: 'media' },
    { spanProcessors: [new SimpleSpanProcessor({ exporter })], env },
  );
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const named = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);

beforeAll(async () => {
  // A real HTTP endpoint the captured S3 client calls: HeadBucket answers 200, `missing` 404.
  s3Endpoint = http.createServer((req, res) => {
    const bucket = (req.url ?? '').split('/')[1].split('?')[0];
    traceHeaders.set(bucket, req.headers['x-amzn-trace-id'] as string | undefined);
    res.writeHead(bucket === 'bucket-missing' ? 404 : 200, { 'x-amz-request-id': `rid-${bucket}` });
    res.end();
  });
  await new Promise<void>((r) => s3Endpoint.listen(0, '127.0.0.1', r));
  Object.assign(process.env, lambdaEnv);
});

afterAll(async () => {
  process.env = saved;
  await new Promise((r) => s3Endpoint.close(r));
});

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  traceHeaders.clear();
  // Powertools writes JSON logs and EMF to stdout; these tests read the spans.
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation(() => true);
  }
});

afterEach(() => jest.restoreAllMocks());

const s3Client = () =>
  new S3Client({
    endpoint: `http://127.0.0.1:${(s3Endpoint.address() as AddressInfo).port}`,
    forcePathStyle: true,
    region: 'eu-west-1',
    maxAttempts: 1,
  });

describe('instrumentHandler, OpenTelemetry variant (the Lambda environment, an in-memory exporter)', () => {
  it('ends a `## handler.handler` span under the Lambda segment of _X_AMZN_TRACE_ID, annotated like the X-Ray path, then an error', async () => {
    const obs = otelObs();
    const handler = instrumentHandler(obs, { input: Input, source: 'demo' }, async (e) => {
      if (e.id === 'evt-bad') throw new TypeError('disk on fire');
      return e.id;
    });

    await expect(handler({ id: 'evt-1' }, context('req-1'))).resolves.toBe('evt-1');
    await expect(handler({ id: 'evt-bad' }, context('req-2'))).rejects.toThrow('disk on fire');

    const [ok, failed] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(2);
    for (const span of [ok, failed]) {
      expect(span.name).toBe('## handler.handler');
      expect(span.kind).toBe(SpanKind.INTERNAL);
      expect(span.spanContext().traceId).toBe(TRACE_ID);
      expect(parentOf(span)).toBe(LAMBDA_SEGMENT_ID);
      expect(span.resource.attributes).toMatchObject({
        'service.name': 'demo',
        'cloud.platform': 'aws_lambda',
        'faas.name': 'slipway-dev-demo',
      });
    }
    expect(ok.attributes).toEqual({
      ColdStart: true,
      Service: 'demo',
      correlation_id: 'evt-1',
      [XRAY_ANNOTATIONS_ATTRIBUTE]: ANNOTATIONS,
    });
    expect(ok.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(failed.attributes).toEqual({
      ColdStart: false,
      Service: 'demo',
      correlation_id: 'evt-bad',
      [XRAY_ANNOTATIONS_ATTRIBUTE]: ANNOTATIONS,
    });
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'disk on fire' });
    expect(failed.events.map((e) => [e.name, e.attributes?.['exception.type']])).toEqual([
      ['exception', 'TypeError'],
    ]);
  });

  it('takes the correlation id from the picker, else the request id, and the parent from each invocation`s header', async () => {
    const obs = otelObs();
    const handler = instrumentHandler(
      obs,
      { input: Input, source: 'demo', correlationId: () => undefined },
      async (e) => e.id,
    );
    const next = 'Root=1-6759e988-0123456789abcdef01234567;Parent=1111111111111111;Sampled=1';

    await handler({ id: 'evt-1' }, context('req-1'));
    process.env._X_AMZN_TRACE_ID = next; // the runtime sets it for every invocation
    try {
      await handler({ id: 'evt-2' }, context('req-2'));
    } finally {
      process.env._X_AMZN_TRACE_ID = lambdaEnv._X_AMZN_TRACE_ID;
    }

    expect(
      exporter
        .getFinishedSpans()
        .map((s) => [s.attributes.correlation_id, s.spanContext().traceId, parentOf(s)]),
    ).toEqual([
      ['req-1', TRACE_ID, LAMBDA_SEGMENT_ID],
      ['req-2', '6759e9880123456789abcdef01234567', '1111111111111111'],
    ]);
  });

  it('keeps two concurrent invocations apart: each one`s S3 span and nested span stay under its own handler span', async () => {
    const obs = otelObs();
    const s3 = obs.captureClient(s3Client());
    const aStarted = gate();
    const bDone = gate();
    const handler = instrumentHandler(obs, { input: Input, source: 'demo' }, async (e) => {
      if (e.id === 'evt-a') {
        aStarted.open();
        await bDone.opened; // B runs entirely while A is in flight.
      }
      obs.tracer.startActiveSpan(`step-${e.id}`, (step) => step.end());
      await s3.send(new HeadBucketCommand({ Bucket: `bucket-${e.id}` }));
      return e.id;
    });

    const a = handler({ id: 'evt-a' }, context('req-a'));
    await aStarted.opened;
    await handler({ id: 'evt-b' }, context('req-b'));
    bDone.open();
    await a;

    const handlers = named('## handler.handler');
    expect(handlers.map((s) => s.attributes.correlation_id)).toEqual(['evt-b', 'evt-a']);
    const sdkCalls = named('S3');
    expect(sdkCalls).toHaveLength(2);
    for (const own of handlers) {
      const id = own.attributes.correlation_id as string;
      expect(parentOf(own)).toBe(LAMBDA_SEGMENT_ID);
      const [step] = named(`step-${id}`);
      expect(parentOf(step)).toBe(own.spanContext().spanId);
      const call = sdkCalls.find((s) => parentOf(s) === own.spanContext().spanId) as ReadableSpan;
      expect(call.kind).toBe(SpanKind.CLIENT);
      expect(call.attributes).toEqual({
        'rpc.system': 'aws-api',
        'rpc.service': 'S3',
        'rpc.method': 'HeadBucket',
        'http.response.status_code': 200,
        'aws.request_id': `rid-bucket-${id}`,
      });
      // The call carries its own span as the parent, so the next hop continues this trace.
      expect(traceHeaders.get(`bucket-${id}`)).toBe(
        `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${call.spanContext().spanId};Sampled=1`,
      );
    }
  });

  it('marks a failed SDK call ERROR with its HTTP status, and re-throws it', async () => {
    const obs = otelObs();
    const s3 = obs.captureClient(s3Client());
    const handler = instrumentHandler(obs, { input: Input, source: 'demo' }, async () =>
      s3.send(new HeadBucketCommand({ Bucket: 'bucket-missing' })),
    );

    await expect(handler({ id: 'evt-1' }, context('req-1'))).rejects.toMatchObject({
      name: 'NotFound',
    });

    const [call] = named('S3');
    expect(call.attributes).toMatchObject({
      'rpc.method': 'HeadBucket',
      'http.response.status_code': 404,
    });
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(parentOf(call)).toBe(named('## handler.handler')[0].spanContext().spanId);
  });

  it.each([
    ['outside Lambda (no AWS_EXECUTION_ENV)', { AWS_EXECUTION_ENV: undefined }],
    ['with POWERTOOLS_TRACE_ENABLED=false', { POWERTOOLS_TRACE_ENABLED: 'false' }],
    ['with OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'true' }],
  ])('records nothing %s, and the handler and captured client still work', async (_, change) => {
    const obs = otelObs({ ...process.env, ...change });
    const client = s3Client();
    const handler = instrumentHandler(obs, { input: Input, source: 'demo' }, async (e) => e.id);

    expect(obs.tracing.enabled).toBe(false);
    expect(obs.captureClient(client)).toBe(client);
    await expect(handler({ id: 'evt-1' }, context('req-1'))).resolves.toBe('evt-1');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('records nothing when Lambda did not sample the invocation (Sampled=0)', async () => {
    const obs = otelObs({
      ...process.env,
      _X_AMZN_TRACE_ID:
        'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0',
    });
    const handler = instrumentHandler(obs, { input: Input, source: 'demo' }, async (e) => e.id);

    await expect(handler({ id: 'evt-1' }, context('req-1'))).resolves.toBe('evt-1');
    expect(obs.tracing.enabled).toBe(true);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('refuses to capture something that is not an SDK v3 client, saying what to pass', () => {
    const obs = otelObs();
    expect(() => obs.captureClient({ Bucket: 'b' })).toThrow(
      new CaptureClientError({ Bucket: 'b' }),
    );
    expect(() => obs.captureClient({ Bucket: 'b' })).toThrow(
      'captureClient expects an AWS SDK v3 client (an object with a middlewareStack, e.g. new S3Client({})), got an object with keys ["Bucket"]: pass the client itself, not a command or a DocumentClient\'s options.',
    );
  });

  it('logs a failed export once and still answers the invocation', async () => {
    const obs = otelObs();
    jest.spyOn(obs.tracing, 'flush').mockRejectedValue(new Error('connect ECONNREFUSED'));
    const warn = jest.spyOn(obs.logger, 'warn');
    const handler = instrumentHandler(obs, { input: Input, source: 'demo' }, async (e) => e.id);

    await expect(handler({ id: 'evt-1' }, context('req-1'))).resolves.toBe('evt-1');
    expect(warn.mock.calls).toEqual([['Trace export failed', new Error('connect ECONNREFUSED')]]);
  });
});
