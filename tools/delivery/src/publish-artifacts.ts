/**
 * Publishes every packaged Lambda of dist/apps to the artifact bucket under its content key
 * `<env>/<lambda>/<hex sha256>.zip`, uploading only the keys that are absent. Run it after the
 * `package` targets and before `terraform apply`: the stacks reference exactly these keys.
 *
 * @example npx tsx tools/delivery/src/publish-artifacts.ts --environment dev --dry-run
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createS3Client } from '@slipway/aws';
import { artifactBucketName } from '@slipway/manifest';
import {
  type Encryption,
  findPackagedLambdas,
  formatReport,
  publishArtifacts,
  type PublishReport,
} from './artifacts';
import { DeliveryError, UnknownEnvironmentError, UsageError } from './errors';
import { processIo, readFlags, runCli, runIfMain, type CliIo } from './cli';

/** Usage text. */
export const USAGE = `Usage: publish-artifacts --environment <env> [--bucket <name>] [--dry-run] [--format table|json]
                         [--endpoint <url>] [--kms-key-id <arn>]

Uploads dist/apps/<lambda>/<lambda>.zip of every Lambda in apps/ to
s3://<bucket>/<env>/<lambda>/<hex sha256>.zip when that key is absent, after checking the zip
against its .sha256 file, and its source map dist/apps/<lambda>/<lambda>.js.map beside it as
<hex sha256 of the zip>.js.map (a key holding another map of the same zip is kept). Run it with
credentials of the environment's deploy role.

  --environment <env>   a key of terraform/stacks/environments.json
  --bucket <name>       default <namePrefix>-artifacts-<accountId> of that environment
  --dry-run             check and report, upload nothing
  --format <f>          table (default) or json
  --endpoint <url>      an S3-compatible endpoint (path-style), e.g. a local s3rver; the
                        variable AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3) does the same
  --kms-key-id <arn>    upload with SSE-KMS under this key instead of SSE-S3
  --help                this text

Exit codes: 0 published (or nothing to do), 1 failed (missing package or map, hash mismatch, other
bytes or no stored SHA-256 at a key, no credentials, missing bucket, access denied), 2 bad flags
or unknown environment.`;

/** Parsed command line. */
export interface CliArgs {
  environment: string;
  bucket?: string;
  dryRun: boolean;
  format: 'table' | 'json';
  endpoint?: string;
  kmsKeyId?: string;
}

const VALUE_FLAGS = ['environment', 'bucket', 'format', 'endpoint', 'kms-key-id'] as const;

/**
 * Parses `argv` (without node and script). Accepts `--flag value` and `--flag=value`.
 *
 * @throws {UsageError} on an unknown flag, a missing value, a bad `--format` or no `--environment`.
 */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  const flags = readFlags(argv, { values: VALUE_FLAGS, switches: ['dry-run'] });
  if (flags === 'help') return flags;
  const { values } = flags;
  const dryRun = flags.switches['dry-run'];
  if (!values.environment) throw new UsageError('--environment <env> is required');
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`--format must be table or json, not ${JSON.stringify(format)}`);
  return {
    environment: values.environment,
    dryRun,
    format,
    ...(values.bucket ? { bucket: values.bucket } : {}),
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(values['kms-key-id'] ? { kmsKeyId: values['kms-key-id'] } : {}),
  };
}

/** The parts of terraform/stacks/environments.json this command reads. */
interface Environments {
  namePrefix: string;
  environments: Record<string, { accountId: string; region: string }>;
}

/** Bucket and region of `environment`, from terraform/stacks/environments.json under `root`. */
export function artifactTarget(
  root: string,
  environment: string,
): { bucket: string; region: string } {
  const file = join(root, 'terraform/stacks/environments.json');
  let config: Environments;
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as Environments;
  } catch (error) {
    throw new DeliveryError(`${file} cannot be read as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const env = config.environments?.[environment];
  if (!env)
    throw new UnknownEnvironmentError(
      environment,
      Object.keys(config.environments ?? {}),
      '--environment',
    );
  return { bucket: artifactBucketName(config.namePrefix, env.accountId), region: env.region };
}

/** Runs the publication for parsed arguments in the workspace `root`. */
export async function publish(args: CliArgs, root: string): Promise<PublishReport> {
  const target = artifactTarget(root, args.environment);
  const lambdas = findPackagedLambdas(root);
  const s3 = createS3Client(undefined, {
    region: target.region,
    ...(args.endpoint
      ? {
          endpoint: args.endpoint,
          forcePathStyle: true,
          // S3-compatible test servers store streamed bodies aws-chunked otherwise.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  });
  const encryption: Encryption = args.kmsKeyId
    ? { algorithm: 'aws:kms', kmsKeyId: args.kmsKeyId }
    : { algorithm: 'AES256' };
  try {
    return await publishArtifacts({
      s3,
      bucket: args.bucket ?? target.bucket,
      environment: args.environment,
      lambdas,
      dryRun: args.dryRun,
      encryption,
    });
  } finally {
    s3.destroy();
  }
}

/** Runs the command; resolves to the exit code (0 ok, 1 failure, 2 usage or unknown environment). */
export function main(argv: string[], io: CliIo = processIo, root = process.cwd()): Promise<number> {
  return runCli(
    {
      name: 'publish-artifacts',
      usage: USAGE,
      parse: parseArgs,
      run: async (args, out) => {
        const report = await publish(args, root);
        out.write(
          args.format === 'json'
            ? `${JSON.stringify(report, null, 2)}\n`
            : `${formatReport(report)}\n`,
        );
      },
      failureCode: (error) => (error.name === 'UnknownEnvironmentError' ? 2 : 1),
    },
    argv,
    io,
  );
}

runIfMain(import.meta.url, 'publish-artifacts', main);
