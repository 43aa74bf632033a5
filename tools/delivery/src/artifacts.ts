/**
 * Publishing packaged Lambdas to the artifact bucket, content-addressed (issue 6, item 2).
 *
 * The key of a zip is derived from its SHA-256 (`artifactKey` of @slipway/manifest, the same
 * function the stacks use for `s3_key`), so the same bytes always land on the same key: a key
 * that exists holds exactly those bytes and is never written again. The zip's source map (not in
 * the zip, issue 17) goes beside it, named by the zip's SHA-256 (`sourceMapKey`), so a deployed
 * function's `CodeSha256` finds the map that decodes its stack traces. The CLI is
 * `publish-artifacts.ts`; this module holds the steps so they can be tested one by one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { artifactKey, InvalidSha256Error, sha256Hex, sourceMapKey } from '@slipway/manifest';
import {
  ArtifactBucketError,
  ArtifactConflictError,
  MissingPackageError,
  NoCredentialsError,
  PackageIntegrityError,
} from './errors';

/** The manifest file that makes a folder of `apps/` a Lambda (as in @slipway/manifest). */
const MANIFEST_FILE = 'lambda.manifest.json';

/** A Lambda's package as the Nx `package` target left it in `dist/apps/<name>/`. */
export interface PackagedLambda {
  name: string;
  /** Absolute path of `<name>.zip`. */
  zipFile: string;
  /** Base64 SHA-256 of the zip, checked against its bytes: the stacks' `source_code_hash`. */
  sha256: string;
  /** Size of the zip in bytes. */
  size: number;
  /** The zip's bytes (Lambda zips are at most a few tens of MB). */
  body: Buffer;
  /** `<name>.js.map`, the source map `package` writes beside the zip. */
  sourceMap: SourceMapFile;
}

/** A Lambda's source map as `package` left it beside the zip. */
export interface SourceMapFile {
  /** Absolute path of `<name>.js.map`. */
  file: string;
  /** Base64 SHA-256 of the map's bytes. */
  sha256: string;
  size: number;
  body: Buffer;
}

/**
 * Every Lambda of `apps/` (a folder with a `lambda.manifest.json`), sorted by name, with its zip
 * read, its `.sha256` file checked against the zip's bytes, and its source map read.
 *
 * @throws {MissingPackageError} when a Lambda has no zip, no `.sha256` file or no `.js.map`
 *   (a package from before issue 17: package it again).
 * @throws {PackageIntegrityError} when the `.sha256` file is malformed or does not match the zip.
 */
export function findPackagedLambdas(root: string): PackagedLambda[] {
  const appsDir = join(root, 'apps');
  if (!existsSync(appsDir)) return [];
  return readdirSync(appsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(appsDir, d.name, MANIFEST_FILE)))
    .map((d) => d.name)
    .sort()
    .map((name) => readPackage(root, name));
}

/** One Lambda's package, verified. See {@link findPackagedLambdas}. */
export function readPackage(root: string, name: string): PackagedLambda {
  const zipFile = join(root, 'dist/apps', name, `${name}.zip`);
  const shaFile = `${zipFile}.sha256`;
  const mapFile = join(root, 'dist/apps', name, `${name}.js.map`);
  for (const file of [zipFile, shaFile, mapFile])
    if (!existsSync(file)) throw new MissingPackageError(name, relative(root, file));
  const recorded = readFileSync(shaFile, 'utf8').trim();
  try {
    sha256Hex(recorded);
  } catch (error) {
    if (!(error instanceof InvalidSha256Error)) throw error;
    throw new PackageIntegrityError(name, `${relative(root, shaFile)}: ${error.message}`, {
      cause: error,
    });
  }
  const body = readFileSync(zipFile);
  const actual = createHash('sha256').update(body).digest('base64');
  if (actual !== recorded)
    throw new PackageIntegrityError(
      name,
      `${relative(root, shaFile)} says ${recorded} but ${relative(root, zipFile)} hashes to ${actual}: the zip changed after packaging or the file was edited.`,
    );
  const map = readFileSync(mapFile);
  const sourceMap = {
    file: mapFile,
    sha256: createHash('sha256').update(map).digest('base64'),
    size: map.length,
    body: map,
  };
  return { name, zipFile, sha256: recorded, size: body.length, body, sourceMap };
}

