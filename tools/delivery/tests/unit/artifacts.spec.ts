import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  findPackagedLambdas,
  formatReport,
  publishArtifacts,
  type PackagedLambda,
} from '../../src/artifacts';
import {
  ArtifactBucketError,
  ArtifactConflictError,
  MissingPackageError,
  NoCredentialsError,
  PackageIntegrityError,
} from '../../src/errors';

const s3Mock = mockClient(S3Client);
const BUCKET = 'slipway-artifacts-111111111111';
const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A workspace with one manifest and one package per name; `bytes` become the zip. */
function workspace(packages: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'delivery-artifacts-'));
  roots.push(root);
  for (const [name, bytes] of Object.entries(packages)) {
    mkdirSync(join(root, 'apps', name), { recursive: true });
    writeFileSync(join(root, 'apps', name, 'lambda.manifest.json'), '{}');
    mkdirSync(join(root, 'dist/apps', name), { recursive: true });
    writeFileSync(join(root, 'dist/apps', name, `${name}.zip`), bytes);
    writeFileSync(
      join(root, 'dist/apps', name, `${name}.zip.sha256`),
      createHash('sha256').update(bytes).digest('base64'),
    );
    writeFileSync(join(root, 'dist/apps', name, `${name}.js.map`), mapOf(bytes));
  }
  return root;
}

const sha256 = (bytes: string) => createHash('sha256').update(bytes).digest();
/** The source map the workspace writes beside the zip of `bytes`. */
const mapOf = (bytes: string) => `{"version":3,"file":"${bytes}"}`;
/** A GetObject body of `bytes`, as the SDK's stream mixin offers it. */
const body = (bytes: string) =>
  ({
    transformToByteArray: async () => new Uint8Array(Buffer.from(bytes)),
  }) as unknown as GetObjectCommandOutput['Body'];

describe('findPackagedLambdas', () => {
  it('reads every Lambda of apps/ with its zip, size and checked base64 sha256', () => {
    // Prepare
    const root = workspace({ 'b-fn': 'zip b', 'a-fn': 'zip a' });
    mkdirSync(join(root, 'apps', 'not-a-lambda'));

    // Act
    const lambdas = findPackagedLambdas(root);

    // Assess
    expect(lambdas.map(({ name, sha256: hash, size }) => ({ name, hash, size }))).toEqual([
      { name: 'a-fn', hash: sha256('zip a').toString('base64'), size: 5 },
      { name: 'b-fn', hash: sha256('zip b').toString('base64'), size: 5 },
    ]);
  });

  it('refuses a sha256 file that does not describe the zip, naming both files', () => {
    // Prepare
    const root = workspace({ 'a-fn': 'zip a' });
    writeFileSync(join(root, 'dist/apps/a-fn/a-fn.zip'), 'zip a, changed');

    // Act
    const act = () => findPackagedLambdas(root);

    // Assess
    expect(act).toThrow(PackageIntegrityError);
    expect(act).toThrow(
      /dist\/apps\/a-fn\/a-fn\.zip\.sha256 says .+ but dist\/apps\/a-fn\/a-fn\.zip hashes to .+\(npx nx run a-fn:package --skip-nx-cache\)/,
    );
  });

  it('refuses a sha256 file that holds no base64 sha256', () => {
    // Prepare
    const root = workspace({ 'a-fn': 'zip a' });
    writeFileSync(join(root, 'dist/apps/a-fn/a-fn.zip.sha256'), sha256('zip a').toString('hex'));

    // Act
    const act = () => findPackagedLambdas(root);

    // Assess
    expect(act).toThrow(PackageIntegrityError);
    expect(act).toThrow('is not a base64 SHA-256');
  });

  it('names the missing zip and the command that builds it', () => {
    // Prepare
    const root = workspace({});
    mkdirSync(join(root, 'apps', 'a-fn'), { recursive: true });
    writeFileSync(join(root, 'apps', 'a-fn', 'lambda.manifest.json'), '{}');

    // Act
    const act = () => findPackagedLambdas(root);

    // Assess
    expect(act).toThrow(MissingPackageError);
    expect(act).toThrow(
      'dist/apps/a-fn/a-fn.zip is missing: package the Lambda first (npx nx run a-fn:package',
    );
  });

  it('names a missing source map (a package from before maps moved out of the zip)', () => {
    // Prepare: a valid package, its map removed.
    const root = workspace({ 'a-fn': 'zip a' });
    rmSync(join(root, 'dist/apps/a-fn/a-fn.js.map'));

    // Act
    const act = () => findPackagedLambdas(root);

    // Assess
    expect(act).toThrow(
      'dist/apps/a-fn/a-fn.js.map is missing: package the Lambda first (npx nx run a-fn:package, or npx nx run-many -t package for all of them).',
    );
  });

  it('reads the source map beside the zip with its size and sha256', () => {
    const [lambda] = findPackagedLambdas(workspace({ 'a-fn': 'zip a' }));

    expect(lambda!.sourceMap).toMatchObject({
      size: mapOf('zip a').length,
      sha256: sha256(mapOf('zip a')).toString('base64'),
    });
    expect(lambda!.sourceMap.body.toString()).toBe(mapOf('zip a'));
  });
});

