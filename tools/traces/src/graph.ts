import { elements, mergeSegments, type SegmentDocument } from './segments';

/**
 * A node's colour on the map, as X-Ray's console draws it: green ok, yellow errors (4xx),
 * purple throttles (429), red faults (5xx). The worst outcome among its requests wins, ranked
 * fault > throttle > error > ok (https://docs.aws.amazon.com/xray/latest/devguide/xray-console.html).
 */
export type Health = 'ok' | 'error' | 'throttle' | 'fault';

/**
 * Request counts and latency of a node or an edge. The counts follow X-Ray's `EdgeStatistics`:
 * `error` counts every client error including throttles (`ErrorStatistics.TotalCount`),
 * `throttle` the 429s among them, `fault` the server errors; `ok + error + fault = count`.
 */
export interface Stats {
  count: number;
  ok: number;
  error: number;
  fault: number;
  throttle: number;
  /** Median latency in ms (nearest rank), `null` when no request of it completed. */
  p50Ms: number | null;
  /** 99th percentile latency in ms (nearest rank), `null` when no request of it completed. */
  p99Ms: number | null;
}

/** One service on the map: a traced segment's service, an inferred AWS resource, or the client. */
export interface GraphNode {
  /** `<type>|<name>`: unique in the graph, what edges refer to. */
  id: string;
  name: string;
  /** The segment's `origin` (`AWS::Lambda::Function`), an inferred `AWS::S3::Bucket`, `remote` or `client`. */
  type: string;
  stats: Stats;
  health: Health;
}

/** Calls from one node to another. */
export interface GraphEdge {
  from: string;
  to: string;
  stats: Stats;
  health: Health;
}

/** A service map as plain data: nodes sorted client first then by name and type, edges by their ends. */
export interface ServiceGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** One request as the stats see it. */
export interface Sample {
  /** Undefined while the element is still in progress. */
  durationMs?: number;
  fault: boolean;
  error: boolean;
  throttle: boolean;
}

/** Rounds to 0.1 ms, which hides the float noise of epoch seconds. */
export const roundMs = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * The outcome of one segment or subsegment: its HTTP status when it has one (5xx fault, 429 or a
 * 4xx flagged `throttle` throttle, other 4xx error), else its flags. The status wins because the X-Ray SDK sets both
 * `error` and `fault` on an AWS SDK call that failed with a 4xx (a DynamoDB conditional check
 * failing with 400 is the caller's error, not the table's fault).
 */
export function sampleOf(...docs: SegmentDocument[]): Sample {
  const outcomes = docs.map((d) => {
    const status = d.http?.response?.status;
    // DynamoDB throttles with a 400 (ProvisionedThroughputExceeded): the SDK's throttle flag says so.
    if (status !== undefined && status >= 400)
      return status >= 500 ? 'fault' : status === 429 || d.throttle === true ? 'throttle' : 'error';
    if (d.fault === true) return 'fault';
    if (d.throttle === true) return 'throttle';
    if (d.error === true) return 'error';
    return 'ok';
  });
  const fault = outcomes.includes('fault');
  const throttle = !fault && outcomes.includes('throttle');
  const error = !fault && (throttle || outcomes.includes('error'));
  const first = docs[0];
  const durationMs =
    first?.end_time === undefined ? undefined : roundMs((first.end_time - first.start_time) * 1000);
  return { ...(durationMs === undefined ? {} : { durationMs }), fault, error, throttle };
}

/** The value at percentile `p` (0-100) of ascending `sorted`, by nearest rank. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] as number;
}

/** Aggregates samples into {@link Stats}. */
export function statsOf(samples: readonly Sample[]): Stats {
  const latencies = samples
    .flatMap((s) => (s.durationMs === undefined ? [] : [s.durationMs]))
    .sort((a, b) => a - b);
  const fault = samples.filter((s) => s.fault).length;
  const error = samples.filter((s) => s.error).length;
  return {
    count: samples.length,
    ok: samples.length - fault - error,
    error,
    fault,
    throttle: samples.filter((s) => s.throttle).length,
    p50Ms: nearestRank(latencies, 50),
    p99Ms: nearestRank(latencies, 99),
  };
}

