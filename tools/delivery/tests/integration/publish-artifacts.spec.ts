/**
 * publish-artifacts against a real S3-compatible server (s3rver on 127.0.0.1) with real packaged
 * zips: uploads only absent keys, stores exactly the bytes its key names, refuses a package
 * whose .sha256 file lies, and refuses a same-size object with other bytes planted at a key.
 * s3rver stores no ChecksumSHA256, so these runs exercise the x-amz-meta-sha256 path: the
 * metadata written at upload, proved by hashing the downloaded bytes.
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
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
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

/** A workspace with the real environments.json and the real manifests and packages (zip, sha256, source map) of `names`. */
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
    for (const file of [`${name}.zip`, `${name}.zip.sha256`, `${name}.js.map`])
      cpSync(join(REPO, 'dist/apps', name, file), join(root, 'dist/apps', name, file));
  }
  return root;
}

let server: S3rver;
let s3Directory: string;
let endpoint: string;
let s3: S3Client;
let root: string;
/** Further workspaces of single tests, removed in afterAll (also when a test fails). */
const folders: string[] = [];
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
  for (const folder of [root, s3Directory, ...folders])
    if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Every key of the bucket. */
async function keys(): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((o) => o.Key as string).sort();
}

const args = ['--environment', 'dev', '--format', 'json'];

describe('publish-artifacts on a local S3', () => {
  it('uploads every zip and its source map on the first run, under a key whose hex sha256 is that of the stored zip', async () => {
    // Act
    const run = await publishCli(root, [...args, '--endpoint', endpoint]);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as PublishReport;
    expect(report).toMatchObject({ bucket: BUCKET, uploaded: LAMBDAS.length, present: 0 });
    expect(report.sourceMaps).toMatchObject({ uploaded: LAMBDAS.length });
    expect(await keys()).toEqual(report.artifacts.flatMap((a) => [a.key, a.sourceMap.key]).sort());
    for (const artifact of report.artifacts) {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: artifact.key }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      const hex = createHash('sha256').update(bytes).digest('hex');
      expect(artifact.key).toBe(`dev/${artifact.lambda}/${hex}.zip`);
      expect(artifact.sourceMap.key).toBe(`dev/${artifact.lambda}/${hex}.js.map`);
      expect(createHash('sha256').update(bytes).digest('base64')).toBe(artifact.sha256);
      const map = await s3.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: artifact.sourceMap.key }),
      );
      expect(await map.Body!.transformToString()).toBe(
        readFileSync(join(root, 'dist/apps', artifact.lambda, `${artifact.lambda}.js.map`), 'utf8'),
      );
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
    // The changed zip and its map (same map bytes, new zip hash: a new key).
    expect(await keys()).toEqual(
      [
        ...before,
        `dev/etl-reconcile/${sha256.toString('hex')}.zip`,
        `dev/etl-reconcile/${sha256.toString('hex')}.js.map`,
      ].sort(),
    );
  });

  it('refuses a package whose .sha256 file does not describe its zip, and uploads nothing', async () => {
    // Prepare: the hash of another zip.
    const tampered = workspace(['etl-publish']);
    folders.push(tampered);
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
  });

  it.each([
    ['no stored SHA-256', {}, 'no stored SHA-256 (no ChecksumSHA256, no x-amz-meta-sha256)'],
    [
      "the zip's SHA-256 forged as metadata",
      { forged: true },
      'no stored checksum and x-amz-meta-sha256 <hex>, but its bytes hash to SHA-256 <planted>',
    ],
  ])(
    'refuses a same-size object with other bytes planted at the key (%s), and leaves it there',
    async (_case, { forged }: { forged?: boolean }, found) => {
      // Prepare: a new build of etl-publish (valid package); at its key, the same number of
      // bytes with one byte flipped, planted as anyone with s3:PutObject could.
      const changed = workspace(['etl-publish']);
      folders.push(changed);
      const zip = join(changed, 'dist/apps/etl-publish/etl-publish.zip');
      appendFileSync(zip, Buffer.from(`another build, ${found.length}`));
      const bytes = readFileSync(zip);
      const digest = createHash('sha256').update(bytes).digest();
      writeFileSync(`${zip}.sha256`, digest.toString('base64'));
      const key = `dev/etl-publish/${digest.toString('hex')}.zip`;
      const planted = Buffer.from(bytes);
      planted[100] = (planted[100] as number) ^ 0xff;
      const plantedSha = createHash('sha256').update(planted).digest('base64');
      await s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: planted,
          ...(forged ? { Metadata: { sha256: digest.toString('hex') } } : {}),
        }),
      );
      const before = await keys();

      // Act
      const run = await publishCli(changed, [...args, '--endpoint', endpoint]);

      // Assess: exit 1 with the exact message; the bucket and the planted bytes untouched.
      const holds = found.replace('<hex>', digest.toString('hex')).replace('<planted>', plantedSha);
      const why = forged
        ? 'Its metadata claims a SHA-256 that its bytes do not have: it was planted.'
        : 'Without a stored SHA-256 its bytes cannot be told from a planted zip of the same size.';
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr:
          `publish-artifacts: s3://${BUCKET}/${key} holds ${bytes.length} bytes with ${holds}, ` +
          `not the zip its key names (${bytes.length} bytes, SHA-256 ${digest.toString('base64')}). ${why} ` +
          'A content-addressed key is never overwritten: find out who wrote the object (CloudTrail, ' +
          "the bucket's versions), delete that version, and publish again.\n",
      });
      expect(await keys()).toEqual(before);
      const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(planted)).toBe(true);
    },
  );

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
