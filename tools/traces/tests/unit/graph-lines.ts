import type { GraphEdge, GraphNode, ServiceGraph, Stats } from '../../src/graph';

/** One line per node or edge, every field of it, so a spec can pin a whole graph readably. */
const stats = (s: Stats) =>
  `${s.count} req, ok ${s.ok}, error ${s.error}, fault ${s.fault}, throttle ${s.throttle}, p50 ${s.p50Ms}, p99 ${s.p99Ms}`;

export const nodeLine = (n: GraphNode): string =>
  `${n.name} (${n.type}): ${stats(n.stats)}: ${n.health}`;

export function graphLines(graph: ServiceGraph): { nodes: string[]; edges: string[] } {
  const byId = new Map(graph.nodes.map((n) => [n.id, `${n.name} (${n.type})`]));
  const edge = (e: GraphEdge) =>
    `${byId.get(e.from) ?? `?${e.from}`} -> ${byId.get(e.to) ?? `?${e.to}`}: ${stats(e.stats)}: ${e.health}`;
  return { nodes: graph.nodes.map(nodeLine), edges: graph.edges.map(edge) };
}