/** What {@link publishArtifacts} did (or, in a dry run, would do) with one zip. */
export type ArtifactStatus = 'uploaded' | 'present' | 'would-upload';

/**
 * What it did with a zip's source map: as for the zip, or `kept` when the map's key already
 * holds another map. The key is named by the zip, and builds that give byte-identical zips can
 * give different maps (a comment moved lines in a lib: the minified code is the same, the
 * positions are not). Either map decodes that zip's traces, each to its own commit's lines; the
 * first one stays, as every content-addressed key does, and the publish goes on.
 */
export type SourceMapStatus = ArtifactStatus | 'kept';

/** One source map line of the report. */
export interface PublishedSourceMap {
  key: string;
  /** Base64 SHA-256 of the map. */
  sha256: string;
  size: number;
  status: SourceMapStatus;
  /** For `kept`: what the key holds instead. */
  reason?: string;
}

/** One line of the report. */
export interface PublishedArtifact {
  lambda: string;
  key: string;
  /** Base64 SHA-256: the stacks' `source_code_hash`. */
  sha256: string;
  size: number;
  status: ArtifactStatus;
  sourceMap: PublishedSourceMap;
}

/** The report {@link publishArtifacts} returns. */
export interface PublishReport {
  bucket: string;
  environment: string;
  dryRun: boolean;
  artifacts: PublishedArtifact[];
  /** Counts per status. */
  uploaded: number;
  present: number;
  wouldUpload: number;
  /** Counts per status of the source maps. */
  sourceMaps: Record<SourceMapStatus, number>;
}

/** Server-side encryption requested on upload. */
export type Encryption = { algorithm: 'AES256' } | { algorithm: 'aws:kms'; kmsKeyId: string };

/** Options of {@link publishArtifacts}. */
export interface PublishOptions {
  s3: S3Client;
  bucket: string;
  environment: string;
  lambdas: readonly PackagedLambda[];
  /** Decide only; upload nothing. */
  dryRun?: boolean;
  /**
   * Default SSE-S3, what the bootstrap's artifact bucket uses by default
   * (terraform/modules/bucket without kms_key_arn); sent explicitly so a bucket policy that
   * requires the header is satisfied too.
   */
  encryption?: Encryption;
  /** Zips checked or uploaded at once (default 4). */
  concurrency?: number;
}

/** HTTP status of an SDK error, or undefined for a non-SDK error. */
function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** Error code of an SDK error (`NoSuchBucket`, `AccessDenied`, `NotFound`, ...). */
function codeOf(error: unknown): string | undefined {
  return (error as { name?: string; Code?: string }).Code ?? (error as Error).name;
}

function accessDenied(bucket: string, environment: string, action: string, cause: unknown) {
  return new ArtifactBucketError(
    bucket,
    `access denied by s3://${bucket} (${action}): the caller needs s3:GetObject and s3:PutObject on ` +
      `${bucket}/${environment}/* and s3:ListBucket on the bucket for the prefix ${environment}/, ` +
      `which the ${environment} deploy role has (terraform/bootstrap/iam.tf, UploadArtifacts). ` +
      'Check the credentials in use (aws sts get-caller-identity) and the bucket name.',
    { cause },
  );
}

function noSuchBucket(bucket: string, cause: unknown) {
  return new ArtifactBucketError(
    bucket,
    `the artifact bucket ${bucket} does not exist: apply terraform/bootstrap in this account ` +
      '(it creates <name_prefix>-artifacts-<account>), or pass --bucket with the right name.',
    { cause },
  );
}

/** Turns the errors every call may raise into named ones (no credentials, no bucket, denied); others pass through. */
function bucketError(error: unknown, bucket: string, environment: string, action: string): never {
  if ((error as Error).name === 'CredentialsProviderError')
    throw new NoCredentialsError(environment, { cause: error });
  if (codeOf(error) === 'NoSuchBucket') throw noSuchBucket(bucket, error);
  if (statusOf(error) === 403) throw accessDenied(bucket, environment, action, error);
  throw error;
}