describe('publishArtifacts', () => {
  let lambdas: PackagedLambda[];
  const keyOf = (bytes: string, name: string) => `dev/${name}/${sha256(bytes).toString('hex')}.zip`;
  /** The map's key: beside the zip, named by the zip's sha256. */
  const mapKeyOf = (bytes: string, name: string) =>
    `dev/${name}/${sha256(bytes).toString('hex')}.js.map`;
  const publish = (dryRun = false) =>
    publishArtifacts({
      s3: new S3Client({ region: 'eu-west-1' }),
      bucket: BUCKET,
      environment: 'dev',
      lambdas,
      dryRun,
    });

  beforeEach(() => {
    s3Mock.reset();
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    // Keys a test does not name are absent (a test's own answers for a key take precedence).
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    lambdas = findPackagedLambdas(workspace({ 'a-fn': 'zip a', 'b-fn': 'zip b' }));
  });

  it('uploads an absent key with its sha256 for S3 to verify, SSE and If-None-Match, and skips a present one', async () => {
    // Prepare: a-fn is already there (same size, same checksum), b-fn is not.
    s3Mock
      .on(HeadObjectCommand, { Key: keyOf('zip a', 'a-fn') })
      .resolves({ ContentLength: 5, ChecksumSHA256: sha256('zip a').toString('base64') })
      .on(HeadObjectCommand, { Key: keyOf('zip b', 'b-fn') })
      .rejects(s3Error('NotFound', 404));
    s3Mock.on(PutObjectCommand).resolves({});

    // Act
    const report = await publish();

    // Assess
    expect(report.artifacts.map((a) => [a.lambda, a.status, a.key])).toEqual([
      ['a-fn', 'present', keyOf('zip a', 'a-fn')],
      ['b-fn', 'uploaded', keyOf('zip b', 'b-fn')],
    ]);
    expect({ uploaded: report.uploaded, present: report.present }).toEqual({
      uploaded: 1,
      present: 1,
    });
    const puts = s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key)).toEqual([
      keyOf('zip b', 'b-fn'),
      mapKeyOf('zip a', 'a-fn'),
      mapKeyOf('zip b', 'b-fn'),
    ]);
    expect(puts[0]).toMatchObject({
      Bucket: BUCKET,
      Key: keyOf('zip b', 'b-fn'),
      ChecksumSHA256: sha256('zip b').toString('base64'),
      ServerSideEncryption: 'AES256',
      IfNoneMatch: '*',
      ContentType: 'application/zip',
      Metadata: { lambda: 'b-fn', sha256: sha256('zip b').toString('hex') },
    });
    expect(Buffer.from(puts[0]!.Body as Uint8Array).toString()).toBe('zip b');
    expect(puts[2]).toMatchObject({
      Key: mapKeyOf('zip b', 'b-fn'),
      ChecksumSHA256: sha256(mapOf('zip b')).toString('base64'),
      ServerSideEncryption: 'AES256',
      IfNoneMatch: '*',
      ContentType: 'application/json',
      Metadata: { lambda: 'b-fn', sha256: sha256(mapOf('zip b')).toString('hex') },
    });
    expect(Buffer.from(puts[2]!.Body as Uint8Array).toString()).toBe(mapOf('zip b'));
    expect(report.artifacts.map((a) => [a.sourceMap.status, a.sourceMap.key])).toEqual([
      ['uploaded', mapKeyOf('zip a', 'a-fn')],
      ['uploaded', mapKeyOf('zip b', 'b-fn')],
    ]);
  });

  it('keeps a map key that holds another map of the same zip, and goes on', async () => {
    // Prepare: both zips present; a-fn's map key holds another build's map, b-fn's holds its own.
    const present = (bytes: string) => ({
      ContentLength: bytes.length,
      ChecksumSHA256: sha256(bytes).toString('base64'),
    });
    s3Mock
      .on(HeadObjectCommand, { Key: keyOf('zip a', 'a-fn') })
      .resolves(present('zip a'))
      .on(HeadObjectCommand, { Key: keyOf('zip b', 'b-fn') })
      .resolves(present('zip b'))
      .on(HeadObjectCommand, { Key: mapKeyOf('zip a', 'a-fn') })
      .resolves(present(mapOf('old a')))
      .on(HeadObjectCommand, { Key: mapKeyOf('zip b', 'b-fn') })
      .resolves(present(mapOf('zip b')));

    // Act
    const report = await publish();

    // Assess
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    const found = `${mapOf('old a').length} bytes with stored SHA-256 ${sha256(mapOf('old a')).toString('base64')}`;
    const wanted = `${mapOf('zip a').length} bytes, SHA-256 ${sha256(mapOf('zip a')).toString('base64')}`;
    expect(report.artifacts.map((a) => [a.status, a.sourceMap.status])).toEqual([
      ['present', 'kept'],
      ['present', 'present'],
    ]);
    expect(report.sourceMaps).toEqual({ uploaded: 0, present: 1, 'would-upload': 0, kept: 1 });
    expect(formatReport(report).split('\n').slice(-3)).toEqual([
      'dev: 0 uploaded, 2 already present',
      'dev source maps: 0 uploaded, 1 already present, 1 kept (another map of the same zip)',
      `kept ${mapKeyOf('zip a', 'a-fn')}: s3://${BUCKET}/${mapKeyOf('zip a', 'a-fn')} holds ${found}, not the source map its key names (${wanted}). A content-addressed key is never overwritten: find out who wrote the object (CloudTrail, the bucket's versions), delete that version, and publish again. (the zip is the same; the map there decodes its traces to the lines of the build that published it first)`,
    ]);
  });

  it('uploads nothing in a dry run and says what it would upload', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));

    // Act
    const report = await publish(true);

    // Assess
    expect(report.artifacts.map((a) => a.status)).toEqual(['would-upload', 'would-upload']);
    expect(report.artifacts.map((a) => a.sourceMap.status)).toEqual([
      'would-upload',
      'would-upload',
    ]);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(formatReport(report).split('\n')).toEqual([
      `status        lambda  bytes  key (s3://${BUCKET}/...)`,
      `would-upload  a-fn    5      ${keyOf('zip a', 'a-fn')}`,
      `would-upload  a-fn    ${mapOf('zip a').length}     ${mapKeyOf('zip a', 'a-fn')}`,
      `would-upload  b-fn    5      ${keyOf('zip b', 'b-fn')}`,
      `would-upload  b-fn    ${mapOf('zip b').length}     ${mapKeyOf('zip b', 'b-fn')}`,
      '',
      'dev: 2 to upload, 0 already present (dry run: nothing uploaded)',
      'dev source maps: 2 to upload, 0 already present',
    ]);
  });

  it('asks a listing of the exact key when HeadObject is denied (ListBucket only on the env prefix)', async () => {
    // Prepare: HEAD says 403 for both; the listing finds neither.
    s3Mock.on(HeadObjectCommand).rejects(s3Error('Forbidden', 403));
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3Mock.on(PutObjectCommand).resolves({});

    // Act
    const report = await publish();

    // Assess
    expect(report.artifacts.map((a) => a.status)).toEqual(['uploaded', 'uploaded']);
    expect(s3Mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix)).toEqual([
      'dev/.probe',
      keyOf('zip a', 'a-fn'),
      keyOf('zip b', 'b-fn'),
      mapKeyOf('zip a', 'a-fn'),
      mapKeyOf('zip b', 'b-fn'),
    ]);
  });

  it('refuses a listed object whose SHA-256 HeadObject may not read, whatever its size', async () => {
    // Prepare: a-fn only; the listing shows it with the zip's size.
    lambdas = lambdas.slice(0, 1);
    s3Mock.on(HeadObjectCommand).rejects(s3Error('Forbidden', 403));
    s3Mock
      .on(ListObjectsV2Command, { Prefix: keyOf('zip a', 'a-fn') })
      .resolves({ Contents: [{ Key: keyOf('zip a', 'a-fn'), Size: 5 }] });

    // Act
    const act = publish();

    // Assess
    await expect(act).rejects.toThrow(
      `s3://${BUCKET}/${keyOf('zip a', 'a-fn')} holds an object whose stored SHA-256 cannot be read (HeadObject is denied, the listing shows it), not the zip its key names (5 bytes, SHA-256 ${sha256('zip a').toString('base64')}). Give the caller s3:GetObject on ${BUCKET}/dev/* (the deploy role has it) and publish again.`,
    );
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('checks a key that appeared since HeadObject (If-None-Match failed) like a present one', async () => {
    // Prepare: absent at first; after the failed PUT, a-fn holds the zip and b-fn other bytes.
    s3Mock
      .on(HeadObjectCommand, { Key: keyOf('zip a', 'a-fn') })
      .rejectsOnce(s3Error('NotFound', 404))
      .resolves({ ContentLength: 5, ChecksumSHA256: sha256('zip a').toString('base64') })
      .on(HeadObjectCommand, { Key: keyOf('zip b', 'b-fn') })
      .rejectsOnce(s3Error('NotFound', 404))
      .resolves({ ContentLength: 5, ChecksumSHA256: sha256('other').toString('base64') });
    s3Mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));

    // Act
    const act = publish();

    // Assess
    await expect(act).rejects.toThrow(
      `s3://${BUCKET}/${keyOf('zip b', 'b-fn')} holds 5 bytes with stored SHA-256 ${sha256('other').toString('base64')}, not the zip its key names`,
    );
  });

  it('counts a key that appeared since HeadObject and holds the zip as present', async () => {
    // Prepare
    for (const name of ['a', 'b'])
      s3Mock
        .on(HeadObjectCommand, { Key: keyOf(`zip ${name}`, `${name}-fn`) })
        .rejectsOnce(s3Error('NotFound', 404))
        .resolves({ ContentLength: 5, ChecksumSHA256: sha256(`zip ${name}`).toString('base64') })
        .on(HeadObjectCommand, { Key: mapKeyOf(`zip ${name}`, `${name}-fn`) })
        .rejectsOnce(s3Error('NotFound', 404))
        .resolves({
          ContentLength: mapOf(`zip ${name}`).length,
          ChecksumSHA256: sha256(mapOf(`zip ${name}`)).toString('base64'),
        });
    s3Mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));

    // Act
    const report = await publish();

    // Assess
    expect(report.artifacts.map((a) => [a.status, a.sourceMap.status])).toEqual([
      ['present', 'present'],
      ['present', 'present'],
    ]);
  });

  it("accepts an object without ChecksumSHA256 only when its metadata and its bytes both give the zip's SHA-256", async () => {
    // Prepare: s3rver-like answers (no checksum), the metadata written at upload, the real bytes.
    for (const name of ['a', 'b'])
      s3Mock
        .on(HeadObjectCommand, { Key: keyOf(`zip ${name}`, `${name}-fn`) })
        .resolves({ ContentLength: 5, Metadata: { sha256: sha256(`zip ${name}`).toString('hex') } })
        .on(GetObjectCommand, { Key: keyOf(`zip ${name}`, `${name}-fn`) })
        .resolves({ Body: body(`zip ${name}`) });
    s3Mock.on(PutObjectCommand).resolves({});

    // Act
    const report = await publish();

    // Assess
    expect(report.artifacts.map((a) => a.status)).toEqual(['present', 'present']);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(2);
  });

  const a = sha256('zip a');
  it.each<[string, Record<string, unknown>, string | undefined, string]>([
    [
      'another stored SHA-256',
      { ChecksumSHA256: sha256('other').toString('base64') },
      undefined,
      `holds 5 bytes with stored SHA-256 ${sha256('other').toString('base64')}, not the zip its key names (5 bytes, SHA-256 ${a.toString('base64')}). A content-addressed key`,
    ],
    [
      'no stored SHA-256 at all',
      {},
      undefined,
      `holds 5 bytes with no stored SHA-256 (no ChecksumSHA256, no x-amz-meta-sha256), not the zip its key names (5 bytes, SHA-256 ${a.toString('base64')}). Without a stored SHA-256 its bytes cannot be told from a planted zip of the same size.`,
    ],
    [
      'another claimed SHA-256',
      { Metadata: { sha256: sha256('other').toString('hex') } },
      undefined,
      `holds 5 bytes with no stored checksum and x-amz-meta-sha256 ${sha256('other').toString('hex')}, not the zip`,
    ],
    [
      "the zip's SHA-256 claimed over other bytes",
      { Metadata: { sha256: a.toString('hex') } },
      'zip z',
      `holds 5 bytes with no stored checksum and x-amz-meta-sha256 ${a.toString('hex')}, but its bytes hash to SHA-256 ${sha256('zip z').toString('base64')}, not the zip its key names (5 bytes, SHA-256 ${a.toString('base64')}). Its metadata claims a SHA-256 that its bytes do not have: it was planted.`,
    ],
    [
      'another size',
      { ContentLength: 6, ChecksumSHA256: a.toString('base64') },
      undefined,
      `holds 6 bytes with stored SHA-256 ${a.toString('base64')}, not the zip`,
    ],
  ])(
    'never overwrites, nor accepts, a same-key object with %s',
    async (_case, head, bytes, message) => {
      // Prepare: a-fn only; a valid present object, with one thing broken.
      lambdas = lambdas.slice(0, 1);
      s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 5, ...head });
      if (bytes) s3Mock.on(GetObjectCommand).resolves({ Body: body(bytes) });

      // Act
      const act = publish();

      // Assess
      await expect(act).rejects.toThrow(ArtifactConflictError);
      await expect(publish()).rejects.toThrow(
        `s3://${BUCKET}/${keyOf('zip a', 'a-fn')} ${message}`,
      );
      expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    },
  );

  it('names a missing bucket before reading any key', async () => {
    // Prepare
    s3Mock.on(ListObjectsV2Command).rejects(s3Error('NoSuchBucket', 404));

    // Act
    const act = publish();

    // Assess
    await expect(act).rejects.toThrow(ArtifactBucketError);
    await expect(publish()).rejects.toThrow(
      `the artifact bucket ${BUCKET} does not exist: apply terraform/bootstrap`,
    );
    expect(s3Mock.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });

  it('says how to get credentials when the SDK finds none', async () => {
    // Prepare
    s3Mock.on(ListObjectsV2Command).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );

    // Act
    const act = publish();

    // Assess
    await expect(act).rejects.toThrow(NoCredentialsError);
    await expect(publish()).rejects.toThrow('no AWS credentials: run it with the dev deploy role');
  });

  it('says which permissions are missing on AccessDenied', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    s3Mock.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));

    // Act
    const act = publish();

    // Assess
    await expect(act).rejects.toThrow(ArtifactBucketError);
    await expect(publish()).rejects.toThrow(
      /access denied by s3:\/\/slipway-artifacts-111111111111 \(PutObject dev\/a-fn\/.+\.zip\): the caller needs s3:GetObject and s3:PutObject on slipway-artifacts-111111111111\/dev\/\*/,
    );
  });
});
