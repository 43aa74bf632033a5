/**
 * publish-artifacts against a real S3-compatible server (s3rver on 127.0.0.1) with real packaged
 * zips: uploads only absent keys, stores exactly the bytes its key names, and refuses a package
 * whose .sha256 file lies.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { PublishReport } from '../../src/artifacts';
import { main } from '../../src/publish-artifacts';
import { REPO } from './workspace';

const BUCKET = 'slipway-artifacts-111111111111';
const LAMBDAS = ['etl-publish', 'etl-reconcile'];

/** Runs the CLI in-process on the workspace `root`; returns its exit code and output. */
async function publishCli(root: string, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    { write: (s) => void out.push(s), error: (s) => void err.push(s) },
    root,
  );
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** A workspace with the real environments.json and the real manifests and packages of `names`. */
function workspace(names: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'delivery-publish-'));
  mkdirSync(join(root, 'terraform/stacks'), { recursive: true });
  cpSync(
    join(REPO, 'terraform/stacks/environments.json'),
    join(root, 'terraform/stacks/environments.json'),
  );
  for (const name of names) {
    cpSync(
      join(REPO, 'apps', name, 'lambda.manifest.json'),
      join(root, 'apps', name, 'lambda.manifest.json'),
    );
    for (const file of [`${name}.zip`, `${name}.zip.sha256`])
      cpSync(join(REPO, 'dist/apps', name, file), join(root, 'dist/apps', name, file));
  }
  return root;
}

let server: S3rver;
let s3Directory: string;
let endpoint: string;
let s3: S3Client;
let root: string;
const saved = { ...process.env };

beforeAll(async () => {
  // Prepare: an empty artifact bucket on a local S3 server; s3rver's fixed credentials.
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: (s3Directory = mkdtempSync(join(tmpdir(), 'delivery-s3-'))),
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = (await server.run()) as { port: number };
  endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  s3 = new S3Client({
    endpoint,
    region: 'eu-west-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  root = workspace(LAMBDAS);
});

afterAll(async () => {
  process.env = saved;
  s3?.destroy();
  await server?.close();
  for (const folder of [root, s3Directory])
    if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Every key of the bucket. */
async function keys(): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((o) => o.Key as string).sort();
}

const args = ['--environment', 'dev', '--format', 'json'];

describe('publish-artifacts on a local S3', () => {
  it('uploads every zip on the first run, under a key whose hex sha256 is that of the stored bytes', async () => {
    // Act
    const run = await publishCli(root, [...args, '--endpoint', endpoint]);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as PublishReport;
    expect(report).toMatchObject({ bucket: BUCKET, uploaded: LAMBDAS.length, present: 0 });
    expect(await keys()).toEqual(report.artifacts.map((a) => a.key).sort());
    for (const artifact of report.artifacts) {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: artifact.key }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      const hex = createHash('sha256').update(bytes).digest('hex');
      expect(artifact.key).toBe(`dev/${artifact.lambda}/${hex}.zip`);
      expect(createHash('sha256').update(bytes).digest('base64')).toBe(artifact.sha256);
    }
  });

  it('uploads nothing on a second run: every key is already there', async () => {
    // Prepare
    const before = await keys();

    // Act
    const run = await publishCli(root, ['--environment', 'dev', '--endpoint', endpoint]);

    // Assess: the table for people, and the bucket untouched.
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`dev: 0 uploaded, ${LAMBDAS.length} already present`);
    expect(await keys()).toEqual(before);
  });

  it('uploads only the changed zip, next to the previous one, and a dry run only reports it', async () => {
    // Prepare: a different zip for etl-reconcile, with a matching .sha256 file.
    const zip = join(root, 'dist/apps/etl-reconcile/etl-reconcile.zip');
    appendFileSync(zip, Buffer.from('a different build'));
    const sha256 = createHash('sha256').update(readFileSync(zip)).digest();
    writeFileSync(`${zip}.sha256`, sha256.toString('base64'));
    const before = await keys();

    // Act
    const dry = await publishCli(root, [...args, '--endpoint', endpoint, '--dry-run']);
    const afterDry = await keys();
    const run = await publishCli(root, [...args, '--endpoint', endpoint]);

    // Assess
    expect(JSON.parse(dry.stdout)).toMatchObject({ wouldUpload: 1, uploaded: 0, present: 1 });
    expect(afterDry).toEqual(before);
    expect(JSON.parse(run.stdout)).toMatchObject({ uploaded: 1, present: 1 });
    expect(await keys()).toEqual(
      [...before, `dev/etl-reconcile/${sha256.toString('hex')}.zip`].sort(),
    );
  });

  it('refuses a package whose .sha256 file does not describe its zip, and uploads nothing', async () => {
    // Prepare: the hash of another zip.
    const tampered = workspace(['etl-publish']);
    writeFileSync(
      join(tampered, 'dist/apps/etl-publish/etl-publish.zip.sha256'),
      createHash('sha256').update('another zip').digest('base64'),
    );
    const before = await keys();

    // Act
    const run = await publishCli(tampered, [...args, '--endpoint', endpoint]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /publish-artifacts: dist\/apps\/etl-publish\/etl-publish\.zip\.sha256 says \S+ but dist\/apps\/etl-publish\/etl-publish\.zip hashes to \S+: the zip changed after packaging or the file was edited\. Repackage the Lambda \(npx nx run etl-publish:package --skip-nx-cache\)/,
    );
    expect(await keys()).toEqual(before);
    rmSync(tampered, { recursive: true, force: true });
  });

  it('names a bucket that does not exist', async () => {
    // Act
    const run = await publishCli(root, [
      ...args,
      '--endpoint',
      endpoint,
      '--bucket',
      'no-such-bucket',
    ]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'the artifact bucket no-such-bucket does not exist: apply terraform/bootstrap',
    );
  });
});