/**
 * Checks that the bucket exists and that the environment's prefix may be listed, before any
 * zip is read or sent. A listing under `<env>/` is what the deploy role is granted (a HeadBucket
 * would need ListBucket without a prefix condition). The prefix `<env>/.probe` never matches a
 * content key, so the answer is never truncated (s3rver cannot build continuation tokens on
 * Node 22: its DES cipher is gone from OpenSSL 3).
 *
 * @throws {ArtifactBucketError} for a missing bucket or a denied listing.
 */
export async function probeBucket(s3: S3Client, bucket: string, environment: string) {
  try {
    await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${environment}/.probe`, MaxKeys: 1 }),
    );
  } catch (error) {
    bucketError(error, bucket, environment, `ListObjectsV2 ${environment}/`);
  }
}

/** The user metadata key (`x-amz-meta-sha256`) that carries the hex SHA-256 written at upload. */
export const SHA256_METADATA = 'sha256';

/**
 * Whether the zip is already at its key, byte for byte. HeadObject answers 404 for a missing key
 * only when the caller may `s3:ListBucket`, which the deploy role may only under the prefix
 * `<env>/`; so a 403 is asked again as a listing of exactly that key, which that condition allows.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html (Permissions)
 *
 * A present object counts only with an exact SHA-256 match, never by size alone (issue 12,
 * item 5: anyone with `s3:PutObject` could plant a same-size zip at the predictable key):
 * - `ChecksumSHA256`, which S3 computed and verified itself when the object was written with
 *   one (this tool always sends one), must equal the zip's;
 * - without it (s3rver stores no checksums; a foreign upload may carry none) the object must
 *   carry `x-amz-meta-sha256`, written by {@link upload}. Metadata is the writer's claim, not
 *   S3's, so a matching claim is proved by downloading the object and hashing its bytes;
 * - an object with neither, of another size, or whose bytes hash otherwise is refused.
 *
 * @throws {ArtifactConflictError} when the object at the key is not provably the zip.
 * @throws {ArtifactBucketError} for a missing bucket or a denied call.
 */
export async function isPublished(
  s3: S3Client,
  bucket: string,
  environment: string,
  key: string,
  lambda: Pick<PackagedLambda, 'sha256' | 'size'>,
  what = 'the zip',
): Promise<boolean> {
  let head;
  try {
    head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
    );
  } catch (error) {
    if (statusOf(error) === 404 && codeOf(error) !== 'NoSuchBucket') return false;
    if (statusOf(error) !== 403) bucketError(error, bucket, environment, `HeadObject ${key}`);
    let listed;
    try {
      listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
    } catch (listError) {
      bucketError(listError, bucket, environment, `HeadObject and ListObjectsV2 ${key}`);
    }
    if (!listed.Contents?.some((o) => o.Key === key)) return false;
    // A listing carries no checksum value: an object whose stored SHA-256 cannot be read is not
    // accepted, however its size looks.
    throw conflict(
      bucket,
      key,
      'an object whose stored SHA-256 cannot be read (HeadObject is denied, the listing shows it)',
      lambda,
      `Give the caller s3:GetObject on ${bucket}/${environment}/* (the deploy role has it) and publish again.`,
      what,
    );
  }
  const found = describeObject(head.ContentLength, head.ChecksumSHA256, head.Metadata);
  if (head.ContentLength !== undefined && head.ContentLength !== lambda.size)
    throw conflict(bucket, key, found, lambda, '', what);
  if (head.ChecksumSHA256) {
    if (head.ChecksumSHA256 !== lambda.sha256) throw conflict(bucket, key, found, lambda, '', what);
    return true;
  }
  const claimed = head.Metadata?.[SHA256_METADATA];
  if (!claimed)
    throw conflict(
      bucket,
      key,
      found,
      lambda,
      'Without a stored SHA-256 its bytes cannot be told from a planted zip of the same size.',
      what,
    );
  if (claimed !== Buffer.from(lambda.sha256, 'base64').toString('hex'))
    throw conflict(bucket, key, found, lambda, '', what);
  const actual = await downloadedSha256(s3, bucket, environment, key);
  if (actual !== lambda.sha256)
    throw conflict(
      bucket,
      key,
      `${found}, but its bytes hash to SHA-256 ${actual}`,
      lambda,
      'Its metadata claims a SHA-256 that its bytes do not have: it was planted.',
      what,
    );
  return true;
}

/** Base64 SHA-256 of the object's bytes, read with GetObject (the deploy role's s3:GetObject). */
async function downloadedSha256(
  s3: S3Client,
  bucket: string,
  environment: string,
  key: string,
): Promise<string> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await object.Body!.transformToByteArray();
    return createHash('sha256').update(bytes).digest('base64');
  } catch (error) {
    bucketError(error, bucket, environment, `GetObject ${key}`);
  }
}

