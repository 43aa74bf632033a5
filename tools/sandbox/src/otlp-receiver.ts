import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { SegmentWriter, XrayElement, XraySegmentDocument } from './xray-daemon';

/**
 * The sandbox's OTLP/HTTP traces receiver (issue 15, the OpenTelemetry backend of
 * `libs/observability`): `POST /v1/traces` on 127.0.0.1 with an `ExportTraceServiceRequest`, as
 * protobuf (`application/x-protobuf`, what `@opentelemetry/exporter-trace-otlp-proto` sends) or
 * OTLP/JSON (`application/json`), optionally gzip-encoded
 * (https://opentelemetry.io/docs/specs/otlp/#otlphttp). Each span becomes the X-Ray segment
 * document X-Ray itself would store, written through the same `SegmentWriter` as the UDP
 * daemon's documents, so the service map and the waterfall (`tools/traces`) read both alike.
 *
 * Not wired into `startSandbox` yet: a function bundled with the otel backend needs
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` set to {@link LocalOtlpReceiver.endpoint}.
 */
export interface LocalOtlpReceiver {
  /** `http://127.0.0.1:<port>/v1/traces`: the functions' `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. */
  endpoint: string;
  /** Requests refused so far, with the reason the client was given. */
  rejected(): { reason: string; contentType?: string }[];
  close(): Promise<void>;
}

/** The OTLP path of the traces signal. */
export const OTLP_TRACES_PATH = '/v1/traces';

/** Why a request body could not be read as an `ExportTraceServiceRequest`. */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}

/** A span as the receiver needs it, from either encoding. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, AttributeValue>;
  events: { name: string; attributes: Record<string, AttributeValue> }[];
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  /** The resource's attributes (`service.name`…). */
  resource: Record<string, AttributeValue>;
}

/** An OTLP `AnyValue`, flattened to JSON-friendly values. */
export type AttributeValue = string | number | boolean | AttributeValue[] | null;

// ---------------------------------------------------------------------------------------------
// Protobuf: a minimal wire-format reader for the messages of opentelemetry/proto/trace/v1.

type Field = { no: number; wire: number; varint?: bigint; bytes?: Buffer };

function readFields(buf: Buffer, what: string): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= buf.length) throw new OtlpDecodeError(`${what}: truncated varint`);
      const byte = buf[pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      if (shift > 63n) throw new OtlpDecodeError(`${what}: varint longer than 64 bits`);
    }
  };
  const take = (n: number): Buffer => {
    if (pos + n > buf.length)
      throw new OtlpDecodeError(`${what}: a field runs past the end of the message`);
    const slice = buf.subarray(pos, pos + n);
    pos += n;
    return slice;
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) fields.push({ no, wire, varint: varint() });
    else if (wire === 1) fields.push({ no, wire, bytes: take(8) });
    else if (wire === 2) fields.push({ no, wire, bytes: take(Number(varint())) });
    else if (wire === 5) fields.push({ no, wire, bytes: take(4) });
    else throw new OtlpDecodeError(`${what}: unsupported wire type ${wire} (field ${no})`);
  }
  return fields;
}

const all = (fields: Field[], no: number) => fields.filter((f) => f.no === no);
const one = (fields: Field[], no: number) => fields.filter((f) => f.no === no).at(-1);
const text = (f: Field | undefined) => f?.bytes?.toString('utf8') ?? '';
const hex = (f: Field | undefined) => f?.bytes?.toString('hex') ?? '';

function protoAnyValue(buf: Buffer): AttributeValue {
  const f = readFields(buf, 'AnyValue')[0];
  if (!f) return null;
  switch (f.no) {
    case 1:
      return text(f);
    case 2:
      return f.varint !== 0n;
    case 3:
      return Number(BigInt.asIntN(64, f.varint ?? 0n));
    case 4:
      return (f.bytes as Buffer).readDoubleLE(0);
    case 5:
      return all(readFields(f.bytes as Buffer, 'ArrayValue'), 1).map((v) =>
        protoAnyValue(v.bytes as Buffer),
      );
    default:
      return hex(f); // kvlist and bytes values: kept visible, not interpreted
  }
}

function protoAttributes(fields: Field[], no: number): Record<string, AttributeValue> {
  return Object.fromEntries(
    all(fields, no).map((kv) => {
      const pair = readFields(kv.bytes as Buffer, 'KeyValue');
      const value = one(pair, 2)?.bytes;
      return [text(one(pair, 1)), value ? protoAnyValue(value) : null];
    }),
  );
}

