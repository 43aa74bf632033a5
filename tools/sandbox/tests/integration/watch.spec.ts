/**
 * `npm run sandbox` (cli.ts --watch) as a user meets it: a separate process that prints its S3
 * endpoint and credentials, runs the media flow for an upload made with a plain S3 client
 * configured only from what it printed, and stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const REPO = join(__dirname, '../../../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');

let child: ChildProcess;
let stdout = '';

async function waitForOutput(pattern: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
  const end = Date.now() + ms;
  for (;;) {
    const match = stdout.match(pattern);
    if (match) return match;
    if (child.exitCode !== null) throw new Error(`watch mode exited early:\n${stdout}`);
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${pattern}; output so far:\n${stdout}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(() => {
  child = spawn(
    TSX,
    ['tools/sandbox/src/cli.ts', '--watch', '--work-dir', 'dist/sandbox-watch-test'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
});
afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

it('runs the flow for an upload made with any S3 client, then stops on SIGTERM', async () => {
  // Prepare: everything the client needs comes from what watch mode printed.
  const [, endpoint, region, accessKeyId, secretAccessKey] = await waitForOutput(
    /Local S3: (http:\/\/127\.0\.0\.1:\d+)\s+\(region (\S+), access key (\S+), secret (\S+),/,
  );
  const [, bucket] = await waitForOutput(/Upload under s3:\/\/([^/]+)\/uploads\//);
  const s3 = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });

  // Act
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: 'uploads/watch/small.png',
      Body: readFileSync(join(REPO, 'libs/media/tests/fixtures/images/small.png')),
      ContentType: 'image/png',
    }),
  );
  const [, manifestKey] = await waitForOutput(
    /uploads\/watch\/small\.png: [\s\S]*?manifest: (\S+)/,
  );

  // Assess: the printed manifest exists and lists the thumbnails.
  const manifest = JSON.parse(
    await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: manifestKey }))
    ).Body!.transformToString(),
  ) as { derived: { role: string }[] };
  expect(manifest.derived.filter((d) => d.role === 'thumbnail').length).toBeGreaterThanOrEqual(2);
  expect(stdout).toMatch(/uploads\/watch\/small\.png: SUCCEEDED/);
  s3.destroy();

  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
