import { existsSync, readFileSync } from 'node:fs';
import { TracesError } from './errors';

/** The fields of an X-Ray segment or subsegment document this tool reads (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html). */
export interface SegmentDocument {
  id: string;
  trace_id?: string;
  parent_id?: string;
  name: string;
  type?: 'subsegment';
  origin?: string;
  namespace?: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  /** X-Ray's own segment for a downstream AWS resource (BatchGetTraces returns these). */
  inferred?: boolean;
  cause?: unknown;
  http?: { request?: Record<string, unknown>; response?: { status?: number } };
  aws?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  subsegments?: SegmentDocument[];
}

/**
 * Reads `segments.jsonl` (one X-Ray document per line, as the sandbox's daemon writes it) and
 * returns its documents as they are, in file order. Blank lines are skipped.
 * @throws TracesError when the file is missing or a line is not a segment document.
 */
export function readSegments(file: string): SegmentDocument[] {
  if (!existsSync(file)) {
    throw new TracesError(
      `No segments file at ${file}. Run the sandbox first (npm start or npm run sandbox) so it captures traces, or pass --work-dir <dir> holding traces/segments.jsonl.`,
    );
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => {
      if (!line.trim()) return [];
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch (cause) {
        throw new TracesError(
          `${file}:${index + 1} is not JSON; every line must be one X-Ray segment document.`,
          { cause },
        );
      }
      const d = doc as Partial<SegmentDocument>;
      if (
        typeof d !== 'object' ||
        d === null ||
        typeof d.id !== 'string' ||
        typeof d.name !== 'string' ||
        typeof d.start_time !== 'number'
      ) {
        throw new TracesError(
          `${file}:${index + 1} is not an X-Ray segment document (it needs id, name and start_time).`,
        );
      }
      return [d as SegmentDocument];
    });
}

const clone = (d: SegmentDocument): SegmentDocument => ({
  ...d,
  subsegments: (d.subsegments ?? []).map(clone),
});

function* walk(d: SegmentDocument): Generator<SegmentDocument> {
  yield d;
  for (const s of d.subsegments ?? []) yield* walk(s);
}

/**
 * Merges independently sent subsegments (`"type": "subsegment"` with `parent_id`) into their
 * parent (segment or subsegment) and returns the top-level segments, sorted by start time.
 * A later copy of the same id (a completed document after an in-progress one) replaces the earlier.
 * Subsegments whose parent never arrived are dropped: X-Ray shows nothing for them either.
 */
export function mergeSegments(docs: SegmentDocument[]): SegmentDocument[] {
  const byId = new Map<string, SegmentDocument>();
  for (const d of docs) byId.set(d.id, clone(d));
  const tops = [...byId.values()].filter((d) => d.type !== 'subsegment');
  const loose = [...byId.values()].filter((d) => d.type === 'subsegment');
  const index = new Map<string, SegmentDocument>();
  for (const t of tops) for (const e of walk(t)) index.set(e.id, e);
  let pending = loose;
  while (pending.length) {
    const next = pending.filter((s) => {
      const parent = s.parent_id ? index.get(s.parent_id) : undefined;
      if (!parent) return true;
      parent.subsegments = [...(parent.subsegments ?? []).filter((c) => c.id !== s.id), s];
      for (const e of walk(s)) index.set(e.id, e);
      return false;
    });
    if (next.length === pending.length) break;
    pending = next;
  }
  for (const e of index.values()) e.subsegments?.sort((a, b) => a.start_time - b.start_time);
  return tops.sort((a, b) => a.start_time - b.start_time);
}

/** Every element (the segment and all its nested subsegments) of a segment, depth first. */
export function elements(segment: SegmentDocument): SegmentDocument[] {
  return [...walk(segment)];
}
