import { TraceNotFoundError } from './errors';
import { roundMs, sampleOf } from './graph';
import { elements, mergeSegments, type SegmentDocument } from './segments';

/** One row of a waterfall: a segment or subsegment, where it sits in the tree and in time. */
export interface WaterfallRow {
  depth: number;
  /** `name (origin)` for a segment, `S3 GetObject my-bucket` for an SDK call, else the name. */
  label: string;
  kind: 'segment' | 'subsegment';
  /** ms since the trace's first segment started. */
  offsetMs: number;
  /** ms; an element still in progress runs to the end of the trace. */
  durationMs: number;
  status: 'ok' | 'error' | 'throttle' | 'fault' | 'in progress';
  id: string;
}

/** One trace laid out for a waterfall. */
export interface Waterfall {
  traceId: string;
  /** From the first start to the last end, ms. */
  durationMs: number;
  segments: number;
  rows: WaterfallRow[];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The ids a trace can be found by: its execution ARNs, request ids and correlation ids. */
function aliases(segment: SegmentDocument): string[] {
  return elements(segment).flatMap((e) =>
    [
      str(e.aws?.['execution_arn']),
      str(e.aws?.['request_id']),
      str(e.annotations?.['correlation_id']),
    ].filter((v): v is string => v !== undefined),
  );
}

/**
 * The trace id a `--trace` value names: a trace id, a Step Functions execution ARN
 * (`aws.execution_arn`), a Lambda request id (`aws.request_id`) or a correlation id
 * (`annotations.correlation_id`) on any segment or subsegment. When several traces carry the
 * value (a correlation id reused), the one that started first wins.
 * @throws TraceNotFoundError listing up to five known traces (with their executions) to pick from.
 */
export function findTrace(docs: readonly SegmentDocument[], wanted: string): string {
  const segments = mergeSegments([...docs]);
  const traceIds = [...new Set(segments.flatMap((s) => (s.trace_id ? [s.trace_id] : [])))];
  if (traceIds.includes(wanted)) return wanted;
  const match = segments.find((s) => s.trace_id && aliases(s).includes(wanted));
  if (match?.trace_id) return match.trace_id;
  const known = traceIds.slice(0, 5).map((id) => {
    const executions = segments
      .filter((s) => s.trace_id === id)
      .flatMap((s) => elements(s).flatMap((e) => str(e.aws?.['execution_arn']) ?? []));
    return executions.length ? `${id} (${[...new Set(executions)].join(', ')})` : id;
  });
  const more = traceIds.length > 5 ? `, and ${traceIds.length - 5} more` : '';
  throw new TraceNotFoundError(
    traceIds.length
      ? `No captured trace matches "${wanted}" (as a trace id, execution ARN, request id or correlation id). Known traces: ${known.join('; ')}${more}. Pass one of them to --trace.`
      : `No captured trace matches "${wanted}": the segments hold no trace at all. Run the sandbox first, then pass a trace id, execution ARN, request id or correlation id to --trace.`,
  );
}

function label(e: SegmentDocument, kind: WaterfallRow['kind']): string {
  if (kind === 'segment') return e.origin ? `${e.name} (${e.origin})` : e.name;
  if (e.namespace !== 'aws') return e.name;
  const resource =
    str(e.aws?.['bucket_name']) ?? str(e.aws?.['table_name']) ?? str(e.aws?.['function_name']);
  return [e.name, str(e.aws?.['operation']), resource].filter(Boolean).join(' ');
}

/**
 * Assembles every segment of one trace into one tree (a segment under the element its
 * `parent_id` names, subsegments under their parent) and flattens it depth first, children in
 * start-time order: the rows of a waterfall.
 * @throws TraceNotFoundError when no segment has that trace id.
 */
export function buildWaterfall(docs: readonly SegmentDocument[], traceId: string): Waterfall {
  const segments = mergeSegments([...docs]).filter((s) => s.trace_id === traceId);
  if (!segments.length) findTrace(docs, traceId);
  const ids = new Set(segments.flatMap((s) => elements(s).map((e) => e.id)));
  const childSegments = new Map<string, SegmentDocument[]>();
  const roots: SegmentDocument[] = [];
  for (const s of segments) {
    if (s.parent_id && ids.has(s.parent_id))
      childSegments.set(s.parent_id, [...(childSegments.get(s.parent_id) ?? []), s]);
    else roots.push(s);
  }
  const all = segments.flatMap(elements);
  const start = Math.min(...roots.map((s) => s.start_time));
  const end = Math.max(...all.map((e) => e.end_time ?? e.start_time));
  const durationMs = roundMs((end - start) * 1000);
  const rows: WaterfallRow[] = [];
  const visit = (e: SegmentDocument, kind: WaterfallRow['kind'], depth: number) => {
    const sample = sampleOf(e);
    rows.push({
      depth,
      label: label(e, kind),
      kind,
      offsetMs: roundMs((e.start_time - start) * 1000),
      durationMs: roundMs(((e.end_time ?? end) - e.start_time) * 1000),
      status:
        e.end_time === undefined
          ? 'in progress'
          : sample.fault
            ? 'fault'
            : sample.throttle
              ? 'throttle'
              : sample.error
                ? 'error'
                : 'ok',
      id: e.id,
    });
    const children = [
      ...(e.subsegments ?? []).map((c) => ({ c, kind: 'subsegment' as const })),
      ...(childSegments.get(e.id) ?? []).map((c) => ({ c, kind: 'segment' as const })),
    ].sort((a, b) => a.c.start_time - b.c.start_time);
    for (const child of children) visit(child.c, child.kind, depth + 1);
  };
  for (const root of [...roots].sort((a, b) => a.start_time - b.start_time))
    visit(root, 'segment', 0);
  return { traceId, durationMs, segments: segments.length, rows };
}

/** Width of the text waterfall's bar, in characters. */
export const BAR_WIDTH = 40;

const columns = (offsetMs: number, durationMs: number, totalMs: number, width: number) => {
  if (totalMs <= 0) return { from: 0, to: 1 };
  const from = Math.min(width - 1, Math.floor((offsetMs / totalMs) * width));
  const to = Math.min(
    width,
    Math.max(from + 1, Math.ceil(((offsetMs + durationMs) / totalMs) * width)),
  );
  return { from, to };
};

/**
 * The waterfall as an aligned text timeline: offset and duration in ms, a bar of
 * {@link BAR_WIDTH} characters scaled to the trace, the element indented by depth and a
 * `[fault]`/`[error]`/`[throttle]`/`[in progress]` marker.
 */
export function waterfallText(w: Waterfall): string {
  const head = `trace ${w.traceId} · ${w.durationMs.toFixed(1)} ms · ${w.segments} segment${w.segments === 1 ? '' : 's'}`;
  const header = `${'offset ms'.padStart(10)} ${'duration ms'.padStart(11)}  ${'timeline'.padEnd(BAR_WIDTH + 2)}  element`;
  const lines = w.rows.map((r) => {
    const { from, to } = columns(r.offsetMs, r.durationMs, w.durationMs, BAR_WIDTH);
    const bar = ' '.repeat(from) + '█'.repeat(to - from) + ' '.repeat(BAR_WIDTH - to);
    const marker = r.status === 'ok' ? '' : ` [${r.status}]`;
    return `${r.offsetMs.toFixed(1).padStart(10)} ${r.durationMs.toFixed(1).padStart(11)}  |${bar}|  ${'  '.repeat(r.depth)}${r.label}${marker}`;
  });
  return `${[head, header, ...lines].join('\n')}\n`;
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const BAR_COLOURS: Record<WaterfallRow['status'], string> = {
  ok: '#5c9bd6',
  error: '#f9a825',
  throttle: '#8e24aa',
  fault: '#d32f2f',
  'in progress': '#b0bec5',
};

/**
 * The waterfall as SVG: one row per element (label indented by depth on the left, a bar on a
 * time axis on the right, segments darker than subsegments, coloured by outcome), with the
 * duration after each bar and ticks at each quarter of the trace.
 */
export function waterfallSvg(w: Waterfall): string {
  const rowHeight = 20;
  // Helvetica at 11 px averages under 6.5 px a character: wide enough for the longest label.
  const labelWidth = Math.ceil(
    Math.max(
      240,
      ...w.rows.map(
        (r) =>
          24 +
          r.depth * 14 +
          (r.label.length + (r.status === 'ok' ? 0 : r.status.length + 3)) * 6.5,
      ),
    ),
  );
  const barWidth = 560;
  const top = 48;
  const width = labelWidth + barWidth + 90;
  const height = top + w.rows.length * rowHeight + 12;
  const x = (ms: number) => labelWidth + (w.durationMs > 0 ? (ms / w.durationMs) * barWidth : 0);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="8" y="18" font-size="13" font-weight="bold">${xml(`trace ${w.traceId}`)}</text>`,
    `<text x="8" y="36" fill="#546e7a">${xml(`${w.durationMs.toFixed(1)} ms · ${w.segments} segment${w.segments === 1 ? '' : 's'}`)}</text>`,
  ];
  for (const q of [0, 0.25, 0.5, 0.75, 1]) {
    const tx = x(w.durationMs * q);
    parts.push(
      `<line x1="${tx.toFixed(1)}" y1="${top - 6}" x2="${tx.toFixed(1)}" y2="${height - 8}" stroke="#eceff1"/>`,
      `<text x="${tx.toFixed(1)}" y="${top - 10}" text-anchor="middle" fill="#78909c">${(w.durationMs * q).toFixed(1)} ms</text>`,
    );
  }
  w.rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    const bx = x(r.offsetMs);
    const bw = Math.max(1, x(r.offsetMs + r.durationMs) - bx);
    const opacity = r.kind === 'segment' ? '1' : '0.6';
    const marker = r.status === 'ok' ? '' : ` [${r.status}]`;
    parts.push(
      `<text x="${8 + r.depth * 14}" y="${y + 14}"${r.kind === 'segment' ? ' font-weight="bold"' : ''}>${xml(r.label + marker)}</text>`,
      `<rect x="${bx.toFixed(1)}" y="${y + 4}" width="${bw.toFixed(1)}" height="${rowHeight - 8}" rx="2" fill="${BAR_COLOURS[r.status]}" fill-opacity="${opacity}"/>`,
      `<text x="${(bx + bw + 4).toFixed(1)}" y="${y + 14}" fill="#546e7a">${r.durationMs.toFixed(1)} ms</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
