import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';

/**
 * One X-Ray segment document as AWS defines it
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html): a segment,
 * or a subsegment sent on its own (`type: "subsegment"`, `parent_id`, `trace_id`).
 */
export interface XraySegmentDocument extends XrayElement {
  trace_id: string;
}

/** A segment or a subsegment nested in one (nested subsegments carry no `trace_id`). */
export interface XrayElement {
  name: string;
  id: string;
  trace_id?: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  parent_id?: string;
  type?: 'subsegment';
  origin?: string;
  namespace?: string;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  cause?: unknown;
  http?: unknown;
  aws?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  subsegments?: XrayElement[];
  [field: string]: unknown;
}

/** The trace a call belongs to: its root, and the caller's segment or subsegment. */
export interface TraceContext {
  traceId: string;
  /** The caller's (sub)segment id; none when the call starts the trace. */
  parentId?: string;
}

/** Where the sandbox writes the segments AWS services record themselves. */
export interface SegmentWriter {
  write(document: XraySegmentDocument): void;
}

/** The sandbox's X-Ray daemon: where segments arrive and how to read them. */
export interface LocalXray {
  /** `127.0.0.1:<port>`, the functions' `AWS_XRAY_DAEMON_ADDRESS`. */
  address: string;
  /** `<workDir>/traces/segments.jsonl`: one document per line, in arrival order. */
  file: string;
  /** Writes a document the sandbox itself produces (the AWS-side segments). */
  write(document: XraySegmentDocument): void;
  /** Every document received or written so far. */
  segments(): Promise<XraySegmentDocument[]>;
  /** Resolves once every datagram already received has been written. */
  flush(): Promise<void>;
  /** Empties the file (watch mode: one run's traces at a time). */
  reset(): void;
  close(): Promise<void>;
}

/** The header line every X-Ray daemon datagram starts with. */
export const XRAY_DAEMON_HEADER = '{"format":"json","version":1}';

/** A fresh trace id, `1-<8 hex epoch seconds>-<24 hex>`. */
export function newTraceId(now = Date.now()): string {
  return `1-${Math.floor(now / 1000)
    .toString(16)
    .padStart(8, '0')}-${randomBytes(12).toString('hex')}`;
}

/** A fresh segment id (16 hex). */
export function newSegmentId(): string {
  return randomBytes(8).toString('hex');
}

/** The `_X_AMZN_TRACE_ID` / `X-Amzn-Trace-Id` value for a trace and parent segment. */
export function traceHeader(traceId: string, parentId: string): string {
  return `Root=${traceId};Parent=${parentId};Sampled=1`;
}

/** Reads `Root` and `Parent` out of an `X-Amzn-Trace-Id` header; undefined without a root. */
export function parseTraceHeader(
  header: string | undefined,
): { traceId: string; parentId?: string } | undefined {
  if (!header) return undefined;
  const fields = Object.fromEntries(
    header.split(';').map((part) => part.trim().split('=', 2) as [string, string]),
  );
  if (!fields.Root) return undefined;
  return { traceId: fields.Root, ...(fields.Parent ? { parentId: fields.Parent } : {}) };
}

/**
 * Starts a UDP listener on 127.0.0.1 (a free port) that speaks the X-Ray daemon's input
 * protocol: each datagram is the header line, a newline and one segment document; the document
 * is appended to `file` as one JSON line. A datagram without the header or with a body that is
 * not JSON is written to `<file>.rejected` with the reason, never silently dropped.
 */