/** What HeadObject says about the object at a key, for the conflict message. */
function describeObject(
  size: number | undefined,
  checksum: string | undefined,
  metadata: Record<string, string> | undefined,
): string {
  const claimed = metadata?.[SHA256_METADATA];
  const sha = checksum
    ? `stored SHA-256 ${checksum}`
    : claimed
      ? `no stored checksum and x-amz-meta-sha256 ${claimed}`
      : 'no stored SHA-256 (no ChecksumSHA256, no x-amz-meta-sha256)';
  return `${size ?? 'an unknown number of'} bytes with ${sha}`;
}

function conflict(
  bucket: string,
  key: string,
  found: string,
  lambda: Pick<PackagedLambda, 'sha256' | 'size'>,
  why = '',
  what = 'the zip',
): ArtifactConflictError {
  return new ArtifactConflictError(
    `s3://${bucket}/${key} holds ${found}, not ${what} its key names (${lambda.size} bytes, SHA-256 ${lambda.sha256}). ` +
      (why ? `${why} ` : '') +
      'A content-addressed key is never overwritten: find out who wrote the object (CloudTrail, the ' +
      "bucket's versions), delete that version, and publish again.",
  );
}

/**
 * Uploads the zip to its key, with its SHA-256 so that S3 rejects bytes that changed on the way
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html), and
 * `If-None-Match: *` so that a concurrent publisher's upload is never replaced. Returns false
 * when that precondition failed: the key appeared since {@link isPublished} looked, and the
 * caller checks that object like any present one.
 */
export async function upload(
  s3: S3Client,
  bucket: string,
  environment: string,
  key: string,
  lambda: Pick<PackagedLambda, 'name' | 'body' | 'size' | 'sha256'> & { contentType?: string },
  encryption: Encryption = { algorithm: 'AES256' },
): Promise<boolean> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: lambda.body,
        ContentType: lambda.contentType ?? 'application/zip',
        ContentLength: lambda.size,
        ChecksumSHA256: lambda.sha256,
        IfNoneMatch: '*',
        ServerSideEncryption: encryption.algorithm as ServerSideEncryption,
        ...(encryption.algorithm === 'aws:kms' ? { SSEKMSKeyId: encryption.kmsKeyId } : {}),
        // S3 verifies ChecksumSHA256 and returns it on HeadObject; servers that store no
        // checksums (s3rver) keep the metadata, which isPublished proves by hashing the bytes.
        Metadata: {
          lambda: lambda.name,
          [SHA256_METADATA]: Buffer.from(lambda.sha256, 'base64').toString('hex'),
        },
      }),
    );
    return true;
  } catch (error) {
    // 412: the object exists (If-None-Match); 409: a concurrent conditional write won the race.
    if (statusOf(error) === 412 || codeOf(error) === 'ConditionalRequestConflict') return false;
    bucketError(error, bucket, environment, `PutObject ${key}`);
  }
}

/** Runs `work` over `items` with at most `limit` at once; results keep the items' order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Checks an object's key and uploads it when absent; see {@link publishArtifacts}. */
async function publishObject(
  options: PublishOptions,
  key: string,
  object: Pick<PackagedLambda, 'name' | 'body' | 'size' | 'sha256'> & { contentType?: string },
  what: string,
): Promise<ArtifactStatus> {
  const { s3, bucket, environment, dryRun = false, encryption } = options;
  if (await isPublished(s3, bucket, environment, key, object, what)) return 'present';
  if (dryRun) return 'would-upload';
  if (await upload(s3, bucket, environment, key, object, encryption)) return 'uploaded';
  // The key appeared since HeadObject (If-None-Match failed): it counts only if it is the object.
  if (!(await isPublished(s3, bucket, environment, key, object, what)))
    throw new ArtifactBucketError(
      bucket,
      `s3://${bucket}/${key} was written by another publisher during this upload and is gone again: publish again.`,
    );
  return 'present';
}