/** The worst outcome in `stats`, ranked fault > throttle > error > ok. */
export function healthOf(stats: Stats): Health {
  if (stats.fault) return 'fault';
  if (stats.throttle) return 'throttle';
  if (stats.error) return 'error';
  return 'ok';
}

/** Node id of a name and type. */
export const nodeId = (type: string, name: string): string => `${type}|${name}`;

/** The client node every untraced caller collapses into, as on X-Ray's map. */
export const CLIENT = { name: 'client', type: 'client' } as const;

/**
 * The downstream node an SDK or remote subsegment stands for, or undefined when the subsegment
 * is not a call to another service. S3 and DynamoDB are named by their bucket and table, as
 * X-Ray's inferred nodes are; a Lambda `Invoke` without a captured callee by its function.
 */
export function inferredNode(sub: SegmentDocument): { name: string; type: string } | undefined {
  const aws = sub.aws ?? {};
  const str = (key: string) => (typeof aws[key] === 'string' ? (aws[key] as string) : undefined);
  if (sub.namespace === 'remote') return { name: sub.name, type: 'remote' };
  if (sub.namespace !== 'aws') return undefined;
  if (sub.name === 'S3') return { name: str('bucket_name') ?? 'S3', type: 'AWS::S3::Bucket' };
  if (sub.name === 'DynamoDB') {
    // Batch operations name their tables in `table_names`; one table is still that table.
    const tables = Array.isArray(aws['table_names']) ? (aws['table_names'] as unknown[]) : [];
    const only = tables.length === 1 && typeof tables[0] === 'string' ? tables[0] : undefined;
    return { name: str('table_name') ?? only ?? 'DynamoDB', type: 'AWS::DynamoDB::Table' };
  }
  if (sub.name === 'Lambda') return { name: str('function_name') ?? 'Lambda', type: 'AWS::Lambda' };
  return { name: sub.name, type: `AWS::${sub.name}` };
}

/** The node type of a segment: its `origin`, or `service` for an application without one. */
export const segmentType = (segment: SegmentDocument): string => segment.origin ?? 'service';

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const compareNodes = (a: GraphNode, b: GraphNode): number =>
  Number(b.type === CLIENT.type) - Number(a.type === CLIENT.type) ||
  byCodePoint(a.name, b.name) ||
  byCodePoint(a.type, b.type);

/**
 * Sorts nodes (client first, then name, type) and edges (by the order of their ends) so that the
 * same segments always give the same graph, whatever order the daemon received them in.
 */
export function sortGraph(graph: ServiceGraph): ServiceGraph {
  const nodes = [...graph.nodes].sort(compareNodes);
  const rank = new Map(nodes.map((n, i) => [n.id, i]));
  const edges = [...graph.edges].sort(
    (a, b) =>
      (rank.get(a.from) ?? 0) - (rank.get(b.from) ?? 0) ||
      (rank.get(a.to) ?? 0) - (rank.get(b.to) ?? 0),
  );
  return { nodes, edges };
}

/**
 * Builds the service map of a set of segment documents (as read by `readSegments`; independently
 * sent subsegments are merged first), the way X-Ray aggregates traces into one:
 *
 * - Nodes: the client; one per segment name and `origin`; one per downstream service an
 *   `aws`/`remote` subsegment calls (see {@link inferredNode}). A Lambda `Invoke` subsegment
 *   whose callee's segment was captured is not a node: the edge goes from its segment's node
 *   straight to the callee's. A subsegment that is a node and also has child segments
 *   (EventBridge `PutEvents` and its rule target) gives two edges: caller → bus → target.
 * - Edges: client → each segment without a parent (or whose parent was never captured);
 *   segment → segment for a `parent_id` naming a segment or a plain subsegment; segment →
 *   inferred node per SDK call. An edge's latency is the downstream element as its caller saw
 *   it (the calling subsegment's duration when there is one, else the callee segment's), its
 *   outcome the worst of the calling subsegment, the callee segment and, for a state machine,
 *   the Task state holding the `Invoke` (a failing Task is a fault on that edge).
 * - Node stats: its own segments (inferred nodes: the subsegments that call them). The client
 *   has none (count 0), as on X-Ray's map.
 * - Segments X-Ray inferred itself (`inferred: true`, returned by BatchGetTraces) are left out:
 *   the subsegment that called them already stands for that node.
 *
 * @example
 * const graph = buildServiceGraph(readSegments('dist/sandbox/traces/segments.jsonl'));
 * graph.edges.filter((e) => e.health === 'fault');
 */
