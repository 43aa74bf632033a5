import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createS3Client, LOCAL_ENDPOINT_ENV } from '@slipway/aws';
import {
  loadFlow,
  loadTrigger,
  type FlowName,
  resolvePlaceholders,
  transformInput,
} from '@slipway/flows';
import { EDGE_SCHEMAS } from '@slipway/events';
import {
  apiAuthorizer,
  lambdaEnvironment,
  loadManifest,
  loadManifests,
  MANIFEST_FILE,
  referencedBuckets,
  restApiBody,
  routeTable,
  TABLES,
  type LambdaManifest,
} from '@slipway/manifest';
import { resolveFfmpeg, resolveFfprobe } from '@slipway/media';
import {
  EVENTBRIDGE_ENDPOINT_ENV,
  type EventBridgeEnvelope,
  LocalEventBus,
  startEventBusEndpoint,
  type EventBusEndpoint,
} from './event-bus';
import {
  LocalFlow,
  type ExecutionRecord,
  type FaultInjector,
  type ServiceHandler,
} from './flow-runner';
import { DYNAMODB_ENDPOINT_ENV, startLocalDynamoDb, type LocalDynamoDb } from './local-dynamodb';
import { startLocalS3, type LocalS3, type S3NotificationRecord } from './local-s3';
import { localMediaConvert, MEDIACONVERT_SYNC } from './mediaconvert';
import { startGateway, type Gateway, type GatewayResponses } from './gateway';
import { startLocalIdentity, type LocalIdentity } from './identity';
import { LocalLambda } from './local-lambda';
import { PARAMETER_ROOT, startGraphqlServices, type SandboxGraphql } from './graphql-services';
import {
  AsyncInvoker,
  asyncTargetOf,
  type AsyncInvocationOutcome,
  type FunctionDeadLetter,
} from './async-invoke';
import { startSandboxEmail, type SandboxEmail } from './sandbox-email';
import { LocalScheduler, localSchedules, type ScheduleFiring } from './schedules';
import { SECRETS_MANAGER_ENDPOINT_ENV, startLocalSecrets, type LocalSecrets } from './secrets';
import { startOtlpReceiver, type LocalOtlpReceiver } from './otlp-receiver';
import { startLocalXray, type LocalXray } from './xray-daemon';

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
  /**
   * Also start the HTTP edge: the local API gateway over the manifests' routes, the local
   * identity provider (JWKS, tokens) and the Secrets Manager stand-in. Off by default.
   */
  gateway?: boolean;
  /** Secrets for the stand-in (name → SecretString), beside {@link WEBHOOK_SECRET_NAME}. */
  secrets?: Record<string, string>;
  /** The gateway's integration timeout (default API Gateway's 29 s); tests shorten it. */
  integrationTimeoutMs?: number;
  /**
   * Milliseconds before retry `n` of an asynchronous invocation (event triggers): AWS's 1 and
   * 2 minutes by default; tests pass `() => 0`.
   */
  asyncRetryDelayMs?: (retry: number) => number;
}

/**
 * Secrets Manager name prefix of the sandbox, `<namePrefix>/<environment>` as in the stacks:
 * `read secret:<name>` gives a function `<NAME>_SECRET_NAME` = `slipway/local/<name>`.
 */
export const SECRET_PREFIX = `slipway/${LOCAL_ENVIRONMENT}`;

/** Secrets Manager name of the Stripe webhook signing secret (`read secret:stripe-webhook`). */
export const WEBHOOK_SECRET_NAME = `${SECRET_PREFIX}/stripe-webhook`;

/** The HTTP edge of a sandbox started with `gateway: true`. */
export interface SandboxEdge {
  gateway: Gateway;
  identity: LocalIdentity;
  secrets: LocalSecrets;
  /** The `whsec_…` signing secret the webhook Lambda reads (fresh per start). */
  webhookSecret: string;
}

