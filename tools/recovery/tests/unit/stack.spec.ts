import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetFunctionCommand,
  LambdaClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import {
  GetObjectCommand,
  NoSuchKey,
  S3Client,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { buildSync } from 'esbuild';
import {
  decodeStack,
  FunctionNotDeployedError,
  InvalidSourceMapError,
  loadSourceMap,
  main,
  NoStackFramesError,
  parseArgs,
  SourceMapMismatchError,
  SourceMapNotFoundError,
  UsageError,
  type CliIo,
} from '../../src';

const FIXTURE = join(__dirname, '../fixtures/stack');
const LAMBDA = 'stack-demo';
const scratch = mkdtempSync(join(tmpdir(), 'stack-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A checkout with the fixture Lambda built as `package` leaves it: handler.js minified by esbuild
 * with an external map (no sourceMappingURL), the map at dist/apps/<lambda>/<lambda>.js.map with
 * sources relative to that folder, and the zip's sha256 beside it.
 */
function checkout(): { root: string; bundle: string; mapFile: string } {
  const root = mkdtempSync(join(scratch, 'ws-'));
  cpSync(FIXTURE, root, { recursive: true });
  const out = join(root, 'dist/apps', LAMBDA);
  buildSync({
    entryPoints: [join(root, 'apps', LAMBDA, 'src/handler.ts')],
    outfile: join(out, 'handler.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    minify: true,
    sourcemap: 'external',
    logLevel: 'silent',
  });
  const mapFile = join(out, `${LAMBDA}.js.map`);
  cpSync(join(out, 'handler.js.map'), mapFile);
  rmSync(join(out, 'handler.js.map'));
  writeFileSync(join(out, `${LAMBDA}.zip.sha256`), ZIP_SHA256);
  mkdirSync(join(root, 'terraform/stacks'), { recursive: true });
  writeFileSync(
    join(root, 'terraform/stacks/environments.json'),
    JSON.stringify({
      namePrefix: 'slipway',
      environments: { dev: { accountId: '111111111111', region: 'eu-west-1' } },
    }),
  );
  return { root, bundle: join(out, 'handler.js'), mapFile };
}

/** The stack of the error the bundle really throws, as Node prints it, with Lambda's path. */
function realTrace(bundle: string): string {
  const stack = execFileSync(
    process.execPath,
    ['-e', 'require(process.argv[1]).handler({}).catch((e) => console.log(e.stack))', bundle],
    { encoding: 'utf8' },
  );
  return stack
    .split('\n')
    .filter((l) => l.includes('handler.js') || l.startsWith('Error'))
    .join('\n')
    .replaceAll(bundle, '/var/task/handler.js');
}

const ZIP_SHA256 = createHash('sha256').update('the zip').digest('base64');

/** What the fixture's three frames decode to: the throw, the arrow that calls it, the handler. */
const DECODED = [
  'Error: denied: no token',
  '    at libs/demo/src/fail.ts:4:11 (Gate.check)',
  '    at libs/demo/src/fail.ts:8:59 (deny)',
  '    at apps/stack-demo/src/handler.ts:4:28 (handler)',
];

const lambdaMock = mockClient(LambdaClient);
const s3Mock = mockClient(S3Client);
beforeEach(() => {
  lambdaMock.reset();
  s3Mock.reset();
});

describe('decodeStack', () => {
  const { root, bundle, mapFile } = checkout();
  const trace = realTrace(bundle);

  it('maps every handler.js frame of a real trace to its TypeScript line, column and function', async () => {
    // Prepare
    const loaded = await loadSourceMap({ lambda: LAMBDA }, root);

    // Act
    const decoded = decodeStack(trace, loaded, LAMBDA);

    // Assess
    expect(trace.split('\n')).toHaveLength(4);
    expect(trace).toMatch(/^ {4}at i\.check \(\/var\/task\/handler\.js:1:\d+\)$/m);
    expect(decoded.split('\n')).toEqual(DECODED);
    expect(loaded.from).toBe(`dist/apps/${LAMBDA}/${LAMBDA}.js.map`);
  });

  it('keeps frames that are not in the bundle as they are', async () => {
    const loaded = await loadSourceMap({ map: mapFile, lambda: LAMBDA }, root);
    const runtime =
      '    at async Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1206:29)';

    expect(decodeStack(`${trace}\n${runtime}`, loaded, LAMBDA).split('\n')).toEqual([
      ...DECODED,
      runtime,
    ]);
  });

  it("decodes the runtime's Invoke Error line of CloudWatch Logs (stack as an array)", async () => {
    // Prepare
    const loaded = await loadSourceMap({ lambda: LAMBDA }, root);
    const [first, ...frames] = trace.split('\n');
    const record = {
      errorType: 'Error',
      errorMessage: 'denied: no token',
      stack: [first, ...frames],
    };
    const line = `2026-12-03T10:00:00.000Z\t6d0f2c1e-0000-4000-8000-000000000001\tERROR\tInvoke Error \t${JSON.stringify(record)}`;

    // Act
    const decoded = decodeStack(line, loaded, LAMBDA);

    // Assess
    expect(decoded.split('\n')).toEqual([
      '2026-12-03T10:00:00.000Z\t6d0f2c1e-0000-4000-8000-000000000001\tERROR\tInvoke Error',
      ...DECODED,
    ]);
  });

  it("decodes a Powertools JSON log's error location and stack", async () => {
    // Prepare
    const loaded = await loadSourceMap({ lambda: LAMBDA }, root);
    const location = /\((\/var\/task\/handler\.js:\d+:\d+)\)/.exec(trace)![1];
    const log = {
      level: 'ERROR',
      message: 'authorizer failed',
      service: LAMBDA,
      error: { name: 'Error', location, message: 'denied: no token', stack: trace },
    };

    // Act
    const decoded = decodeStack(JSON.stringify(log), loaded, LAMBDA);

    // Assess
    expect(decoded.split('\n')).toEqual([
      'error.location: libs/demo/src/fail.ts:4:11 (Gate.check)',
      ...DECODED,
    ]);
  });

  it('refuses a frame outside the map, saying the map is not from that build', async () => {
    // Prepare: the real trace, one frame moved to a line the bundle does not have.
    const loaded = await loadSourceMap({ lambda: LAMBDA }, root);
    const broken = trace.replace(/handler\.js:1:(\d+)\)$/m, 'handler.js:40:$1)');

    // Act
    const act = () => decodeStack(broken, loaded, LAMBDA);

    // Assess
    expect(act).toThrow(SourceMapMismatchError);
    expect(act).toThrow(
      new RegExp(
        `^handler\\.js:40:\\d+ is outside the source map dist/apps/${LAMBDA}/${LAMBDA}\\.js\\.map \\(no mapping there\\): the map is not from the build that printed this trace\\. Use the deployed code's map \\(--environment <env>, found by the function's CodeSha256\\) or the map of that build \\(--map, or package the deployed commit: npx nx run ${LAMBDA}:package\\)\\.$`,
      ),
    );
  });

  it('refuses an input without any handler.js frame', async () => {
    const loaded = await loadSourceMap({ lambda: LAMBDA }, root);

    expect(() =>
      decodeStack('Error: denied\n    at x (/tmp/other.js:1:2)', loaded, LAMBDA),
    ).toThrow(new NoStackFramesError(LAMBDA).message);
  });
});

describe('loadSourceMap', () => {
  it('says where it looked and what to do when there is no map', async () => {
    // Prepare: a checkout whose map was not packaged.
    const { root, mapFile } = checkout();
    rmSync(mapFile);

    // Act
    const act = loadSourceMap({ lambda: LAMBDA }, root);

    // Assess
    await expect(act).rejects.toThrow(SourceMapNotFoundError);
    await expect(loadSourceMap({ lambda: LAMBDA }, root)).rejects.toThrow(
      `no source map for ${LAMBDA}: --map not given and dist/apps/${LAMBDA}/${LAMBDA}.js.map does not exist. Package it (npx nx run ${LAMBDA}:package) at the commit that is deployed, or pass --environment <env> to fetch the deployed function’s map from the artifact bucket.`,
    );
  });

  it('names a --map file that does not exist', async () => {
    const { root } = checkout();

    await expect(
      loadSourceMap({ lambda: LAMBDA, map: join(root, 'nope.map') }, root),
    ).rejects.toThrow(
      `--map ${join(root, 'nope.map')} does not exist: give the path of the <lambda>.js.map that package wrote beside the zip, or drop --map to use dist/apps/${LAMBDA}/${LAMBDA}.js.map.`,
    );
  });

  it('refuses a file that is not a source map', async () => {
    // Prepare: a valid map with its mappings removed.
    const { root, mapFile } = checkout();
    const map = JSON.parse(readFileSync(mapFile, 'utf8'));
    delete map.mappings;
    writeFileSync(mapFile, JSON.stringify(map));

    // Act
    const act = loadSourceMap({ lambda: LAMBDA }, root);

    // Assess
    await expect(act).rejects.toThrow(InvalidSourceMapError);
    await expect(loadSourceMap({ lambda: LAMBDA }, root)).rejects.toThrow(
      `dist/apps/${LAMBDA}/${LAMBDA}.js.map is not a source map: it has no version 3, mappings and sources. Give the <lambda>.js.map that package writes beside the zip.`,
    );
  });

  it("fetches the deployed function's map from the artifact bucket by its CodeSha256", async () => {
    // Prepare: the deployed code is not this checkout's zip; the bucket holds its map.
    const { root, bundle, mapFile } = checkout();
    const deployed = createHash('sha256').update('the deployed zip').digest();
    lambdaMock
      .on(GetFunctionCommand)
      .resolves({ Configuration: { CodeSha256: deployed.toString('base64') } });
    const published = readFileSync(mapFile, 'utf8');
    s3Mock.on(GetObjectCommand).resolves({
      Body: { transformToString: async () => published },
    } as unknown as GetObjectCommandOutput);
    rmSync(mapFile);

    // Act
    const loaded = await loadSourceMap({ lambda: LAMBDA, environment: 'dev' }, root);

    // Assess
    const key = `dev/${LAMBDA}/${deployed.toString('hex')}.js.map`;
    expect(loaded.from).toBe(`s3://slipway-artifacts-111111111111/${key}`);
    expect(lambdaMock.commandCalls(GetFunctionCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: `slipway-dev-${LAMBDA}` },
    ]);
    expect(s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'slipway-artifacts-111111111111', Key: key },
    ]);
    expect(decodeStack(realTrace(bundle), loaded, LAMBDA).split('\n')).toEqual(DECODED);
  });

  it("uses this checkout's map, without asking S3, when its zip is the deployed code", async () => {
    const { root } = checkout();
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: { CodeSha256: ZIP_SHA256 } });

    const loaded = await loadSourceMap({ lambda: LAMBDA, environment: 'dev', bucket: 'b' }, root);

    expect(loaded.from).toBe(`dist/apps/${LAMBDA}/${LAMBDA}.js.map`);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('says where it looked when the bucket has no map for the deployed code', async () => {
    // Prepare
    const { root, mapFile } = checkout();
    rmSync(mapFile);
    const deployed = createHash('sha256').update('old zip').digest();
    lambdaMock
      .on(GetFunctionCommand)
      .resolves({ Configuration: { CodeSha256: deployed.toString('base64') } });
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'NoSuchKey', $metadata: {} }));

    // Act
    const act = loadSourceMap({ lambda: LAMBDA, environment: 'dev', bucket: 'my-artifacts' }, root);

    // Assess
    await expect(act).rejects.toThrow(
      `no source map for slipway-dev-${LAMBDA} (CodeSha256 ${deployed.toString('base64')}): s3://my-artifacts/dev/${LAMBDA}/${deployed.toString('hex')}.js.map does not exist, and dist/apps/${LAMBDA}/${LAMBDA}.js.map does not exist. The code was published before maps were, or not by publish-artifacts: check out the deployed commit, package it (npx nx run ${LAMBDA}:package; the zip is reproducible, so its sha256 must equal ${deployed.toString('base64')}) and pass --map dist/apps/${LAMBDA}/${LAMBDA}.js.map.`,
    );
  });

  it('names a function the environment does not have', async () => {
    const { root } = checkout();
    lambdaMock
      .on(GetFunctionCommand)
      .rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));

    const act = loadSourceMap({ lambda: LAMBDA, environment: 'dev' }, root);

    await expect(act).rejects.toThrow(FunctionNotDeployedError);
    await expect(loadSourceMap({ lambda: LAMBDA, environment: 'dev' }, root)).rejects.toThrow(
      `cannot find the code of slipway-dev-${LAMBDA} in dev (eu-west-1): Lambda has no such function. Check --function (the Lambda's name in apps/) and --environment, or pass --map.`,
    );
  });
});

