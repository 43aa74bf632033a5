import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  XRAY_DAEMON_HEADER,
  newSegmentId,
  newTraceId,
  parseTraceHeader,
  startLocalXray,
  traceHeader,
  type LocalXray,
} from '../../src/xray-daemon';

/** The sandbox's X-Ray daemon on a real UDP socket: what a Lambda's X-Ray SDK sends lands in the file. */
describe('startLocalXray', () => {
  let dir: string;
  let xray: LocalXray;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xray-daemon-'));
    xray = await startLocalXray({ file: join(dir, 'traces/segments.jsonl') });
  });
  afterEach(async () => {
    await xray.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = async (text: string) => {
    const [host, port] = xray.address.split(':');
    const client = createSocket('udp4');
    await new Promise<void>((resolve, reject) =>
      client.send(Buffer.from(text), Number(port), host, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    client.close();
  };

  const subsegment = {
    type: 'subsegment',
    name: 'S3',
    namespace: 'aws',
    id: '53995c3f42cd8ad8',
    parent_id: '6e31c1f2b5a0d9a1',
    trace_id: '1-692e9a00-0123456789abcdef01234567',
    start_time: 1764662784.1,
    end_time: 1764662784.2,
    aws: { operation: 'PutObject' },
  };
  const execution = {
    name: 'slipway-local-media',
    id: '6e31c1f2b5a0d9a1',
    trace_id: subsegment.trace_id,
    start_time: 1764662784,
    end_time: 1764662785,
    origin: 'AWS::StepFunctions::StateMachine',
  };

  it('appends each datagram’s document as one JSON line, and the sandbox’s own segments beside them', async () => {
    await send(`${XRAY_DAEMON_HEADER}\n${JSON.stringify(subsegment)}`);
    await xray.flush();
    xray.write(execution);
    expect(await xray.segments()).toEqual([subsegment, execution]);
  });

  it('keeps a datagram without the header or with a body that is not JSON in <file>.rejected, with the reason', async () => {
    await send(JSON.stringify(subsegment));
    await send(`${XRAY_DAEMON_HEADER}\n{"name":`);
    expect(await xray.segments()).toEqual([]);
    const rejected = readFileSync(`${xray.file}.rejected`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { reason: string; datagram: string });
    expect(rejected.map((r) => r.datagram)).toEqual([
      JSON.stringify(subsegment),
      `${XRAY_DAEMON_HEADER}\n{"name":`,
    ]);
    expect(rejected[1].reason).toMatch(/JSON/);
  });

  it('reset empties the file', async () => {
    await send(`${XRAY_DAEMON_HEADER}\n${JSON.stringify(subsegment)}`);
    expect(await xray.segments()).toHaveLength(1);
    xray.reset();
    expect(await xray.segments()).toEqual([]);
  });
});

describe('trace ids and headers', () => {
  it('makes ids in X-Ray’s format and reads its own header back', () => {
    const traceId = newTraceId(Date.UTC(2026, 11, 2, 9, 0, 0));
    expect(traceId).toMatch(/^1-6b0fde10-[0-9a-f]{24}$/);
    const parent = newSegmentId();
    expect(parent).toMatch(/^[0-9a-f]{16}$/);
    expect(traceHeader(traceId, parent)).toBe(`Root=${traceId};Parent=${parent};Sampled=1`);
    expect(parseTraceHeader(traceHeader(traceId, parent))).toEqual({ traceId, parentId: parent });
  });

  it('reads a root-only header and refuses one without a root', () => {
    expect(parseTraceHeader('Root=1-692eaaf0-0123456789abcdef01234567;Sampled=1')).toEqual({
      traceId: '1-692eaaf0-0123456789abcdef01234567',
    });
    expect(parseTraceHeader('Parent=53995c3f42cd8ad8;Sampled=1')).toBeUndefined();
    expect(parseTraceHeader(undefined)).toBeUndefined();
  });
});
