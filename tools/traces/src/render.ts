import { readFileSync } from 'node:fs';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { instance, type Viz } from '@viz-js/viz';
import { RenderError } from './errors';
import type { GraphEdge, GraphNode, Health, ServiceGraph, Stats } from './graph';

/** Fill and line colour per health, after X-Ray's console (green, yellow, purple, red). */
export const HEALTH_COLOURS: Record<Health, { fill: string; line: string }> = {
  ok: { fill: '#e8f5e9', line: '#2e7d32' },
  error: { fill: '#fff8e1', line: '#f9a825' },
  throttle: { fill: '#f3e5f5', line: '#7b1fa2' },
  fault: { fill: '#ffebee', line: '#c62828' },
};

/** `12`, `12.3`: ms with at most one decimal. */
export const formatMs = (ms: number | null): string => (ms === null ? '-' : String(ms));

/**
 * The label of an edge: `3 req · p50 12 ms · p99 40.5 ms`, then the non-zero error, fault and
 * throttle counts (`1 error · 1 throttle`).
 */
export function edgeLabel(stats: Stats): string[] {
  const lines = [
    `${stats.count} req · p50 ${formatMs(stats.p50Ms)} ms · p99 ${formatMs(stats.p99Ms)} ms`,
  ];
  const problems = [
    stats.error ? `${stats.error} error${stats.error === 1 ? '' : 's'}` : '',
    stats.fault ? `${stats.fault} fault${stats.fault === 1 ? '' : 's'}` : '',
    stats.throttle ? `${stats.throttle} throttle${stats.throttle === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  if (problems.length) lines.push(problems.join(' · '));
  return lines;
}

/** A node's label lines: name and type (the client only its name). */
export const nodeLabel = (node: GraphNode): string[] =>
  node.type === 'client' ? [node.name] : [node.name, node.type];

/** A DOT quoted string: backslashes and quotes escaped, line breaks as DOT's centred `\n`. */
const dotString = (text: string) =>
  `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/**
 * The graph in Graphviz DOT, left to right, nodes filled by health and edges labelled with
 * {@link edgeLabel}. Ids are `n0`, `n1`… in node order, so no name needs escaping as an id.
 */
export function toDot(graph: ServiceGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = [
    'digraph ServiceMap {',
    '  rankdir=LR;',
    '  bgcolor="white";',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, penwidth=1.5];',
    '  edge [fontname="Helvetica", fontsize=9, color="#546e7a"];',
  ];
  for (const n of graph.nodes) {
    const c = HEALTH_COLOURS[n.health];
    const shape = n.type === 'client' ? ', shape=ellipse' : '';
    lines.push(
      `  ${ids.get(n.id)} [label=${dotString(nodeLabel(n).join('\n'))}, fillcolor="${c.fill}", color="${c.line}"${shape}];`,
    );
  }
  for (const e of graph.edges) {
    const colour =
      e.health === 'ok'
        ? ''
        : `, color="${HEALTH_COLOURS[e.health].line}", fontcolor="${HEALTH_COLOURS[e.health].line}"`;
    lines.push(
      `  ${ids.get(e.from)} -> ${ids.get(e.to)} [label=${dotString(edgeLabel(e.stats).join('\n'))}${colour}];`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

let viz: Promise<Viz> | undefined;

/**
 * Lays out and draws DOT as SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no browser,
 * no system Graphviz. The WASM module is instantiated once per process.
 * @throws RenderError when Graphviz refuses the input.
 */
export async function dotToSvg(dot: string): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: 'svg' });
  if (result.status !== 'success')
    throw new RenderError(
      `Graphviz could not draw the service map: ${result.errors.map((e) => e.message).join('; ')}`,
    );
  return result.output;
}

let resvg: Promise<void> | undefined;

/** The TTF the PNG's text is drawn with: resvg-wasm sees no system fonts. */
export const FONT_FILES = [
  require.resolve('@expo-google-fonts/roboto/400Regular/Roboto_400Regular.ttf'),
  require.resolve('@expo-google-fonts/roboto/700Bold/Roboto_700Bold.ttf'),
];

let fonts: Uint8Array[] | undefined;

/**
 * Rasterizes SVG to PNG with resvg compiled to WebAssembly (@resvg/resvg-wasm), drawing every
 * text in Roboto (from `@expo-google-fonts/roboto`, whatever family the SVG asks for) at twice
 * the SVG's size, on white.
 */
export async function svgToPng(svg: string, options: { zoom?: number } = {}): Promise<Uint8Array> {
  resvg ??= initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  await resvg;
  fonts ??= FONT_FILES.map((file) => new Uint8Array(readFileSync(file)));
  const renderer = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: options.zoom ?? 2 },
    font: {
      fontBuffers: fonts,
      defaultFontFamily: 'Roboto',
      sansSerifFamily: 'Roboto',
      serifFamily: 'Roboto',
      monospaceFamily: 'Roboto',
    },
  });
  try {
    const image = renderer.render();
    const png = image.asPng();
    image.free();
    return png;
  } finally {
    renderer.free();
  }
}

/**
 * Escapes text for a quoted Mermaid label: `#` `"` `<` `>` become Mermaid's entity codes
 * (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters).
 */
export const mermaidText = (text: string): string =>
  text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

/**
 * The graph as a Mermaid `flowchart LR` in a fenced block for Markdown: node ids `n0`, `n1`…,
 * labels quoted and escaped ({@link mermaidText}), one `classDef` per health in use.
 */
export function toMermaid(graph: ServiceGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['```mermaid', 'flowchart LR'];
  for (const n of graph.nodes) {
    const label = `"${nodeLabel(n).map(mermaidText).join('<br/>')}"`;
    lines.push(`  ${ids.get(n.id)}${n.type === 'client' ? `((${label}))` : `[${label}]`}`);
  }
  graph.edges.forEach((e: GraphEdge) => {
    const label = edgeLabel(e.stats).map(mermaidText).join('<br/>');
    lines.push(`  ${ids.get(e.from)} -->|"${label}"| ${ids.get(e.to)}`);
  });
  graph.edges.forEach((e, index) => {
    if (e.health === 'ok') return;
    const line = HEALTH_COLOURS[e.health].line;
    lines.push(`  linkStyle ${index} stroke:${line},color:${line}`);
  });
  for (const health of Object.keys(HEALTH_COLOURS) as Health[]) {
    const members = graph.nodes.filter((n) => n.health === health).map((n) => ids.get(n.id));
    if (!members.length) continue;
    const c = HEALTH_COLOURS[health];
    lines.push(`  classDef ${health} fill:${c.fill},stroke:${c.line},color:#212121`);
    lines.push(`  class ${members.join(',')} ${health}`);
  }
  lines.push('```');
  return `${lines.join('\n')}\n`;
}
