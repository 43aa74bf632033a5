import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lambdaEnvironment, parseManifest } from '@slipway/manifest';
import { writeDeterministicZip } from '@slipway/nx-plugin';
import { LocalLambda } from '../../src/local-lambda';

// A manifest's `heap` (GitHub issue 17) reaches a local function the way it reaches Lambda: as
// NODE_OPTIONS in the environment lambdaEnvironment derives, and nothing on the command line
// overrides it. Real Node processes, run by the sandbox's own local-lambda runner.

const FIXTURE = join(__dirname, '../fixtures/heap/handler.cjs');
let workDir: string;
const started: LocalLambda[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'local-lambda-heap-'));
});

afterAll(async () => {
  await Promise.all(started.map((l) => l.stop()));
  await rm(workDir, { recursive: true, force: true });
});

async function run(name: string, heap?: { maxOldSpaceMb: number; maxSemiSpaceMb?: number }) {
  const zipFile = join(workDir, `${name}.zip`);
  const { sha256 } = await writeDeterministicZip(
    [{ path: 'handler.js', data: readFileSync(FIXTURE) }],
    zipFile,
  );
  await writeFile(`${zipFile}.sha256`, sha256);
  const manifest = parseManifest(
    {
      name,
      domain: 'etl',
      description: 'heap fixture',
      memory: 1024,
      timeout: 10,
      architecture: process.arch === 'arm64' ? 'arm64' : 'x86_64',
      ...(heap ? { heap } : {}),
    },
    `apps/${name}/lambda.manifest.json`,
  );
  const lambda = new LocalLambda({
    manifest,
    zipFile,
    functionName: `slipway-test-${name}`,
    environment: lambdaEnvironment(manifest, { environment: 'local', buckets: {} }),
    cacheDir: join(workDir, 'functions'),
    logFile: join(workDir, 'logs', `${name}.log`),
  });
  started.push(lambda);
  const result = await lambda.invoke({});
  if (!result.ok) throw new Error(`the fixture failed: ${JSON.stringify(result.error)}`);
  return result.result;
}

describe('local-lambda and a manifest heap', () => {
  it('runs a function with heap under its NODE_OPTIONS limits', async () => {
    // Act
    const payload = await run('heap-bounded', { maxOldSpaceMb: 128, maxSemiSpaceMb: 8 });

    // Assess: old space 128 + young generation 3 × 8 MB.
    expect(payload).toEqual({
      heapSizeLimitMb: 152,
      nodeOptions: '--max-old-space-size=128 --max-semi-space-size=8',
    });
  });

  it('keeps the default limit (80 % of memory) for a function without heap', async () => {
    // Act
    const payload = await run('heap-default');

    // Assess: old space 819 MB + V8's default young generation.
    expect(payload).toEqual({ heapSizeLimitMb: 867, nodeOptions: null });
  });
});
