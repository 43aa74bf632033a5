import {
  BatchGetTracesCommand,
  GetServiceGraphCommand,
  GetTraceSummariesCommand,
  type EdgeStatistics,
  type HistogramEntry,
  type Service,
  type XRayClient,
} from '@aws-sdk/client-xray';
import { AwsTracesError } from './errors';
import {
  CLIENT,
  healthOf,
  nodeId,
  roundMs,
  sortGraph,
  type GraphEdge,
  type GraphNode,
  type ServiceGraph,
  type Stats,
} from './graph';
import type { SegmentDocument } from './segments';

/** The time window (and optional X-Ray group) `--from-aws` reads. */
export interface AwsWindow {
  start: Date;
  end: Date;
  /** An X-Ray group name: the service graph of the group, traces matching `group.name`. */
  group?: string;
}

/** BatchGetTraces takes at most five trace ids per call (X-Ray API reference). */
export const BATCH_GET_TRACES_LIMIT = 5;

/** A trace id as X-Ray writes it: `1-<8 hex>-<24 hex>`. */
export const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

/**
 * The latency at percentile `p` of an X-Ray response-time histogram (`Value` in seconds,
 * `Count` requests), in ms, by nearest rank; `null` for an empty histogram.
 */
export function histogramPercentile(
  histogram: readonly HistogramEntry[] | undefined,
  p: number,
): number | null {
  const entries = [...(histogram ?? [])]
    .filter((h) => (h.Count ?? 0) > 0 && h.Value !== undefined)
    .sort((a, b) => (a.Value as number) - (b.Value as number));
  const total = entries.reduce((sum, h) => sum + (h.Count as number), 0);
  if (!total) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const h of entries) {
    seen += h.Count as number;
    if (seen >= rank) return roundMs((h.Value as number) * 1000);
  }
  return null;
}

/** X-Ray's summary statistics and histogram as this tool's {@link Stats}. */
export function statsFromAws(
  summary: EdgeStatistics | undefined,
  histogram: readonly HistogramEntry[] | undefined,
): Stats {
  const ok = summary?.OkCount ?? 0;
  const error = summary?.ErrorStatistics?.TotalCount ?? 0;
  const fault = summary?.FaultStatistics?.TotalCount ?? 0;
  return {
    count: summary?.TotalCount ?? ok + error + fault,
    ok,
    error,
    fault,
    throttle: summary?.ErrorStatistics?.ThrottleCount ?? 0,
    p50Ms: histogramPercentile(histogram, 50),
    p99Ms: histogramPercentile(histogram, 99),
  };
}

/**
 * Turns GetServiceGraph's `Services` (all pages) into the same graph model as
 * `buildServiceGraph`: a node per service (`Name`, `Type`; the client as `client`), an edge per
 * `Edges[]` entry to the service of its `ReferenceId`. Counts come from `SummaryStatistics`,
 * p50/p99 from the `ResponseTimeHistogram`s. An edge to a `ReferenceId` that no service has
 * (a page never fetched) is left out.
 */
export function serviceGraphFromAws(services: readonly Service[]): ServiceGraph {
  const byRef = new Map<number, GraphNode>();
  for (const s of services) {
    const isClient = s.Type === CLIENT.type;
    // The client is `client` here as in the local map, whatever X-Ray calls it.
    const name = isClient ? CLIENT.name : (s.Name ?? `service ${s.ReferenceId ?? '?'}`);
    const type = s.Type ?? 'unknown';
    const stats = statsFromAws(s.SummaryStatistics, s.ResponseTimeHistogram);
    byRef.set(s.ReferenceId ?? -1, {
      id: nodeId(type, name),
      name,
      type,
      stats,
      health: healthOf(stats),
    });
  }
  const edges: GraphEdge[] = services.flatMap((s) =>
    (s.Edges ?? []).flatMap((e) => {
      const from = byRef.get(s.ReferenceId ?? -1);
      const to = byRef.get(e.ReferenceId ?? -1);
      if (!from || !to) return [];
      const stats = statsFromAws(e.SummaryStatistics, e.ResponseTimeHistogram);
      return [{ from: from.id, to: to.id, stats, health: healthOf(stats) }];
    }),
  );
  return sortGraph({ nodes: [...byRef.values()], edges });
}

