import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EventPattern, matchesEventPattern } from '@slipway/events';
import { parseTraceHeader, type TraceContext } from './xray-daemon';

/** An event put on the local bus, as EventBridge would deliver it to a rule's target. */
export interface BusEvent {
  id: string;
  busName: string;
  source: string;
  detailType: string;
  detail: unknown;
  time: string;
  /**
   * The X-Ray trace of the `PutEvents` call that put it (the entry's `TraceHeader`, else the
   * request's `X-Amzn-Trace-Id`): EventBridge passes it on to the rule's targets.
   */
  trace?: TraceContext;
}

/** An event as EventBridge hands it to a rule's target (the envelope patterns match against). */
export interface EventBridgeEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/**
 * A rule on one of the local buses: every event put on `busName` that matches `pattern`
 * (EventBridge's semantics, `matchesEventPattern`) is handed to `deliver`, tried `attempts` times
 * in all (a Lambda target: Lambda's asynchronous invocation tries 3 times), then dead-lettered
 * with the last error and the original event intact.
 */
export interface BusRule {
  name: string;
  busName: string;
  pattern: EventPattern;
  /** What the rule delivers to, for the summary, e.g. `lambda:slipway-local-sessions-welcome`. */
  target: string;
  /** Throws when the target failed. `trace` is the event's, for the target's invocation. */
  deliver(event: EventBridgeEnvelope, trace?: TraceContext): Promise<void>;
  /** Tries in all before the dead-letter queue (default 3). */
  attempts?: number;
}

/** What happened to one event at one rule: the sandbox summary's row. */
export interface RoutedEvent {
  eventId: string;
  source: string;
  detailType: string;
  rule: string;
  target: string;
  outcome: 'delivered' | 'dead-lettered';
  attempts: number;
  /** The last failure's message, for a dead-lettered event. */
  error?: string;
}

/** An event no target took, as a rule's dead-letter queue would hold it. */
export interface DeadLetter {
  rule: string;
  event: EventBridgeEnvelope;
  reason: string;
}

/**
 * Stands in for EventBridge buses in the sandbox: `events:putEvents` Tasks and the Lambdas'
 * SDK `PutEvents` calls (through {@link startEventBusEndpoint}) land here, in order.
 * Each put event gets a new id, as EventBridge gives every PutEvents entry, identical or not: a
 * consumer that must not act twice keys on its own business id or on the event id of one
 * delivery, and {@link LocalEventBus.redeliver} hands an event to its rules again with the same
 * id (EventBridge delivers at least once). Rules ({@link BusRule}) route each put event to every target
 * whose pattern matches, with retries and a dead-letter list, and record what happened
 * ({@link LocalEventBus.routed}).
 */
export class LocalEventBus {
  readonly events: BusEvent[] = [];
  /** Every delivery the rules made, in the order they ended. */
  readonly routed: RoutedEvent[] = [];
  /** Events that ended in a rule's dead-letter queue. */
  readonly deadLetters: DeadLetter[] = [];
  private readonly listeners: ((event: BusEvent) => void)[] = [];
  private readonly rules: BusRule[] = [];
  private readonly pending = new Set<Promise<void>>();
  /** The envelopes of services' own events, which carry more than a PutEvents entry. */
  private readonly serviceEnvelopes = new WeakMap<BusEvent, EventBridgeEnvelope>();

  /** @param options the account and Region the envelopes carry. */
  constructor(private readonly options: { account?: string; region?: string } = {}) {}

  /** Adds a rule: from now on, matching events are delivered to its target. */
  addRule(rule: BusRule): void {
    this.rules.push(rule);
  }

  /** Waits until every delivery started so far (and those they started) has ended. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** The envelope of a put event, as a rule's target receives it. */
  envelopeOf(event: BusEvent): EventBridgeEnvelope {
    const service = this.serviceEnvelopes.get(event);
    if (service) return structuredClone(service);
    return {
      version: '0',
      id: event.id,
      'detail-type': event.detailType,
      source: event.source,
      account: this.options.account ?? '000000000000',
      time: event.time,
      region: this.options.region ?? 'eu-west-1',
      resources: [],
      detail: event.detail,
    };
  }

  private route(event: BusEvent): void {
    for (const rule of this.rules) {
      if (rule.busName !== event.busName) continue;
      const envelope = this.envelopeOf(event);
      if (!matchesEventPattern(rule.pattern, envelope)) continue;
      const delivery = this.deliver(rule, envelope, event.trace).finally(() =>
        this.pending.delete(delivery),
      );
      this.pending.add(delivery);
    }
  }