describe('slipway stack (CLI)', () => {
  const buffers = (input: string) => {
    const out = { stdout: '', stderr: '' };
    const io: CliIo = {
      write: (t) => void (out.stdout += t),
      error: (t) => void (out.stderr += t),
      read: async () => input,
    };
    return { out, io };
  };

  it('reads the trace from stdin and prints it decoded, saying which map it used', async () => {
    // Prepare
    const { root, bundle } = checkout();
    const { out, io } = buffers(realTrace(bundle));

    // Act
    const code = await main(['stack', '--function', LAMBDA], io, undefined, { root });

    // Assess
    expect(code).toBe(0);
    expect(out.stdout).toBe(`${DECODED.join('\n')}\n`);
    expect(out.stderr).toBe(`slipway stack: decoded with dist/apps/${LAMBDA}/${LAMBDA}.js.map\n`);
  });

  it('exits 1 with one line when the map is missing', async () => {
    const { root, mapFile } = checkout();
    rmSync(mapFile);
    const { out, io } = buffers('    at x (/var/task/handler.js:1:1)');

    const code = await main(['stack', '--function', LAMBDA], io, undefined, { root });

    expect(code).toBe(1);
    expect(out.stderr).toMatch(
      /^slipway stack: no source map for stack-demo: --map not given and /,
    );
    expect(out.stdout).toBe('');
  });

  it.each([
    [
      ['stack'],
      'stack needs --function <lambda> (the name of its folder in apps/, e.g. edge-authorizer)',
    ],
    [
      ['stack', '--function', 'slipway-dev-Edge'],
      '--function "slipway-dev-Edge" is not a Lambda\'s name: give the name of its folder in apps/ (kebab-case, e.g. edge-authorizer), not the deployed function\'s name or ARN.',
    ],
    [
      ['stack', '--function', LAMBDA, '--map', 'x.map', '--environment', 'dev'],
      '--map and --environment both name a map: give --map <file> or --environment <env>, not both.',
    ],
    [
      ['stack', '--function', LAMBDA, '--bucket', 'b'],
      '--bucket needs --environment <env>: the map is found there by the deployed function’s CodeSha256.',
    ],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('parses the flags of the bucket path', () => {
    expect(
      parseArgs(['stack', '--function', LAMBDA, '--environment=dev', '--bucket', 'my-artifacts']),
    ).toEqual({
      command: 'stack',
      options: { lambda: LAMBDA, environment: 'dev', bucket: 'my-artifacts' },
    });
  });
});
