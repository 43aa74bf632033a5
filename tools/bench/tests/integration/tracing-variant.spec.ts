import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lambdaEnvironment } from '../../src/init-time';
import { discoverLambdas, type BenchTarget } from '../../src/lambdas';
import { buildTracingVariants, TRACING_LAMBDA, type TracingBackend } from '../../src/tracing';

const run = promisify(execFile);
const root = resolve(__dirname, '../../../..');
const TRACE_HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

/** Invokes the bundle's handler once with an event its schema refuses, prints the error's name. */
const INVOKE = `
const { handler } = require(process.argv[1]);
const context = { awsRequestId: 'req-1', functionName: 'slipway-bench', getRemainingTimeInMillis: () => 1000 };
handler({ not: 'a Validate input' }, context).then(
  () => { console.log('@@result resolved'); },
  (error) => { console.log('@@result ' + error.name); },
);
`;

let out: string;
let builds: Record<TracingBackend, BenchTarget>;

/** Package folders of every source in a bundle's source map, e.g. `@opentelemetry/api`. */
function bundledPackages(target: BenchTarget): Set<string> {
  const map = JSON.parse(readFileSync(`${target.bundleFile}.map`, 'utf8')) as { sources: string[] };
  return new Set(
    map.sources.flatMap((s) => s.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? []),
  );
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'slipway-bench-tracing-'));
  const lambda = discoverLambdas(root).find((l) => l.name === TRACING_LAMBDA) as BenchTarget;
  builds = await buildTracingVariants(root, lambda, out);
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('buildTracingVariants (media-validate bundled by esbuild with each backend)', () => {
  it('puts the X-Ray SDK in the xray build only and OpenTelemetry in the otel build only', () => {
    const xray = bundledPackages(builds.xray);
    const otel = bundledPackages(builds.otel);

    expect([xray.has('aws-xray-sdk-core'), xray.has('@aws-lambda-powertools/tracer')]).toEqual([
      true,
      true,
    ]);
    expect([...xray].filter((p) => p.startsWith('@opentelemetry/'))).toEqual([]);
    expect([otel.has('aws-xray-sdk-core'), otel.has('@aws-lambda-powertools/tracer')]).toEqual([
      false,
      false,
    ]);
    expect([...otel].filter((p) => p.startsWith('@opentelemetry/')).sort()).toEqual([
      '@opentelemetry/api',
      '@opentelemetry/context-async-hooks',
      '@opentelemetry/core',
      '@opentelemetry/exporter-trace-otlp-proto',
      '@opentelemetry/id-generator-aws-xray',
      '@opentelemetry/otlp-exporter-base',
      '@opentelemetry/otlp-transformer',
      '@opentelemetry/propagator-aws-xray',
      '@opentelemetry/resources',
      '@opentelemetry/sdk-trace',
      '@opentelemetry/semantic-conventions',
    ]);
    expect(
      [builds.xray, builds.otel].map((b) => [b.name, b.zipFile.startsWith(out)] as const),
    ).toEqual([
      ['media-validate (xray)', true],
      ['media-validate (otel)', true],
    ]);
  });

  it('the otel bundle, invoked once in a Lambda-like process, posts its handler span as OTLP/HTTP protobuf before answering', async () => {
    const posts: { url?: string; type?: string; body: Buffer }[] = [];
    const collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push({
          url: req.url,
          type: req.headers['content-type'],
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    try {
      const port = (collector.address() as AddressInfo).port;
      const child = await run(process.execPath, ['-e', INVOKE, builds.otel.bundleFile], {
        env: {
          ...lambdaEnvironment(builds.otel, 'plain', process.env.PATH),
          _X_AMZN_TRACE_ID: TRACE_HEADER,
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces`,
        },
      });

      // The handler refuses the event (zod), and the span of that failure is still exported.
      expect(child.stdout.split('\n').filter((l) => l.startsWith('@@result'))).toEqual([
        '@@result EventParseError',
      ]);
      expect(posts.map(({ url, type }) => ({ url, type }))).toEqual([
        { url: '/v1/traces', type: 'application/x-protobuf' },
      ]);
      const contains = (bytes: Buffer) => posts[0].body.includes(bytes);
      expect(
        [
          Buffer.from('5759e988bd862e3fe1be46a994272793', 'hex'),
          Buffer.from('53995c3f42cd8ad8', 'hex'),
          Buffer.from('## handler.handler'),
          Buffer.from('correlation_id'),
          Buffer.from('media-validate'),
        ].map(contains),
      ).toEqual([true, true, true, true, true]);
    } finally {
      await new Promise((r) => collector.close(r));
    }
  });
});
