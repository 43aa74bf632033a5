import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { XRayClient } from '@aws-sdk/client-xray';
import { fetchServiceGraph, fetchTraceIds, fetchTraces, TRACE_ID, type AwsWindow } from './aws';
import { AwsTracesError, TracesError } from './errors';
import { buildServiceGraph, type ServiceGraph } from './graph';
import { dotToSvg, svgToPng, toDot, toMermaid } from './render';
import { readSegments, type SegmentDocument } from './segments';
import { buildWaterfall, findTrace, waterfallSvg, waterfallText } from './waterfall';

/** The sandbox's work dir when none is given (relative to the current directory). */
export const DEFAULT_WORK_DIR = 'dist/sandbox';
/** Where `--from-aws` writes when no `--out` is given. */
export const DEFAULT_AWS_OUT = 'dist/traces/aws';

/** What a report wrote, as absolute paths, and the graph it drew. */
export interface TraceReport {
  graph: ServiceGraph;
  serviceMap: { svg: string; png: string; markdown: string };
  waterfall?: { traceId: string; text: string; svg: string };
  /** Every file written, in the order above. */
  files: string[];
  /** Warnings worth printing (traces X-Ray did not return). */
  warnings: string[];
}

/** The segments file the sandbox writes under a work dir. */
export const segmentsFile = (workDir: string): string => join(workDir, 'traces', 'segments.jsonl');

async function writeServiceMap(graph: ServiceGraph, out: string) {
  mkdirSync(out, { recursive: true });
  const svg = await dotToSvg(toDot(graph));
  const files = {
    svg: join(out, 'service-map.svg'),
    png: join(out, 'service-map.png'),
    markdown: join(out, 'service-map.md'),
  };
  writeFileSync(files.svg, svg);
  writeFileSync(files.png, await svgToPng(svg));
  writeFileSync(files.markdown, toMermaid(graph));
  return files;
}

function writeWaterfall(docs: SegmentDocument[], traceId: string, out: string) {
  const waterfall = buildWaterfall(docs, traceId);
  const files = {
    traceId,
    text: join(out, `waterfall-${traceId}.txt`),
    svg: join(out, `waterfall-${traceId}.svg`),
  };
  writeFileSync(files.text, waterfallText(waterfall));
  writeFileSync(files.svg, waterfallSvg(waterfall));
  return files;
}

const report = (
  graph: ServiceGraph,
  serviceMap: TraceReport['serviceMap'],
  waterfall: TraceReport['waterfall'],
  warnings: string[] = [],
): TraceReport => ({
  graph,
  serviceMap,
  ...(waterfall ? { waterfall } : {}),
  files: [
    serviceMap.svg,
    serviceMap.png,
    serviceMap.markdown,
    ...(waterfall ? [waterfall.text, waterfall.svg] : []),
  ],
  warnings,
});

/**
 * Reads `<workDir>/traces/segments.jsonl` and writes `service-map.svg`, `service-map.png` and
 * `service-map.md` (a Mermaid block) to `out` (default `<workDir>/traces`), and with `trace`
 * (a trace id, execution ARN, request id or correlation id) `waterfall-<trace id>.txt` and `.svg`.
 * What `npm run traces` does; the sandbox's `npm start` and integration tests call it in-process.
 * @throws TracesError when the file is missing, holds no segment, or `trace` matches no trace.
 * @example
 * const { serviceMap, graph } = await writeTraceReport({ workDir: 'dist/sandbox' });
 * console.log(serviceMap.png, graph.edges.length);
 */
export async function writeTraceReport(options: {
  workDir?: string;
  out?: string;
  trace?: string;
}): Promise<TraceReport> {
  const workDir = resolve(options.workDir ?? DEFAULT_WORK_DIR);
  const out = resolve(options.out ?? join(workDir, 'traces'));
  const file = segmentsFile(workDir);
  const docs = readSegments(file);
  if (!docs.length)
    throw new TracesError(
      `${file} holds no segment documents: the sandbox captured no traces. Check that its functions run with tracing on (AWS_XRAY_DAEMON_ADDRESS set) and that the run invoked something.`,
    );
  // An unknown --trace fails before anything is written.
  const traceId = options.trace ? findTrace(docs, options.trace) : undefined;
  const graph = buildServiceGraph(docs);
  const serviceMap = await writeServiceMap(graph, out);
  const waterfall = traceId ? writeWaterfall(docs, traceId, out) : undefined;
  return report(graph, serviceMap, waterfall);
}

/**
 * The same report from a real account: the service map from GetServiceGraph over the window
 * (and group), and with `trace` its waterfall from BatchGetTraces (a trace id directly; any
 * other id by GetTraceSummaries over the window, then BatchGetTraces of every trace found).
 * Writes to `out` (default `dist/traces/aws`).
 * @throws AwsTracesError when an X-Ray call fails; TraceNotFoundError for an unknown `trace`.
 */
export async function writeAwsTraceReport(
  options: AwsWindow & { region?: string; out?: string; trace?: string; client?: XRayClient },
): Promise<TraceReport> {
  const client = options.client ?? new XRayClient(options.region ? { region: options.region } : {});
  const out = resolve(options.out ?? DEFAULT_AWS_OUT);
  const graph = await fetchServiceGraph(client, options);
  if (!options.trace) return report(graph, await writeServiceMap(graph, out), undefined);
  const ids = TRACE_ID.test(options.trace) ? [options.trace] : await fetchTraceIds(client, options);
  if (!ids.length)
    throw new AwsTracesError(
      `GetTraceSummaries found no trace between ${options.start.toISOString()} and ${options.end.toISOString()}${options.group ? ` in group ${options.group}` : ''}: widen --start/--end or pass the trace id itself.`,
    );
  const { documents, unprocessed } = await fetchTraces(client, ids);
  const warnings = unprocessed.length
    ? [`X-Ray did not return ${unprocessed.length} trace(s): ${unprocessed.join(', ')}`]
    : [];
  const traceId = findTrace(documents, options.trace);
  const serviceMap = await writeServiceMap(graph, out);
  return report(graph, serviceMap, writeWaterfall(documents, traceId, out), warnings);
}