/** The running local cloud. */
export interface Sandbox {
  s3: LocalS3;
  bus: LocalEventBus;
  /** `AWSEvents.PutEvents` on loopback into {@link Sandbox.bus}; every function's EventBridge endpoint. */
  busEndpoint: EventBusEndpoint;
  /** Real bucket names by logical name (`media` → `slipway-local-media`). */
  buckets: Record<string, string>;
  /** The local DynamoDB with the tables the manifests name; absent when none names one. */
  dynamoDb?: LocalDynamoDb;
  /** The local SES and its mailbox (`<workDir>/mail`); absent when no manifest sends email. */
  email?: SandboxEmail;
  /**
   * The functions' dead-letter queues: Lambda's on-failure records of asynchronous invocations
   * that failed every attempt (`bus.deadLetters` holds what the bus itself could not deliver).
   */
  deadLetters: FunctionDeadLetter[];
  /** Every asynchronous invocation (event triggers) that ended, with its attempts. */
  asyncInvocations: AsyncInvocationOutcome[];
  /** The manifests' `schedule` triggers (`slipway-local-<lambda>-<name>`), their firings and DLQ. */
  scheduler: LocalScheduler;
  /**
   * Fires a schedule now (or as if at `at`): its input with `<aws.scheduler.scheduled-time>` and
   * the other context attributes replaced, invoked asynchronously; resolves when it has ended.
   */
  fire(schedule: string, options?: { at?: Date }): Promise<ScheduleFiring>;
  lambdas: Map<string, LocalLambda>;
  /** The media flow, ready to run by hand. */
  mediaFlow: LocalFlow;
  /** The ETL flow, run by hand with `{ date: 'YYYY-MM-DD' }` (its schedule does not fire locally). */
  etlFlow: LocalFlow;
  /** Every execution started by an S3 event, in start order. */
  executions: { input: unknown; record: Promise<ExecutionRecord> }[];
  /** The gateway, identity and secrets; only with `gateway: true`. */
  edge?: SandboxEdge;
  /** The local GraphQL endpoint, its SSM stand-in and stub user service; only when a manifest has a `graphql` trigger. */
  graphql?: SandboxGraphql;
  /**
   * The local X-Ray daemon: every function's segments (Powertools Tracer, as with active
   * tracing) and the ones AWS writes itself (Lambda service, executions and their states, the
   * API stage), one JSON document per line in `<workDir>/traces/segments.jsonl`.
   */
  xray: LocalXray;
  /**
   * OTLP/HTTP traces on loopback (every function's `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`): a
   * function built with the OpenTelemetry backend (docs/observability.md) lands in the same
   * segments file as the X-Ray SDK's.
   */
  otlp: LocalOtlpReceiver;
  /** Waits until every started execution and every rule's delivery has ended. */
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
  const logicalBuckets = [...new Set(found.flatMap(({ manifest }) => referencedBuckets(manifest)))];
  const buckets = Object.fromEntries(
    logicalBuckets.sort().map((b) => [b, `slipway-${LOCAL_ENVIRONMENT}-${b}`]),
  );
  // The bus names the flows' ASL gets locally, so Tasks and functions publish to the same bus.
  const buses = Object.fromEntries(
    found
      .flatMap(({ manifest }) =>
        manifest.permissions.map((p) => /^publish bus:([a-z][a-z0-9-]*)$/.exec(p)?.[1]),
      )
      .filter((b): b is string => !!b)
      .sort()
      .map((b) => [b, `slipway-${LOCAL_ENVIRONMENT}-${b}`]),
  );
  const s3 = await startLocalS3({
    buckets: Object.values(buckets),
    directory: join(workDir, `s3-${randomUUID().slice(0, 8)}`),
  });
  // The tables the functions name (`read`/`write table:<name>`), built from their declarations.
  const tableNames = new Set(
    found
      .flatMap(({ manifest }) =>
        manifest.permissions.map((p) => /^(?:read|write) table:(\S+)$/.exec(p)?.[1]),
      )
      .filter((n): n is string => !!n),
  );
  const undeclared = [...tableNames].filter((n) => !TABLES.some((t) => t.name === n));
  if (undeclared.length)
    throw new Error(
      `No table ${undeclared.join(', ')} is declared: add it to TABLES in libs/manifest/src/tables.ts or fix the manifest's permission.`,
    );
  const dynamoDb = tableNames.size
    ? await startLocalDynamoDb({
        tables: TABLES.filter((t) => tableNames.has(t.name)).map(
          (t) => [t, `slipway-${LOCAL_ENVIRONMENT}-${t.name}`] as const,
        ),
        region: REGION,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      })
    : undefined;
  const email = await startSandboxEmail({
    root,
    manifests: found.map((f) => f.manifest),
    workDir,
    environment: LOCAL_ENVIRONMENT,
    region: REGION,
    accountId: ACCOUNT,
  });
  const xray = await startLocalXray({ file: join(workDir, 'traces', 'segments.jsonl') });
  const tracing = {
    daemonAddress: xray.address,
    write: (d: Parameters<LocalXray['write']>[0]) => xray.write(d),
  };
  const otlp = await startOtlpReceiver({ writer: xray });
  const bus = new LocalEventBus({ account: ACCOUNT, region: REGION });
  // The Lambdas' own PutEvents calls (the webhook's PaymentSucceeded) land on the same bus as
  // the flows' putEvents Tasks: without this they would go to AWS_ENDPOINT_URL, the S3 server.
  const busEndpoint = await startEventBusEndpoint(bus);

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

