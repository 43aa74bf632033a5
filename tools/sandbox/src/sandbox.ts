import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createS3Client, LOCAL_ENDPOINT_ENV } from '@slipway/aws';
import {
  loadFlow,
  loadTrigger,
  type FlowName,
  matchesPattern,
  resolvePlaceholders,
  transformInput,
} from '@slipway/flows';
import {
  lambdaEnvironment,
  loadManifest,
  MANIFEST_FILE,
  type LambdaManifest,
} from '@slipway/manifest';
import { resolveFfmpeg, resolveFfprobe } from '@slipway/media';
import { LocalEventBus } from './event-bus';
import {
  LocalFlow,
  type ExecutionRecord,
  type FaultInjector,
  type ServiceHandler,
} from './flow-runner';
import { startLocalS3, type LocalS3, type S3NotificationRecord } from './local-s3';
import { localMediaConvert, MEDIACONVERT_SYNC } from './mediaconvert';
import { LocalLambda } from './local-lambda';

/** Name of the local environment: resources are `slipway-local-*`. */
export const LOCAL_ENVIRONMENT = 'local';
const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Workspace root (apps/, dist/apps/ with packaged zips). */
  root: string;
  /** Where unzipped functions, logs and S3 data go (default dist/sandbox). */
  workDir?: string;
  /** Extra environment for every function (e.g. FFMPEG_PATH for host binaries). */
  functionEnvironment?: Record<string, string>;
  /** Local stand-ins for service integrations (e.g. MediaConvert), by Resource ARN. */
  services?: Record<string, ServiceHandler>;
  faults?: FaultInjector;
  /** Called when an execution ends. */
  onExecution?: (record: ExecutionRecord, input: unknown) => void;
}

/** The running local cloud. */
export interface Sandbox {
  s3: LocalS3;
  bus: LocalEventBus;
  /** Real bucket names by logical name (`media` → `slipway-local-media`). */
  buckets: Record<string, string>;
  lambdas: Map<string, LocalLambda>;
  /** The media flow, ready to run by hand. */
  mediaFlow: LocalFlow;
  /** The ETL flow, run by hand with `{ date: 'YYYY-MM-DD' }` (its schedule does not fire locally). */
  etlFlow: LocalFlow;
  /** Every execution started by an S3 event, in start order. */
  executions: { input: unknown; record: Promise<ExecutionRecord> }[];
  /** Waits until every started execution has ended. */
  idle(): Promise<ExecutionRecord[]>;
  stop(): Promise<void>;
}

/** Every Lambda in apps/ with its manifest and package; a missing zip names the command that builds it. */
function discover(root: string): { manifest: LambdaManifest; zipFile: string }[] {
  return readdirSync(join(root, 'apps'))
    .filter((name) => existsSync(join(root, 'apps', name, MANIFEST_FILE)))
    .sort()
    .map((name) => {
      const zipFile = join(root, 'dist/apps', name, `${name}.zip`);
      if (!existsSync(`${zipFile}.sha256`)) {
        throw new Error(
          `dist/apps/${name}/${name}.zip is missing: run npx nx run-many -t package first.`,
        );
      }
      return { manifest: loadManifest(join(root, 'apps', name, MANIFEST_FILE), root), zipFile };
    });
}