const awsFailure = (call: string, error: unknown) =>
  new AwsTracesError(
    `X-Ray ${call} failed: ${(error as Error).message.replace(/\.$/, '')}. Check the credentials (the AWS SDK's usual chain: AWS_PROFILE, environment, SSO), the region (--region or AWS_REGION) and that the caller may xray:${call}.`,
    { cause: error },
  );

/** GetServiceGraph over the window, every page (NextToken), as a {@link ServiceGraph}. */
export async function fetchServiceGraph(
  client: XRayClient,
  window: AwsWindow,
): Promise<ServiceGraph> {
  const services = new Map<number, Service>();
  let token: string | undefined;
  do {
    const page = await client
      .send(
        new GetServiceGraphCommand({
          StartTime: window.start,
          EndTime: window.end,
          ...(window.group ? { GroupName: window.group } : {}),
          ...(token ? { NextToken: token } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw awsFailure('GetServiceGraph', error);
      });
    for (const s of page.Services ?? []) {
      // A service split across pages keeps every edge it was given.
      const seen = services.get(s.ReferenceId ?? -1);
      services.set(
        s.ReferenceId ?? -1,
        seen ? { ...seen, Edges: [...(seen.Edges ?? []), ...(s.Edges ?? [])] } : s,
      );
    }
    token = page.NextToken;
  } while (token);
  return serviceGraphFromAws([...services.values()]);
}

/** GetTraceSummaries over the window (every page), filtered to the group when one is given. */
export async function fetchTraceIds(client: XRayClient, window: AwsWindow): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await client
      .send(
        new GetTraceSummariesCommand({
          StartTime: window.start,
          EndTime: window.end,
          ...(window.group
            ? { FilterExpression: `group.name = ${JSON.stringify(window.group)}` }
            : {}),
          ...(token ? { NextToken: token } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw awsFailure('GetTraceSummaries', error);
      });
    for (const summary of page.TraceSummaries ?? [])
      if (summary.Id && !ids.includes(summary.Id)) ids.push(summary.Id);
    token = page.NextToken;
  } while (token);
  return ids;
}

/** The segment documents of some traces, and the ids X-Ray did not return. */
export interface FetchedTraces {
  documents: SegmentDocument[];
  unprocessed: string[];
}

/**
 * BatchGetTraces for the ids, five at a time, every page: each `Segments[].Document` (a JSON
 * string) parsed into a segment document, ready for `buildWaterfall`.
 * @throws AwsTracesError when the call fails or a document is not a segment's JSON.
 */
export async function fetchTraces(
  client: XRayClient,
  traceIds: readonly string[],
): Promise<FetchedTraces> {
  const documents: SegmentDocument[] = [];
  const unprocessed: string[] = [];
  for (let i = 0; i < traceIds.length; i += BATCH_GET_TRACES_LIMIT) {
    const batch = traceIds.slice(i, i + BATCH_GET_TRACES_LIMIT);
    let token: string | undefined;
    do {
      const page = await client
        .send(
          new BatchGetTracesCommand({ TraceIds: batch, ...(token ? { NextToken: token } : {}) }),
        )
        .catch((error: unknown) => {
          throw awsFailure('BatchGetTraces', error);
        });
      for (const trace of page.Traces ?? [])
        for (const segment of trace.Segments ?? []) {
          let doc: Partial<SegmentDocument>;
          try {
            doc = JSON.parse(segment.Document ?? '') as Partial<SegmentDocument>;
          } catch (cause) {
            throw new AwsTracesError(
              `BatchGetTraces returned segment ${segment.Id ?? '?'} of trace ${trace.Id ?? '?'} with a Document that is not JSON; report it with the trace id.`,
              { cause },
            );
          }
          if (
            typeof doc.id !== 'string' ||
            typeof doc.name !== 'string' ||
            typeof doc.start_time !== 'number'
          )
            throw new AwsTracesError(
              `BatchGetTraces returned segment ${segment.Id ?? '?'} of trace ${trace.Id ?? '?'} without id, name or start_time; report it with the trace id.`,
            );
          documents.push({ ...doc, trace_id: doc.trace_id ?? trace.Id } as SegmentDocument);
        }
      unprocessed.push(...(page.UnprocessedTraceIds ?? []));
      token = page.NextToken;
    } while (token);
  }
  return { documents, unprocessed };
}