  private async deliver(
    rule: BusRule,
    envelope: EventBridgeEnvelope,
    trace: TraceContext | undefined,
  ): Promise<void> {
    const attempts = rule.attempts ?? 3;
    let error = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await rule.deliver(structuredClone(envelope), trace);
        this.routed.push(this.row(rule, envelope, 'delivered', attempt));
        return;
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
      }
    }
    this.deadLetters.push({ rule: rule.name, event: envelope, reason: error });
    this.routed.push({ ...this.row(rule, envelope, 'dead-lettered', attempts), error });
  }

  private row(
    rule: BusRule,
    envelope: EventBridgeEnvelope,
    outcome: RoutedEvent['outcome'],
    attempts: number,
  ): RoutedEvent {
    return {
      eventId: envelope.id,
      source: envelope.source,
      detailType: envelope['detail-type'],
      rule: rule.name,
      target: rule.target,
      outcome,
      attempts,
    };
  }

  /**
   * Records PutEvents entries and returns the PutEvents response. An entry's `TraceHeader`
   * (`Root=…;Parent=…`), else `trace` (the caller's), is the trace its deliveries join.
   */
  put(
    entries: {
      EventBusName?: string;
      Source: string;
      DetailType: string;
      Detail: string | object;
      TraceHeader?: string;
    }[],
    trace?: TraceContext,
  ) {
    const results = entries.map((entry) => {
      const detail = typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail;
      const id = randomUUID();
      const event: BusEvent = {
        id,
        busName: entry.EventBusName ?? 'default',
        source: entry.Source,
        detailType: entry.DetailType,
        detail,
        time: new Date().toISOString(),
      };
      const joined = parseTraceHeader(entry.TraceHeader) ?? trace;
      if (joined) event.trace = joined;
      this.events.push(event);
      this.listeners.forEach((l) => l(event));
      this.route(event);
      return { EventId: id };
    });
    return { Entries: results, FailedEntryCount: 0 };
  }

  /**
   * Puts an event an AWS service emits itself (S3's `Object Created` on the default bus): the
   * envelope is kept as the service wrote it (its id, time, resources), then routed like a
   * `PutEvents` entry.
   */
  putServiceEvent(busName: string, envelope: EventBridgeEnvelope): void {
    const event: BusEvent = {
      id: envelope.id,
      busName,
      source: envelope.source,
      detailType: envelope['detail-type'],
      detail: envelope.detail,
      time: envelope.time,
    };
    this.serviceEnvelopes.set(event, envelope);
    this.events.push(event);
    this.listeners.forEach((l) => l(event));
    this.route(event);
  }

  /**
   * Delivers an event put earlier to every matching rule again, the same envelope and id, as
   * EventBridge may (at-least-once delivery): what a redelivery does to a target. The event is
   * not put again, so `events` keeps one entry.
   *
   * @throws Error when no event with that id was put.
   */
  redeliver(eventId: string): void {
    const event = this.events.find((e) => e.id === eventId);
    if (!event)
      throw new Error(
        `No event ${eventId} was put on the local bus: redeliver the EventId a PutEvents answered.`,
      );
    this.route(event);
  }

  /** Calls `listener` for every event put from now on. */
  subscribe(listener: (event: BusEvent) => void): void {
    this.listeners.push(listener);
  }
}

/** The AWS SDKs' endpoint override for EventBridge (service id `EventBridge`). */
export const EVENTBRIDGE_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_EVENTBRIDGE';

/** PutEvents takes 1 to 10 entries per call. */
const MAX_ENTRIES = 10;
/** PutEvents' limit on one call's entries, 256 KB. */
const MAX_PUT_BYTES = 256 * 1024;

/** One entry of a PutEvents request, as the AWS JSON 1.1 protocol carries it. */
interface PutEventsRequestEntry {
  EventBusName?: unknown;
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  TraceHeader?: unknown;
}

/** A running PutEvents endpoint. */
export interface EventBusEndpoint {
  /** `http://127.0.0.1:<port>`: the value of {@link EVENTBRIDGE_ENDPOINT_ENV}. */
  endpoint: string;
  /** Injects faults into the PutEvents requests from now on (`undefined` stops injecting). */
  setFaults(injector: PutEventsFaultInjector | undefined): void;
  close(): Promise<void>;
}

/** A well-formed PutEvents request, as a {@link PutEventsFaultInjector} sees it. */
export interface PutEventsRequestInfo {
  /** 1 for the endpoint's first PutEvents request since the injector was set, then 2, … (SDK retries count). */
  number: number;
  entries: { EventBusName?: string; Source?: string; DetailType?: string; Detail?: string }[];
}

/**
 * A fault for one request: the whole request fails with an HTTP `status` (a 5xx is what the
 * SDK retries), or the entries at the given indexes fail with EventBridge's per-entry error
 * while the others are put, as a partial failure does.
 */