export function buildServiceGraph(docs: readonly SegmentDocument[]): ServiceGraph {
  const segments = mergeSegments([...docs]).filter((s) => s.inferred !== true);
  const nodeSamples = new Map<string, { name: string; type: string; samples: Sample[] }>();
  const edgeSamples = new Map<string, { from: string; to: string; samples: Sample[] }>();
  const node = (name: string, type: string, sample?: Sample): string => {
    const id = nodeId(type, name);
    const entry = nodeSamples.get(id) ?? { name, type, samples: [] };
    if (sample) entry.samples.push(sample);
    nodeSamples.set(id, entry);
    return id;
  };
  const edge = (from: string, to: string, sample: Sample) => {
    const key = `${from}\n${to}`;
    const entry = edgeSamples.get(key) ?? { from, to, samples: [] };
    entry.samples.push(sample);
    edgeSamples.set(key, entry);
  };

  // Where every element lives: its segment, and whether it is the segment itself.
  const owner = new Map<
    string,
    { segment: SegmentDocument; element: SegmentDocument; container?: SegmentDocument }
  >();
  const key = (traceId: string | undefined, id: string) => `${traceId ?? ''}/${id}`;
  for (const segment of segments) {
    owner.set(key(segment.trace_id, segment.id), { segment, element: segment });
    for (const container of elements(segment))
      for (const element of container.subsegments ?? [])
        owner.set(key(segment.trace_id, element.id), { segment, element, container });
  }
  const childSegments = new Set<string>();
  for (const segment of segments)
    if (segment.parent_id && owner.has(key(segment.trace_id, segment.parent_id)))
      childSegments.add(key(segment.trace_id, segment.parent_id));

  for (const segment of segments) {
    const self = node(segment.name, segmentType(segment), sampleOf(segment));
    const parent = segment.parent_id
      ? owner.get(key(segment.trace_id, segment.parent_id))
      : undefined;
    if (!parent) {
      edge(node(CLIENT.name, CLIENT.type), self, sampleOf(segment));
    } else if (parent.element === parent.segment) {
      // The Lambda service segment's function segment: nothing of the caller times the call.
      edge(node(parent.segment.name, segmentType(parent.segment)), self, sampleOf(segment));
    } else {
      const via = inferredNode(parent.element);
      const callerSeesIt = !via || isLambdaInvoke(parent.element);
      // A Task state's outcome is the state machine's view of its Lambda call: a failing Task
      // (fault on the state's subsegment) is a fault on the state machine -> function edge.
      const task =
        parent.segment.origin === STATE_MACHINE &&
        isLambdaInvoke(parent.element) &&
        parent.container &&
        parent.container !== parent.segment
          ? [parent.container]
          : [];
      if (callerSeesIt)
        edge(
          node(parent.segment.name, segmentType(parent.segment)),
          self,
          sampleOf(parent.element, segment, ...task),
        );
      // A bus (or any inferred node) delivering to a traced target: the target's own timing.
      else edge(node(via.name, via.type), self, sampleOf(segment));
    }
    for (const sub of elements(segment).slice(1)) {
      const via = inferredNode(sub);
      if (!via) continue;
      if (isLambdaInvoke(sub) && childSegments.has(key(segment.trace_id, sub.id))) continue;
      const sample = sampleOf(sub);
      edge(self, node(via.name, via.type, sample), sample);
    }
  }

  const nodes = [...nodeSamples.entries()].map(([id, n]) => {
    const stats = statsOf(n.samples);
    return { id, name: n.name, type: n.type, stats, health: healthOf(stats) };
  });
  const edges = [...edgeSamples.values()].map((e) => {
    const stats = statsOf(e.samples);
    return { from: e.from, to: e.to, stats, health: healthOf(stats) };
  });
  return sortGraph({ nodes, edges });
}

const STATE_MACHINE = 'AWS::StepFunctions::StateMachine';

const isLambdaInvoke = (sub: SegmentDocument): boolean =>
  sub.namespace === 'aws' && sub.name === 'Lambda';