/** Decodes a protobuf `ExportTraceServiceRequest` into its spans. */
export function decodeProtobufTraces(body: Buffer): OtlpSpan[] {
  return all(readFields(body, 'ExportTraceServiceRequest'), 1).flatMap((rs) => {
    const resourceSpans = readFields(rs.bytes as Buffer, 'ResourceSpans');
    const resourceBytes = one(resourceSpans, 1)?.bytes;
    const resource = resourceBytes ? protoAttributes(readFields(resourceBytes, 'Resource'), 1) : {};
    return all(resourceSpans, 2).flatMap((ss) =>
      all(readFields(ss.bytes as Buffer, 'ScopeSpans'), 2).map((s) => {
        const span = readFields(s.bytes as Buffer, 'Span');
        const status = one(span, 15)?.bytes;
        const statusFields = status ? readFields(status, 'Status') : [];
        const parent = hex(one(span, 4));
        return {
          traceId: hex(one(span, 1)),
          spanId: hex(one(span, 2)),
          ...(parent ? { parentSpanId: parent } : {}),
          name: text(one(span, 5)),
          kind: Number(one(span, 6)?.varint ?? 0n),
          startTimeUnixNano: one(span, 7)?.bytes?.readBigUInt64LE(0) ?? 0n,
          endTimeUnixNano: one(span, 8)?.bytes?.readBigUInt64LE(0) ?? 0n,
          attributes: protoAttributes(span, 9),
          events: all(span, 11).map((e) => {
            const event = readFields(e.bytes as Buffer, 'Event');
            return { name: text(one(event, 2)), attributes: protoAttributes(event, 3) };
          }),
          status: {
            code: Number(one(statusFields, 3)?.varint ?? 0n),
            ...(one(statusFields, 2) ? { message: text(one(statusFields, 2)) } : {}),
          },
          resource,
        };
      }),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): ids are hex.

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
}
type JsonKeyValue = { key: string; value?: JsonAnyValue };

function jsonAnyValue(v: JsonAnyValue | undefined): AttributeValue {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(jsonAnyValue);
  return null;
}

const jsonAttributes = (kvs: JsonKeyValue[] | undefined) =>
  Object.fromEntries((kvs ?? []).map((kv) => [kv.key, jsonAnyValue(kv.value)]));

/** Decodes an OTLP/JSON `ExportTraceServiceRequest` into its spans. */
export function decodeJsonTraces(body: Buffer): OtlpSpan[] {
  let request: {
    resourceSpans?: {
      resource?: { attributes?: JsonKeyValue[] };
      scopeSpans?: { spans?: Record<string, unknown>[] }[];
    }[];
  };
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new OtlpDecodeError(`the body is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(request?.resourceSpans))
    throw new OtlpDecodeError('an ExportTraceServiceRequest needs a resourceSpans array');
  return request.resourceSpans.flatMap((rs) => {
    const resource = jsonAttributes(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => {
        const status = (s.status ?? {}) as { code?: number; message?: string };
        return {
          traceId: String(s.traceId ?? ''),
          spanId: String(s.spanId ?? ''),
          ...(s.parentSpanId ? { parentSpanId: String(s.parentSpanId) } : {}),
          name: String(s.name ?? ''),
          kind: Number(s.kind ?? 0),
          startTimeUnixNano: BigInt(String(s.startTimeUnixNano ?? 0)),
          endTimeUnixNano: BigInt(String(s.endTimeUnixNano ?? 0)),
          attributes: jsonAttributes(s.attributes as JsonKeyValue[] | undefined),
          events: ((s.events ?? []) as { name?: string; attributes?: JsonKeyValue[] }[]).map(
            (e) => ({ name: e.name ?? '', attributes: jsonAttributes(e.attributes) }),
          ),
          status: {
            code: Number(status.code ?? 0),
            ...(status.message ? { message: status.message } : {}),
          },
          resource,
        };
      }),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Span → X-Ray segment document, the way X-Ray shows an OpenTelemetry span.

const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;
/** Attributes that become fields of the document rather than metadata. */
const MAPPED = new Set([
  'aws.xray.annotations',
  'rpc.system',
  'rpc.service',
  'rpc.method',
  'aws.request_id',
  'http.response.status_code',
]);

/**
 * One span as an X-Ray document: the 32-hex trace id as `1-<8>-<24>`, a span with a parent as a
 * subsegment of it, the attributes named in `aws.xray.annotations` as annotations and the rest as
 * metadata, an AWS SDK CLIENT span (`rpc.system=aws-api`) as an `aws` subsegment named by its
 * service with its operation and request id, the HTTP status as error (4xx), throttle (429) or
 * fault (5xx), and status ERROR as a fault with the exceptions of its events as the cause.
 */
export function spanToSegment(span: OtlpSpan): XraySegmentDocument {
  if (!/^[0-9a-f]{32}$/.test(span.traceId) || !/^[0-9a-f]{16}$/.test(span.spanId))
    throw new OtlpDecodeError(
      `span '${span.name}' has trace id '${span.traceId}' and span id '${span.spanId}': expected 32 and 16 lowercase hex digits`,
    );
  const attrs = span.attributes;
  const listed = Array.isArray(attrs['aws.xray.annotations'])
    ? (attrs['aws.xray.annotations'] as unknown[]).map(String)
    : [];
  const annotations = Object.fromEntries(
    listed.filter((k) => k in attrs).map((k) => [k, attrs[k]]),
  );
  const rest = Object.fromEntries(
    Object.entries(attrs).filter(([k]) => !MAPPED.has(k) && !listed.includes(k)),
  );
  const isAws = span.kind === SPAN_KIND_CLIENT && attrs['rpc.system'] === 'aws-api';
  const status =
    typeof attrs['http.response.status_code'] === 'number'
      ? attrs['http.response.status_code']
      : undefined;
  const exceptions = span.events
    .filter((e) => e.name === 'exception')
    .map((e) => ({
      message: String(e.attributes['exception.message'] ?? ''),
      type: String(e.attributes['exception.type'] ?? ''),
    }));
  const failed = span.status.code === STATUS_ERROR;
  const element: XrayElement = {
    name: span.parentSpanId
      ? isAws
        ? String(attrs['rpc.service'])
        : span.name
      : String(span.resource['service.name'] ?? span.name),
    id: span.spanId,
    start_time: seconds(span.startTimeUnixNano),
    end_time: seconds(span.endTimeUnixNano),
    ...(span.parentSpanId ? { type: 'subsegment' as const, parent_id: span.parentSpanId } : {}),
    ...(isAws
      ? {
          namespace: 'aws',
          aws: {
            operation: attrs['rpc.method'],
            ...(attrs['aws.request_id'] ? { request_id: attrs['aws.request_id'] } : {}),
          },
        }
      : {}),
    ...(status !== undefined ? { http: { response: { status } } } : {}),
    ...(status === 429 ? { throttle: true, error: true } : {}),
    ...(status !== undefined && status >= 400 && status < 500 && status !== 429
      ? { error: true }
      : {}),
    ...((status !== undefined && status >= 500) || (failed && !(status && status < 500))
      ? { fault: true }
      : {}),
    ...(exceptions.length ? { cause: { exceptions } } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
    ...(Object.keys(rest).length ? { metadata: { default: rest } } : {}),
  };
  return {
    ...element,
    trace_id: `1-${span.traceId.slice(0, 8)}-${span.traceId.slice(8)}`,
  } as XraySegmentDocument;
}

/** Epoch seconds with microseconds, as X-Ray documents carry them (exact for whole µs). */
const seconds = (unixNano: bigint) => Number(unixNano / 1000n) / 1e6;

// ---------------------------------------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

/**
 * Starts the receiver on 127.0.0.1 (`port` 0: a free one). Every accepted span is written through
 * `writer` (the sandbox's `LocalXray`); a request it cannot read is answered 400/404/405/415 with
 * the reason, and kept in {@link LocalOtlpReceiver.rejected}, never silently dropped.
 *
 * @example
 * const xray = await startLocalXray({ file });
 * const otlp = await startOtlpReceiver({ writer: xray });
 * env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = otlp.endpoint;
 */
export async function startOtlpReceiver(options: {
  writer: SegmentWriter;
  port?: number;
}): Promise<LocalOtlpReceiver> {
  const rejected: { reason: string; contentType?: string }[] = [];
  const refuse = (res: ServerResponse, code: number, reason: string, contentType?: string) => {
    rejected.push({ reason, ...(contentType ? { contentType } : {}) });
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message: reason }));
  };
  const server = createServer((req, res) => {
    const contentType = req.headers['content-type']?.split(';')[0].trim();
    if (req.url?.split('?')[0] !== OTLP_TRACES_PATH)
      return refuse(res, 404, `no OTLP signal at ${req.url}: traces go to ${OTLP_TRACES_PATH}`);
    if (req.method !== 'POST')
      return refuse(res, 405, `${req.method} ${OTLP_TRACES_PATH}: OTLP/HTTP exports are POSTs`);
    const decode =
      contentType === 'application/x-protobuf'
        ? decodeProtobufTraces
        : contentType === 'application/json'
          ? decodeJsonTraces
          : undefined;
    if (!decode)
      return refuse(
        res,
        415,
        `content-type '${contentType ?? ''}' is not OTLP: send application/x-protobuf or application/json`,
        contentType,
      );
    readBody(req)
      .then((body) => {
        const documents = decode(body).map(spanToSegment);
        for (const document of documents) options.writer.write(document);
        // An empty ExportTraceServiceResponse: zero bytes in protobuf, {} in JSON.
        res.writeHead(200, { 'content-type': contentType });
        res.end(contentType === 'application/json' ? '{}' : '');
      })
      .catch((error: Error) =>
        refuse(
          res,
          400,
          `the ExportTraceServiceRequest could not be read: ${error.message}`,
          contentType,
        ),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}${OTLP_TRACES_PATH}`,
    rejected: () => [...rejected],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