/**
 * Starts the local cloud: an embedded S3 server with the buckets the manifests name, every
 * packaged Lambda ready to run, the media flow's real ASL in the Step Functions interpreter,
 * and S3 object-created events starting executions through the same pattern and input
 * transformer as the EventBridge rule.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { root } = options;
  // Absolute: function processes run with their own working directory.
  const workDir = resolve(options.workDir ?? join(root, 'dist/sandbox'));
  const found = discover(root);
  const logicalBuckets = [
    ...new Set(
      found.flatMap(({ manifest }) =>
        manifest.permissions.map((p) => /^\S+ ([a-z][a-z0-9-]*):/.exec(p)?.[1]),
      ),
    ),
  ].filter((b): b is string => !!b && !['bus', 'param'].includes(b));
  const buckets = Object.fromEntries(
    logicalBuckets.sort().map((b) => [b, `slipway-${LOCAL_ENVIRONMENT}-${b}`]),
  );
  const s3 = await startLocalS3({
    buckets: Object.values(buckets),
    directory: join(workDir, `s3-${randomUUID().slice(0, 8)}`),
  });
  const bus = new LocalEventBus();

  // The zips carry arm64 ffmpeg/ffprobe; locally the functions use this machine's binaries.
  const hostTools: Record<string, string> = {};
  for (const [variable, resolve] of [
    ['FFMPEG_PATH', resolveFfmpeg],
    ['FFPROBE_PATH', resolveFfprobe],
  ] as const) {
    try {
      hostTools[variable] = resolve();
    } catch {
      // No binary for this machine: video functions will say so when they run.
    }
  }

  const lambdas = new Map<string, LocalLambda>();
  for (const { manifest, zipFile } of found) {
    const functionName = `slipway-${LOCAL_ENVIRONMENT}-${manifest.name}`;
    lambdas.set(
      functionName,
      new LocalLambda({
        manifest,
        zipFile,
        functionName,
        cacheDir: join(workDir, 'functions'),
        logFile: join(workDir, 'logs', `${manifest.name}.log`),
        environment: {
          ...lambdaEnvironment(manifest, { environment: LOCAL_ENVIRONMENT, buckets }),
          ...hostTools,
          ...options.functionEnvironment,
          AWS_REGION: REGION,
          AWS_ACCESS_KEY_ID: s3.accessKeyId,
          AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
          [LOCAL_ENDPOINT_ENV]: s3.endpoint,
        },
      }),
    );
  }

  const localFlow = (name: FlowName) =>
    new LocalFlow({
      definition: resolvePlaceholders(loadFlow(name), (kind, ref) => {
        if (kind === 'lambda') {
          const fn = `slipway-${LOCAL_ENVIRONMENT}-${ref}`;
          return lambdas.has(fn) ? `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}` : undefined;
        }
        if (kind === 'bus') return `slipway-${LOCAL_ENVIRONMENT}-${ref}`;
        return `arn:aws:iam::${ACCOUNT}:role/slipway-${LOCAL_ENVIRONMENT}-${ref}`;
      }),
      lambdas,
      bus,
      // Service integrations with a local stand-in unless the caller brings its own.
      services: {
        [MEDIACONVERT_SYNC]: localMediaConvert(sandboxS3Client(s3)),
        ...options.services,
      },
      faults: options.faults,
      region: REGION,
      accountId: ACCOUNT,
    });
  const mediaFlow = localFlow('media');
  const etlFlow = localFlow('etl');

  const executions: Sandbox['executions'] = [];
  if (buckets.media) {
    const trigger = loadTrigger('media', buckets.media);
    s3.onEvent((record) => {
      const event = toEventBridge(record);
      if (!event || !matchesPattern(trigger.eventPattern, event)) return;
      const input = transformInput(trigger, event);
      const run = mediaFlow.run(input).then((r) => {
        options.onExecution?.(r, input);
        return r;
      });
      executions.push({ input, record: run });
    });
  }

  return {
    s3,
    bus,
    buckets,
    lambdas,
    mediaFlow,
    etlFlow,
    executions,
    async idle() {
      let count = -1;
      while (count !== executions.length) {
        count = executions.length;
        await Promise.all(executions.map((e) => e.record));
      }
      return Promise.all(executions.map((e) => e.record));
    },
    async stop() {
      await Promise.all([...lambdas.values()].map((l) => l.stop()));
      await s3.close();
    },
  };
}

/** The `Object Created` event S3 would send EventBridge for an s3rver notification. */
function toEventBridge(record: S3NotificationRecord): Record<string, unknown> | undefined {
  if (!record.eventName.startsWith('ObjectCreated:')) return undefined;
  const { bucket, object } = record.s3;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT,
    time: record.eventTime,
    region: REGION,
    resources: [`arn:aws:s3:::${bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: bucket.name },
      object: {
        // s3rver reports keys raw, which is also how EventBridge events carry them.
        key: object.key,
        size: object.size,
        etag: object.eTag,
        ...(object.versionId ? { 'version-id': object.versionId } : {}),
        sequencer: object.sequencer,
      },
      reason: record.eventName.split(':')[1],
    },
  };
}

/** An S3 client for the sandbox's server (for uploads and assertions). */
export function sandboxS3Client(s3: LocalS3) {
  const previous = process.env[LOCAL_ENDPOINT_ENV];
  process.env[LOCAL_ENDPOINT_ENV] = s3.endpoint;
  try {
    return createS3Client(undefined, {
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  } finally {
    if (previous === undefined) delete process.env[LOCAL_ENDPOINT_ENV];
    else process.env[LOCAL_ENDPOINT_ENV] = previous;
  }
}