export type PutEventsFault =
  | { status: number; errorType: string; message: string }
  | { failEntries: Record<number, { ErrorCode: string; ErrorMessage: string }> };

/** Decides the fault of each PutEvents request; `undefined` answers it normally. */
export type PutEventsFaultInjector = (request: PutEventsRequestInfo) => PutEventsFault | undefined;

/**
 * Serves `AWSEvents.PutEvents` (AWS JSON 1.1: `POST /`, `X-Amz-Target: AWSEvents.PutEvents`)
 * on 127.0.0.1 into `bus`, so a Lambda's SDK call lands on the same bus, in the same order, as
 * the flows' `events:putEvents` Tasks. Entries are checked the way
 * EventBridge checks them: a request-level error (no entries, more than 10, over 256 KB) answers
 * 400 `ValidationException`; a bad entry (no `Source`, `DetailType` or `Detail`, a `Detail` that
 * is not a JSON object) is reported in its slot of `Entries` and counted in `FailedEntryCount`
 * while the good ones are put. Requests are not signature-checked: there is no IAM locally.
 * `setFaults` makes chosen requests fail whole (e.g. a 500) or fail some of their entries, for
 * the callers' retry paths.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 *
 * @example
 * const endpoint = await startEventBusEndpoint(bus);
 * process.env[EVENTBRIDGE_ENDPOINT_ENV] = endpoint.endpoint;
 */
export async function startEventBusEndpoint(
  bus: LocalEventBus,
  options: { port?: number } = {},
): Promise<EventBusEndpoint> {
  let faults: PutEventsFaultInjector | undefined;
  let requests = 0;
  const server = createServer(async (req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body));
    };
    const error = (type: string, message: string) =>
      answer(400, { __type: type, message, Message: message });
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || target !== 'AWSEvents.PutEvents')
      return error(
        'UnknownOperationException',
        `The sandbox's EventBridge serves only AWSEvents.PutEvents (got ${String(target)}): publish with PutEventsCommand.`,
      );
    const raw = await text(req);
    if (Buffer.byteLength(raw) > MAX_PUT_BYTES)
      return error(
        'ValidationException',
        `The PutEvents request is larger than 256 KB: split the entries over several calls.`,
      );
    let input: { Entries?: unknown };
    try {
      input = JSON.parse(raw) as typeof input;
    } catch {
      return error('SerializationException', 'The request body is not JSON.');
    }
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES)
      return error(
        'ValidationException',
        `Entries must hold 1 to ${MAX_ENTRIES} entries (got ${Array.isArray(entries) ? entries.length : 'none'}): send at most ${MAX_ENTRIES} per call.`,
      );
    const fault = faults?.({
      number: ++requests,
      entries: structuredClone(entries) as PutEventsRequestInfo['entries'],
    });
    if (fault && 'status' in fault) {
      res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1' });
      return res.end(JSON.stringify({ __type: fault.errorType, message: fault.message }));
    }
    // The X-Ray SDK's capture adds the caller's subsegment to the request as X-Amzn-Trace-Id.
    const header = req.headers['x-amzn-trace-id'];
    const trace = parseTraceHeader(Array.isArray(header) ? header[0] : header);
    const results = (entries as PutEventsRequestEntry[]).map((entry, i) => {
      const problem = entryProblem(entry);
      if (problem) return problem;
      const injected = fault?.failEntries[i];
      if (injected) return injected;
      const [result] = bus.put(
        [
          {
            EventBusName: busNameOf(entry.EventBusName as string | undefined),
            Source: entry.Source as string,
            DetailType: entry.DetailType as string,
            Detail: entry.Detail as string,
            ...(typeof entry.TraceHeader === 'string' ? { TraceHeader: entry.TraceHeader } : {}),
          },
        ],
        trace,
      ).Entries;
      return result;
    });
    answer(200, {
      Entries: results,
      FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length,
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setFaults: (injector) => {
      faults = injector;
      requests = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** EventBridge's per-entry error for an entry it would not put, or `undefined` for a good one. */
function entryProblem(
  entry: PutEventsRequestEntry,
): { ErrorCode: string; ErrorMessage: string } | undefined {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    const value = entry[field];
    if (typeof value !== 'string' || value === '')
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter ${field} is not valid: set it on every entry.`,
      };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    detail = undefined;
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail))
    return {
      ErrorCode: 'MalformedDetail',
      ErrorMessage: 'Detail is malformed: send a JSON object as a string.',
    };
  return undefined;
}

/** A bus given by ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`) is named by its name. */
function busNameOf(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  return /^arn:aws[\w-]*:events:[^:]*:\d*:event-bus\/(.+)$/.exec(value)?.[1] ?? value;
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