  const edge = options.gateway ? await startEdgeServices(options, workDir) : undefined;
  const edgeEnvironment: Record<string, string> = edge
    ? { [SECRETS_MANAGER_ENDPOINT_ENV]: edge.secrets.endpoint }
    : {};
  const api = edge ? apiOf(root) : undefined;
  // Only when a manifest attaches a Lambda to a GraphQL field (graphql-services.ts).
  const graphqlServices = await startGraphqlServices({
    root,
    manifests: found.map(({ manifest }) => ({
      file: `apps/${manifest.name}/${MANIFEST_FILE}`,
      manifest,
    })),
    workDir,
    identity: edge?.identity,
    region: REGION,
    accountId: ACCOUNT,
  });

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
        tracing,
        environment: {
          ...lambdaEnvironment(manifest, {
            environment: LOCAL_ENVIRONMENT,
            buckets,
            buses,
            tables: dynamoDb?.tables,
            ...email?.context,
            secretPrefix: SECRET_PREFIX,
            parameterRoot: PARAMETER_ROOT,
          }),
          ...hostTools,
          ...edgeEnvironment,
          ...graphqlServices?.environment,
          ...(edge && api && manifest.name === api.authorizer?.lambda
            ? authorizerEnvironment(edge.identity, api.routes)
            : {}),
          ...options.functionEnvironment,
          AWS_REGION: REGION,
          AWS_ACCESS_KEY_ID: s3.accessKeyId,
          AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
          [LOCAL_ENDPOINT_ENV]: s3.endpoint,
          [EVENTBRIDGE_ENDPOINT_ENV]: busEndpoint.endpoint,
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlp.endpoint,
          ...(dynamoDb ? { [DYNAMODB_ENDPOINT_ENV]: dynamoDb.endpoint } : {}),
          ...email?.environment,
        },
      }),
    );
  }

  // The manifests' event triggers, as their rules deliver in AWS: an asynchronous invoke, which
  // Lambda accepts at once (so the rule's delivery succeeds and bus.deadLetters stays for what
  // the bus cannot hand over), then Lambda's own retries (the manifest's `async`) and the
  // function's dead-letter queue (sandbox.deadLetters). The delivery resolves once the
  // invocation has ended, so bus.idle() covers the retries too.
  const asyncInvoker = new AsyncInvoker({ retryDelayMs: options.asyncRetryDelayMs });
  for (const { manifest } of found) {
    const events = manifest.triggers.filter((t) => t.type === 'event');
    const functionName = `slipway-${LOCAL_ENVIRONMENT}-${manifest.name}`;
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`;
    for (const [n, trigger] of events.entries()) {
      const target = asyncTargetOf(lambdas.get(functionName)!, manifest, functionName, arn);
      bus.addRule({
        name: `${functionName}-${n + 1}`,
        busName: `slipway-${LOCAL_ENVIRONMENT}-${trigger.bus}`,
        pattern: trigger.pattern,
        target: `lambda:${functionName}`,
        deliver: async (event, trace) => void (await asyncInvoker.invoke(target, event, trace)),
      });
    }
  }

  // The manifests' schedule triggers: fired by hand (fire, --fire), through the same async invoker.
  const scheduler = new LocalScheduler({
    schedules: localSchedules(
      found.map((f) => f.manifest),
      LOCAL_ENVIRONMENT,
    ),
    invoker: asyncInvoker,
    target: (s) => {
      const lambda = lambdas.get(s.functionName);
      const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${s.functionName}`;
      return lambda && asyncTargetOf(lambda, s.manifest, s.functionName, arn);
    },
    region: REGION,
    accountId: ACCOUNT,
  });

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
      // A Distributed Map's ItemReader and ResultWriter use the local S3.
      s3: sandboxS3Client(s3),
      // Service integrations with a local stand-in unless the caller brings its own.
      services: {
        [MEDIACONVERT_SYNC]: localMediaConvert(sandboxS3Client(s3)),
        ...options.services,
      },
      faults: options.faults,
      region: REGION,
      accountId: ACCOUNT,
      name: `slipway-${LOCAL_ENVIRONMENT}-${name}`,
      tracing,
    });
  const mediaFlow = localFlow('media');
  const etlFlow = localFlow('etl');

  const executions: Sandbox['executions'] = [];
  if (buckets.media) {
    // As in AWS: the bucket sends its events to the default bus, where the flow's rule (the same
    // pattern and input transformer as terraform's event-trigger module) starts an execution.
    const trigger = loadTrigger('media', buckets.media);
    bus.addRule({
      name: `slipway-${LOCAL_ENVIRONMENT}-media-trigger`,
      busName: 'default',
      pattern: trigger.eventPattern,
      target: `states:slipway-${LOCAL_ENVIRONMENT}-media`,
      // StartExecution is the delivery: the rule is done once the execution has started.
      deliver: async (event) => {
        const input = transformInput(trigger, event);
        const run = mediaFlow.run(input).then((r) => {
          options.onExecution?.(r, input);
          return r;
        });
        executions.push({ input, record: run });
      },
    });
    s3.onEvent((record) => {
      const event = toEventBridge(record);
      if (event) bus.putServiceEvent('default', event);
    });
  }

  const gateway =
    edge && api
      ? await startGateway({
          routes: api.routes,
          authorizer: api.authorizer,
          gatewayResponses: api.gatewayResponses,
          schemas: EDGE_SCHEMAS,
          integrationTimeoutMs: options.integrationTimeoutMs,
          region: REGION,
          accountId: ACCOUNT,
          stage: LOCAL_ENVIRONMENT,
          apiName: `slipway-${LOCAL_ENVIRONMENT}-api`,
          tracing,
          functionNameOf: (name) => `slipway-${LOCAL_ENVIRONMENT}-${name}`,
          invoke: async (name, event, trace) => {
            const lambda = lambdas.get(`slipway-${LOCAL_ENVIRONMENT}-${name}`);
            if (!lambda)
              return {
                ok: false,
                durationMs: 0,
                error: {
                  errorType: 'Sandbox.FunctionNotFound',
                  errorMessage: `No packaged Lambda named ${name}: run npx nx run-many -t package.`,
                  trace: [],
                },
              };
            return lambda.invoke(event, trace ? { trace } : {});
          },
        })
      : undefined;
  const graphql = await graphqlServices?.serve(
    lambdas,
    (name) => `slipway-${LOCAL_ENVIRONMENT}-${name}`,
    tracing,
  );

  return {
    s3,
    bus,
    busEndpoint,
    buckets,
    ...(dynamoDb ? { dynamoDb } : {}),
    ...(email ? { email } : {}),
    deadLetters: asyncInvoker.deadLetters,
    asyncInvocations: asyncInvoker.invocations,
    scheduler,
    fire: (schedule, fireOptions) => scheduler.fire(schedule, fireOptions),
    lambdas,
    mediaFlow,
    etlFlow,
    executions,
    ...(edge && gateway ? { edge: { ...edge, gateway } } : {}),
    ...(graphql ? { graphql } : {}),
    xray,
    otlp,
    async idle() {
      // Executions put events, whose rules invoke Lambdas that may put more: wait for both.
      let count = -1;
      let routed = -1;
      while (count !== executions.length || routed !== bus.routed.length) {
        count = executions.length;
        routed = bus.routed.length;
        await Promise.all(executions.map((e) => e.record));
        await scheduler.idle();
        await bus.idle();
      }
      return Promise.all(executions.map((e) => e.record));
    },
    async stop() {
      await gateway?.close();
      await graphql?.close();
      await Promise.all([...lambdas.values()].map((l) => l.stop()));
      await Promise.all([
        edge?.identity.close(),
        edge?.secrets.close(),
        busEndpoint.close(),
        dynamoDb?.close(),
        email?.ses.close(),
        s3.close(),
      ]);
      await otlp.close();
      await xray.close();
    },
  };
}