export async function startLocalXray(options: { file: string }): Promise<LocalXray> {
  const { file } = options;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  const socket: Socket = createSocket('udp4');
  let received = 0;
  let written = 0;
  const waiters: (() => void)[] = [];
  const settle = () => {
    if (written === received) for (const w of waiters.splice(0)) w();
  };
  socket.on('message', (message) => {
    received += 1;
    const text = message.toString('utf8');
    const newline = text.indexOf('\n');
    const header = newline === -1 ? '' : text.slice(0, newline);
    const body = newline === -1 ? text : text.slice(newline + 1);
    try {
      if (JSON.stringify(JSON.parse(header)) !== XRAY_DAEMON_HEADER)
        throw new Error(`header is not ${XRAY_DAEMON_HEADER}`);
      appendFileSync(file, `${JSON.stringify(JSON.parse(body))}\n`);
    } catch (error) {
      appendFileSync(
        `${file}.rejected`,
        `${JSON.stringify({ reason: (error as Error).message, datagram: text })}\n`,
      );
    }
    written += 1;
    settle();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const address = `127.0.0.1:${socket.address().port}`;
  const flush = async () => {
    // Datagrams sent before now may still be in the socket's buffer: give the loop a turn.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 20));
    if (written !== received) await new Promise<void>((r) => waiters.push(r));
  };
  return {
    address,
    file,
    write: (document) => appendFileSync(file, `${JSON.stringify(document)}\n`),
    async segments() {
      await flush();
      const text = await readFile(file, 'utf8');
      return text
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as XraySegmentDocument);
    },
    flush,
    reset: () => writeFileSync(file, ''),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** What a traced call reports of its outcome: nothing when it succeeded. */
export type CallFailure = { flag: 'error' | 'fault'; type: string; message: string } | undefined;

/** The request tracer of one HTTP request a local service answers (API stage, GraphQL API). */
export interface RequestTracer {
  traceId: string;
  /**
   * Runs `run` as a subsegment of the request's segment (`name`, namespace `aws`, `aws`), giving
   * it the trace to pass on; `failure` says how the call failed, if it did.
   */
  call<T>(
    name: string,
    aws: Record<string, unknown>,
    run: (trace: TraceContext) => Promise<T>,
    failure: (result: T) => CallFailure,
  ): Promise<T>;
}

/**
 * Traces one HTTP request the way an AWS service with X-Ray on does: joins the request's
 * `X-Amzn-Trace-Id` (or starts a trace), and once the response has gone out writes the
 * service's segment (`name`, `origin`, the response status: 5xx fault, 4xx error, 429 throttle)
 * holding a subsegment per call made through {@link RequestTracer.call}; a call still running
 * when the response went out (a timeout) ends with it, as a fault.
 */
export function traceRequest(options: {
  writer: SegmentWriter;
  req: IncomingMessage;
  res: ServerResponse;
  name: string;
  origin: string;
  started: number;
  aws: Record<string, unknown>;
}): RequestTracer {
  const { writer, req, res, started } = options;
  const header = req.headers['x-amzn-trace-id'];
  const incoming = parseTraceHeader(Array.isArray(header) ? header[0] : header);
  const traceId = incoming?.traceId ?? newTraceId(started);
  const calls: { element: XrayElement; done: boolean }[] = [];
  res.once('finish', () => {
    const ended = Date.now();
    const status = res.statusCode;
    writer.write({
      name: options.name,
      id: newSegmentId(),
      trace_id: traceId,
      ...(incoming?.parentId ? { parent_id: incoming.parentId } : {}),
      origin: options.origin,
      start_time: started / 1000,
      end_time: ended / 1000,
      http: { request: { method: req.method, url: req.url }, response: { status } },
      aws: options.aws,
      ...(status >= 500 ? { fault: true } : status >= 400 ? { error: true } : {}),
      ...(status === 429 ? { throttle: true } : {}),
      ...(calls.length
        ? {
            subsegments: calls.map(({ element, done }) =>
              done ? element : { ...element, end_time: ended / 1000, fault: true },
            ),
          }
        : {}),
    });
  });
  return {
    traceId,
    async call(name, aws, run, failure) {
      const id = newSegmentId();
      const call = {
        done: false,
        element: { name, id, namespace: 'aws', start_time: Date.now() / 1000, aws } as XrayElement,
      };
      calls.push(call);
      const result = await run({ traceId, parentId: id });
      call.element.end_time = Date.now() / 1000;
      const failed = failure(result);
      if (failed)
        Object.assign(call.element, {
          [failed.flag]: true,
          cause: {
            exceptions: [{ id: newSegmentId(), type: failed.type, message: failed.message }],
          },
        });
      call.done = true;
      return result;
    },
  };
}
