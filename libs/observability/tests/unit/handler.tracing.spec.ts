import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import lambdaEnv from './fixtures/lambda-env.json';

type Index = typeof import('../../src');

/** One X-Ray document as the SDK sends it to the daemon (header line, then the JSON). */
interface Doc {
  name: string;
  namespace?: string;
  aws?: Record<string, unknown>;
  http?: Record<string, unknown>;
  id: string;
  parent_id?: string;
  trace_id: string;
  type?: string;
  annotations?: Record<string, unknown>;
  fault?: boolean;
  cause?: { exceptions: { message: string; type: string }[] };
  subsegments?: Doc[];
}

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
const docs: Doc[] = [];
let daemon: dgram.Socket;
let s3Endpoint: http.Server;
let lib: Index;
let S3: typeof import('@aws-sdk/client-s3');

/** Resolves once `count` documents arrived (UDP is asynchronous); Jest's timeout bounds it. */
async function received(count: number): Promise<Doc[]> {
  while (docs.length < count) await new Promise((r) => setTimeout(r, 5));
  return docs.splice(0, docs.length);
}

/** A promise with its resolver, to interleave two invocations deterministically. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => {};
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

beforeAll(async () => {
  // A real daemon socket on loopback: the SDK reads its address when it is first loaded.
  daemon = dgram.createSocket('udp4');
  daemon.on('message', (msg) => docs.push(JSON.parse(msg.toString().split('\n')[1]) as Doc));
  await new Promise<void>((r) => daemon.bind(0, '127.0.0.1', r));
  // A real HTTP endpoint the captured S3 client calls (HeadBucket answers 200, empty body).
  s3Endpoint = http.createServer((_req, res) => res.writeHead(200).end());
  await new Promise<void>((r) => s3Endpoint.listen(0, '127.0.0.1', r));
  Object.assign(process.env, lambdaEnv, {
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
  });
  lib = await import('../../src');
  S3 = await import('@aws-sdk/client-s3');
});

afterAll(async () => {
  process.env = saved;
  daemon.close();
  await new Promise((r) => s3Endpoint.close(r));
});

beforeEach(() => {
  // Powertools writes JSON logs and EMF to stdout; these tests read the X-Ray documents.
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation(() => true);
  }
});

describe('instrumentHandler with tracing on (the Lambda environment, a UDP daemon on loopback)', () => {
  it('sends a `## handler.handler` subsegment under the facade segment, annotated, then an error', async () => {
    const obs = lib.createObservability({ name: 'demo', domain: 'media' });
    const handler = lib.instrumentHandler(obs, { input: Input, source: 'demo' }, async (e) => {
      if (e.id === 'evt-bad') throw new TypeError('disk on fire');
      return e.id;
    });

    await handler({ id: 'evt-1' }, context('req-1'));
    await expect(handler({ id: 'evt-bad' }, context('req-2'))).rejects.toThrow('disk on fire');

    const [ok, failed] = await received(2);
    expect(ok).toMatchObject({
      type: 'subsegment',
      name: '## handler.handler',
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      parent_id: '53995c3f42cd8ad8',
      annotations: { ColdStart: true, Service: 'demo', correlation_id: 'evt-1' },
    });
    expect(ok.fault).toBeUndefined();
    expect(failed).toMatchObject({
      name: '## handler.handler',
      parent_id: '53995c3f42cd8ad8',
      annotations: { ColdStart: false, Service: 'demo', correlation_id: 'evt-bad' },
      fault: true,
      cause: { exceptions: [{ message: 'disk on fire', type: 'TypeError' }] },
    });
    // After each invocation the facade segment is the active one again.
    expect(obs.tracer.getSegment()).toMatchObject({ name: 'facade', id: '53995c3f42cd8ad8' });
  });

  it('keeps two concurrent invocations apart: each one`s S3 call and nested subsegment stay under its own handler', async () => {
    const obs = lib.createObservability({ name: 'demo', domain: 'media' });
    const s3 = obs.captureClient(
      new S3.S3Client({
        endpoint: `http://127.0.0.1:${(s3Endpoint.address() as AddressInfo).port}`,
        forcePathStyle: true,
        region: 'eu-west-1',
      }),
    );
    const aStarted = gate();
    const bDone = gate();
    const handler = lib.instrumentHandler(obs, { input: Input, source: 'demo' }, async (e) => {
      if (e.id === 'evt-a') {
        aStarted.open();
        await bDone.opened; // B runs entirely while A is in flight.
      }
      const step = obs.tracer.getSegment()!.addNewSubsegment(`step-${e.id}`);
      step.close();
      await s3.send(new S3.HeadBucketCommand({ Bucket: `bucket-${e.id}` }));
      return e.id;
    });

    const a = handler({ id: 'evt-a' }, context('req-a'));
    await aStarted.opened;
    await handler({ id: 'evt-b' }, context('req-b'));
    bDone.open();
    await a;

    // Lambda's SDK streams every closed subsegment on its own, naming its parent by id.
    const sent = await received(6);
    const handlers = sent.filter((d) => d.name === '## handler.handler');
    expect(handlers.map((d) => d.annotations?.correlation_id)).toEqual(['evt-b', 'evt-a']);
    for (const own of handlers) {
      const id = own.annotations?.correlation_id as string;
      expect(own).toMatchObject({ type: 'subsegment', parent_id: '53995c3f42cd8ad8' });
      const children = sent.filter((d) => d.parent_id === own.id);
      expect(children.map((d) => d.name)).toEqual([`step-${id}`, 'S3']);
      expect(children[1]).toMatchObject({
        namespace: 'aws',
        aws: { operation: 'HeadBucket' },
        http: { response: { status: 200 } },
      });
    }
    expect(obs.tracer.getSegment()).toMatchObject({ name: 'facade', id: '53995c3f42cd8ad8' });
  });
});
