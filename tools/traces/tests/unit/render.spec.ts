import { join } from 'node:path';
import { buildServiceGraph, statsOf, type ServiceGraph, type Stats } from '../../src/graph';
import { dotToSvg, edgeLabel, mermaidText, svgToPng, toDot, toMermaid } from '../../src/render';
import { readSegments } from '../../src/segments';

const failingTask = (): ServiceGraph =>
  buildServiceGraph(readSegments(join(__dirname, '../fixtures/failing-task.jsonl')));

const stats = (fields: Partial<Stats>): Stats => ({ ...statsOf([]), ...fields });

describe('edgeLabel', () => {
  it.each<[string, Partial<Stats>, string[]]>([
    ['clean', { count: 3, ok: 3, p50Ms: 12, p99Ms: 40.5 }, ['3 req · p50 12 ms · p99 40.5 ms']],
    [
      'every problem',
      { count: 9, ok: 3, error: 4, fault: 2, throttle: 1, p50Ms: 1.5, p99Ms: 300 },
      ['9 req · p50 1.5 ms · p99 300 ms', '4 errors · 2 faults · 1 throttle'],
    ],
    [
      'one fault',
      { count: 1, fault: 1, p50Ms: 7, p99Ms: 7 },
      ['1 req · p50 7 ms · p99 7 ms', '1 fault'],
    ],
    ['in progress only', { count: 1, ok: 1 }, ['1 req · p50 - ms · p99 - ms']],
  ])('%s', (_name, fields, label) => {
    expect(edgeLabel(stats(fields))).toEqual(label);
  });
});

describe('toDot', () => {
  it('draws the failing Task trace left to right, nodes and problem edges coloured by health', () => {
    expect(toDot(failingTask())).toBe(
      [
        'digraph ServiceMap {',
        '  rankdir=LR;',
        '  bgcolor="white";',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, penwidth=1.5];',
        '  edge [fontname="Helvetica", fontsize=9, color="#546e7a"];',
        '  n0 [label="client", fillcolor="#e8f5e9", color="#2e7d32", shape=ellipse];',
        '  n1 [label="slipway-local-media\\nAWS::StepFunctions::StateMachine", fillcolor="#e8f5e9", color="#2e7d32"];',
        '  n2 [label="slipway-local-media-uploads\\nAWS::S3::Bucket", fillcolor="#fff8e1", color="#f9a825"];',
        '  n3 [label="slipway-local-media-validate\\nAWS::Lambda", fillcolor="#fff8e1", color="#f9a825"];',
        '  n4 [label="slipway-local-media-validate\\nAWS::Lambda::Function", fillcolor="#ffebee", color="#c62828"];',
        '  n0 -> n1 [label="1 req · p50 300 ms · p99 300 ms"];',
        '  n1 -> n3 [label="1 req · p50 198 ms · p99 198 ms\\n1 fault", color="#c62828", fontcolor="#c62828"];',
        '  n3 -> n4 [label="1 req · p50 190 ms · p99 190 ms\\n1 fault", color="#c62828", fontcolor="#c62828"];',
        '  n4 -> n2 [label="1 req · p50 20 ms · p99 20 ms\\n1 error", color="#f9a825", fontcolor="#f9a825"];',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('escapes quotes and backslashes in names', () => {
    const graph = failingTask();
    graph.nodes[1]!.name = 'say "hi" \\ bye';
    expect(toDot(graph)).toContain(
      '  n1 [label="say \\"hi\\" \\\\ bye\\nAWS::StepFunctions::StateMachine", fillcolor="#e8f5e9", color="#2e7d32"];',
    );
  });
});

describe('toMermaid', () => {
  it('writes a flowchart LR block with escaped labels, link colours and one class per health', () => {
    expect(toMermaid(failingTask())).toBe(
      [
        '```mermaid',
        'flowchart LR',
        '  n0(("client"))',
        '  n1["slipway-local-media<br/>AWS::StepFunctions::StateMachine"]',
        '  n2["slipway-local-media-uploads<br/>AWS::S3::Bucket"]',
        '  n3["slipway-local-media-validate<br/>AWS::Lambda"]',
        '  n4["slipway-local-media-validate<br/>AWS::Lambda::Function"]',
        '  n0 -->|"1 req · p50 300 ms · p99 300 ms"| n1',
        '  n1 -->|"1 req · p50 198 ms · p99 198 ms<br/>1 fault"| n3',
        '  n3 -->|"1 req · p50 190 ms · p99 190 ms<br/>1 fault"| n4',
        '  n4 -->|"1 req · p50 20 ms · p99 20 ms<br/>1 error"| n2',
        '  linkStyle 1 stroke:#c62828,color:#c62828',
        '  linkStyle 2 stroke:#c62828,color:#c62828',
        '  linkStyle 3 stroke:#f9a825,color:#f9a825',
        '  classDef ok fill:#e8f5e9,stroke:#2e7d32,color:#212121',
        '  class n0,n1 ok',
        '  classDef error fill:#fff8e1,stroke:#f9a825,color:#212121',
        '  class n2,n3 error',
        '  classDef fault fill:#ffebee,stroke:#c62828,color:#212121',
        '  class n4 fault',
        '```',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['plain-name/stage', 'plain-name/stage'],
    ['a "quoted" name', 'a #quot;quoted#quot; name'],
    ['<script>', '#lt;script#gt;'],
    ['#1 & co', '#35;1 & co'],
  ])('mermaidText(%j) = %j', (text, escaped) => {
    expect(mermaidText(text)).toBe(escaped);
  });
});

describe('dotToSvg and svgToPng', () => {
  let svg: string;
  beforeAll(async () => {
    svg = await dotToSvg(toDot(failingTask()));
  });

  it('lays the map out as SVG with every node name and edge label', () => {
    expect(svg.startsWith('<?xml')).toBe(true);
    for (const text of [
      'client',
      'slipway-local-media',
      'AWS::StepFunctions::StateMachine',
      'slipway-local-media-uploads',
      'AWS::S3::Bucket',
      'slipway-local-media-validate',
      'AWS::Lambda::Function',
      '1 req · p50 198 ms · p99 198 ms',
      '1 fault',
      '1 error',
    ])
      // Graphviz writes a hyphen as the entity &#45;.
      expect(svg).toContain(`>${text.replace(/-/g, '&#45;')}</text>`);
  });

  it('says what Graphviz refused', async () => {
    await expect(dotToSvg('digraph { a -> }')).rejects.toThrow(
      /^Graphviz could not draw the service map: syntax error in line 1 near '}'/,
    );
  });

  it('rasterizes the SVG to a PNG with its text drawn', async () => {
    const png = Buffer.from(await svgToPng(svg));
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    // Text drawn with the bundled font makes the picture far larger than the same boxes blank.
    const blank = Buffer.from(await svgToPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, '')));
    expect(png.length).toBeGreaterThan(20_000);
    expect(png.length).toBeGreaterThan(blank.length * 1.5);
  });
});