/**
 * Publishes a zip's source map to `sourceMapKey` (beside the zip) by the zip's rule, except that
 * a key holding another map is `kept` instead of failing the publish (see {@link SourceMapStatus}).
 */
async function publishSourceMap(
  options: PublishOptions,
  lambda: PackagedLambda,
): Promise<PublishedSourceMap> {
  const key = sourceMapKey(options.environment, lambda.name, lambda.sha256);
  const { sha256, size } = lambda.sourceMap;
  const line = { key, sha256, size };
  const map = { ...lambda.sourceMap, name: lambda.name, contentType: 'application/json' };
  try {
    return { ...line, status: await publishObject(options, key, map, 'the source map') };
  } catch (error) {
    if (!(error instanceof ArtifactConflictError)) throw error;
    return { ...line, status: 'kept', reason: error.message };
  }
}

/**
 * Publishes every zip of `lambdas` to `s3://<bucket>/<env>/<lambda>/<hex sha256>.zip`, and its
 * source map beside it as `<hex sha256 of the zip>.js.map`, uploading only the keys that are
 * absent.
 *
 * @throws {ArtifactBucketError} for a missing bucket or a denied call.
 * @throws {ArtifactConflictError} when a key holds an object that is not provably the zip
 *   (other size, other or no stored SHA-256, bytes that hash otherwise).
 * @example
 * const report = await publishArtifacts({
 *   s3: new S3Client({ region: 'eu-west-1' }),
 *   bucket: 'slipway-artifacts-111111111111',
 *   environment: 'dev',
 *   lambdas: findPackagedLambdas(process.cwd()),
 * });
 */
export async function publishArtifacts(options: PublishOptions): Promise<PublishReport> {
  const { s3, bucket, environment, lambdas, dryRun = false } = options;
  await probeBucket(s3, bucket, environment);
  const artifacts = await mapLimited(lambdas, options.concurrency ?? 4, async (lambda) => {
    const key = artifactKey(environment, lambda.name, lambda.sha256);
    const status = await publishObject(options, key, lambda, 'the zip');
    // After the zip: a map is never published for a zip that is not in the bucket.
    const sourceMap = await publishSourceMap(options, lambda);
    return {
      lambda: lambda.name,
      key,
      sha256: lambda.sha256,
      size: lambda.size,
      status,
      sourceMap,
    };
  });
  const count = (status: ArtifactStatus) => artifacts.filter((a) => a.status === status).length;
  const maps = (status: SourceMapStatus) =>
    artifacts.filter((a) => a.sourceMap.status === status).length;
  return {
    bucket,
    environment,
    dryRun,
    artifacts,
    uploaded: count('uploaded'),
    present: count('present'),
    wouldUpload: count('would-upload'),
    sourceMaps: {
      uploaded: maps('uploaded'),
      present: maps('present'),
      'would-upload': maps('would-upload'),
      kept: maps('kept'),
    },
  };
}

/** The report as a table for people: one line per zip and one per source map, then the counts. */
export function formatReport(report: PublishReport): string {
  const rows = report.artifacts.flatMap((a) => [
    [a.status, a.lambda, `${a.size}`, a.key],
    [a.sourceMap.status, a.lambda, `${a.sourceMap.size}`, a.sourceMap.key],
  ]);
  const header = ['status', 'lambda', 'bytes', `key (s3://${report.bucket}/...)`];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ');
  const totals = report.dryRun
    ? `${report.wouldUpload} to upload, ${report.present} already present (dry run: nothing uploaded)`
    : `${report.uploaded} uploaded, ${report.present} already present`;
  const m = report.sourceMaps;
  const mapTotals = report.dryRun
    ? `${m['would-upload']} to upload, ${m.present} already present`
    : `${m.uploaded} uploaded, ${m.present} already present`;
  const kept = report.artifacts
    .filter((a) => a.sourceMap.status === 'kept')
    .map(
      (a) =>
        `kept ${a.sourceMap.key}: ${a.sourceMap.reason} (the zip is the same; the map there decodes its traces to the lines of the build that published it first)`,
    );
  return [
    line(header),
    ...rows.map(line),
    '',
    `${report.environment}: ${totals}`,
    `${report.environment} source maps: ${mapTotals}${m.kept ? `, ${m.kept} kept (another map of the same zip)` : ''}`,
    ...kept,
  ].join('\n');
}