/** The identity provider and the Secrets Manager stand-in, holding a fresh webhook secret. */
async function startEdgeServices(
  options: SandboxOptions,
  workDir: string,
): Promise<Omit<SandboxEdge, 'gateway'>> {
  const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
  const identity = await startLocalIdentity({ workDir });
  const secrets = await startLocalSecrets({
    secrets: { [WEBHOOK_SECRET_NAME]: webhookSecret, ...options.secrets },
    region: REGION,
    accountId: ACCOUNT,
  });
  return { identity, secrets, webhookSecret };
}

/**
 * The REST API the manifests declare, with the gateway responses the deployed body carries
 * (`restApiBody`), so local refusals have the deployed status and bytes.
 */
function apiOf(root: string) {
  const manifests = loadManifests(root, EDGE_SCHEMAS).map((f) => f.manifest);
  const routes = routeTable(manifests);
  const authorizer = apiAuthorizer(manifests);
  const body = restApiBody(
    routes,
    EDGE_SCHEMAS,
    { title: 'Slipway API (sandbox)', version: '0.0.0' },
    {
      // Only the gateway responses are read: the integrations' URIs do not matter locally.
      invokeArns: Object.fromEntries(
        manifests.map((m) => [m.name, `arn:aws:apigateway:${REGION}:lambda:path/local/${m.name}`]),
      ),
      authorizer,
    },
  );
  return {
    routes,
    authorizer,
    gatewayResponses: body['x-amazon-apigateway-gateway-responses'] as GatewayResponses | undefined,
  };
}

/** What the authorizer reads (`authorizerConfigFromEnv` in libs/edge) to trust the local identity. */
function authorizerEnvironment(
  identity: LocalIdentity,
  routes: ReturnType<typeof routeTable>,
): Record<string, string> {
  return {
    JWT_PROVIDER: 'supabase',
    JWT_ISSUER: identity.issuer,
    JWT_AUDIENCE: identity.audience,
    JWT_ROLES_CLAIM: identity.rolesClaim,
    JWKS_URL: identity.jwksUrl,
    ROUTE_ROLES: JSON.stringify(
      routes
        .filter((r) => r.auth === 'jwt')
        .map((r) => ({ method: r.method, path: r.path, roles: r.roles })),
    ),
  };
}

/** The `Object Created` event S3 would send EventBridge for an s3rver notification. */
function toEventBridge(record: S3NotificationRecord): EventBridgeEnvelope | undefined {
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
