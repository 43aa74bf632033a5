import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import type { LambdaManifest } from '@slipway/manifest';
import { installRuntimeDependencies } from '@slipway/nx-plugin';
import {
  newSegmentId,
  newTraceId,
  traceHeader,
  type TraceContext,
  type XraySegmentDocument,
} from './xray-daemon';

/** What a Lambda runtime reports for a failed invocation. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** Result of one invocation. */
export type InvokeResult =
  | { ok: true; result: unknown; durationMs: number }
  | { ok: false; error: LambdaError; durationMs: number };

/** Where a traced function sends its segments (the sandbox's X-Ray daemon). */
export interface LambdaTracing {
  /** `AWS_XRAY_DAEMON_ADDRESS` of every function process. */
  daemonAddress: string;
  /** Writes the segments Lambda itself records (the service's and the function's). */
  write(document: XraySegmentDocument): void;
}

/** How one invocation is asked for. */
export interface InvokeOptions {
  /** The context's `awsRequestId` (fresh by default; an asynchronous invocation's retries keep theirs, as in AWS). */
  requestId?: string;
  /** The caller's trace (`X-Amzn-Trace-Id`); without it, a traced function starts a new trace. */
  trace?: TraceContext;
}

/** How to run one packaged Lambda locally. */
export interface LocalLambdaOptions {
  manifest: LambdaManifest;
  /** The packaged zip (dist/apps/<name>/<name>.zip). */
  zipFile: string;
  /** Deployed function name, e.g. slipway-local-media-validate. */
  functionName: string;
  /** Environment as the stacks would set it, plus the sandbox's endpoint and credentials. */
  environment: Record<string, string>;
  /** Where unzipped packages are cached. */
  cacheDir: string;
  /** Where the function's log lines (Powertools JSON) are appended. */
  logFile: string;
  /** Active tracing, as the stacks turn it on for every function; off when absent. */
  tracing?: LambdaTracing;
}

const HOST_ARCH = process.arch === 'arm64' ? 'arm64' : 'x86_64';

interface RuntimeMessage {
  type: string;
  requestId?: string;
  ok?: boolean;
  result?: unknown;
  error?: LambdaError;
}

/** One execution environment: a Node process serving one invocation at a time. */
class ExecutionEnvironment {
  child?: ChildProcess;
  private done?: (result: InvokeResult) => void;
  private current?: string;

  constructor(private readonly name: string) {}

  /** Forks the runtime and resolves once the handler's module is loaded (the cold start). */
  async spawn(modulePath: string, options: Parameters<typeof fork>[2], log: WriteStream) {
    const child = fork(join(__dirname, 'lambda-runtime.cjs'), [modulePath], options);
    this.child = child;
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.on('message', (message: RuntimeMessage) => {
        if (message.type === 'ready') resolve();
        if (message.type === 'init-error') {
          reject(
            new Error(
              `${this.name} failed at init: ${message.error?.errorType}: ${message.error?.errorMessage}`,
            ),
          );
        }
        if (message.type === 'result' && message.requestId === this.current) {
          const done = this.done;
          this.done = this.current = undefined;
          done?.(
            message.ok
              ? { ok: true, result: message.result, durationMs: 0 }
              : { ok: false, error: message.error!, durationMs: 0 },
          );
        }
      });
      child.once('exit', (code, signal) => {
        this.child = undefined;
        const done = this.done;
        const id = this.current;
        this.done = this.current = undefined;
        done?.({
          ok: false,
          durationMs: 0,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: ${id} Error: Runtime exited (code ${code}, signal ${signal}): out of memory or crash`,
            trace: [],
          },
        });
        reject(new Error(`${this.name} exited before it was ready (code ${code})`));
      });
    });
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  /** Sends one invocation; resolves with the runtime's answer, or a timeout (which kills the process). */
  invoke(
    requestId: string,
    event: unknown,
    traceHeader: string | undefined,
    timeoutMs: number,
    timeoutSeconds: number,
  ): Promise<InvokeResult> {
    const child = this.child!;
    return new Promise<InvokeResult>((resolve) => {
      const timer = setTimeout(() => {
        this.done = this.current = undefined;
        child.kill('SIGKILL');
        resolve({
          ok: false,
          durationMs: timeoutMs,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${timeoutSeconds} seconds`,
            trace: [],
          },
        });
      }, timeoutMs);
      this.current = requestId;
      this.done = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      child.send({ type: 'invoke', requestId, event, traceHeader });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
  }
}

/**
 * One packaged Lambda run the way Lambda runs it: the zip is unzipped once (keyed by its
 * sha256), the handler is loaded in its own Node process with the function's environment and a
 * heap capped at the manifest's memory, and stays warm between invocations. As in Lambda, one
 * process (execution environment) serves one invocation at a time: concurrent invocations get
 * their own processes (each a cold start), which then stay warm for later ones. Native runtime
 * dependencies in the zip are built for the Lambda's architecture; when that differs from this
 * machine's, the same packages are installed for the host beside the bundle (the JavaScript is
 * the zip's, byte for byte).
 *
 * With {@link LocalLambdaOptions.tracing}, each process gets the environment Lambda gives a
 * function with active tracing (`AWS_XRAY_DAEMON_ADDRESS`, `AWS_EXECUTION_ENV`, and per
 * invocation `_X_AMZN_TRACE_ID`), so Powertools Tracer sends its subsegments to the daemon; the
 * sandbox writes the two segments Lambda itself records: the service's (`AWS::Lambda`, parent =
 * the caller's subsegment) and the function's (`AWS::Lambda::Function`, with `Initialization`
 * on a cold start), the parent of the handler's subsegments.
 */
export class LocalLambda {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private log?: WriteStream;
  private unpacked?: Promise<string>;

  constructor(private readonly options: LocalLambdaOptions) {}

  /** Name of the function (manifest name). */
  get name(): string {
    return this.options.manifest.name;
  }

  /** How many execution environments (processes) the function has had running at once, at most so far. */
  get environments(): number {
    return this.all.size;
  }

  /** Unzips the package (once) and returns the folder holding handler.js. */
  async unpack(): Promise<string> {
    const sha = (await readFile(`${this.options.zipFile}.sha256`, 'utf8')).trim();
    const dir = join(
      this.options.cacheDir,
      `${this.name}-${Buffer.from(sha, 'base64').toString('hex').slice(0, 16)}`,
    );
    if (existsSync(join(dir, 'handler.js'))) return dir;
    const tmp = `${dir}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
    await rm(tmp, { recursive: true, force: true });
    await extractZip(await readFile(this.options.zipFile), tmp);
    const deps = this.options.manifest.runtimeDependencies;
    if (deps.length > 0 && this.options.manifest.architecture !== HOST_ARCH) {
      await rm(join(tmp, 'node_modules'), { recursive: true, force: true });
      for (const entry of await installRuntimeDependencies(deps, HOST_ARCH)) {
        await mkdir(dirname(join(tmp, entry.path)), { recursive: true });
        await writeFile(join(tmp, entry.path), entry.data, {
          mode: entry.executable ? 0o755 : 0o644,
        });
      }
    }
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    return dir;
  }

  /** Starts one warm execution environment (a cold start) if none is idle. */
  async start(): Promise<void> {
    if (this.idle.some((e) => e.alive)) return;
    this.idle.push(await this.spawn());
  }

  private async spawn(): Promise<ExecutionEnvironment> {
    this.unpacked ??= this.unpack();
    const dir = await this.unpacked.catch((error: unknown) => {
      this.unpacked = undefined;
      throw error;
    });
    const { manifest, environment, functionName, logFile, tracing } = this.options;
    if (!this.log) {
      await mkdir(dirname(logFile), { recursive: true });
      this.log ??= createWriteStream(logFile, { flags: 'a' });
    }
    const runtime = new ExecutionEnvironment(this.name);
    this.all.add(runtime);
    try {
      await runtime.spawn(
        join(dir, 'handler.js'),
        {
          cwd: dir,
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
          // A manifest's `heap` reaches the function as NODE_OPTIONS in its environment, as in
          // Lambda; a command-line flag would override it, so the default limit is only given
          // to functions without one.
          execArgv: /--max-old-space-size=/.test(environment.NODE_OPTIONS ?? '')
            ? []
            : [`--max-old-space-size=${Math.max(64, Math.floor(manifest.memory * 0.8))}`],
          env: {
            PATH: process.env.PATH ?? '',
            TZ: 'UTC',
            LANG: 'en_US.UTF-8',
            ...environment,
            AWS_LAMBDA_FUNCTION_NAME: functionName,
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(manifest.memory),
            AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
            AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
            AWS_LAMBDA_LOG_FORMAT: 'JSON',
            SLIPWAY_LAMBDA_TIMEOUT_MS: String(manifest.timeout * 1000),
            LAMBDA_TASK_ROOT: dir,
            _HANDLER: 'handler.handler',
            ...(tracing
              ? {
                  // What Lambda sets for a function with active tracing (X-Ray SDK Lambda mode).
                  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
                  AWS_XRAY_DAEMON_ADDRESS: tracing.daemonAddress,
                  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
                }
              : {}),
          },
        },
        this.log,
      );
    } catch (error) {
      this.all.delete(runtime);
      throw error;
    }
    return runtime;
  }

  /**
   * Invokes the function with `event` in an idle execution environment, or a new one (cold
   * start). A run past the manifest's timeout is stopped and reported as Lambda reports it
   * (`Sandbox.Timedout`); its process is gone, so a later invocation there is a cold start.
   */
  async invoke(event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const requestId = options.requestId ?? randomUUID();
    const started = Date.now();
    let runtime: ExecutionEnvironment | undefined;
    while ((runtime = this.idle.pop()) && !runtime.alive) this.all.delete(runtime);
    const cold = !runtime;
    runtime ??= await this.spawn();
    const initialized = Date.now();
    const { tracing, manifest, functionName } = this.options;
    const traceId = tracing ? (options.trace?.traceId ?? newTraceId(started)) : undefined;
    const serviceId = newSegmentId();
    const functionId = newSegmentId();
    const timeoutMs = manifest.timeout * 1000;
    const result = await runtime.invoke(
      requestId,
      event,
      traceId ? traceHeader(traceId, functionId) : undefined,
      timeoutMs,
      manifest.timeout,
    );
    const ended = Date.now();
    if (runtime.alive) this.idle.push(runtime);
    else this.all.delete(runtime);
    if (tracing && traceId) {
      const failed = !result.ok;
      const cause = failed
        ? {
            exceptions: [
              {
                id: newSegmentId(),
                type: result.error.errorType,
                message: result.error.errorMessage,
              },
            ],
          }
        : undefined;
      const seconds = (ms: number) => ms / 1000;
      tracing.write({
        name: functionName,
        id: serviceId,
        trace_id: traceId,
        ...(options.trace?.parentId ? { parent_id: options.trace.parentId } : {}),
        origin: 'AWS::Lambda',
        start_time: seconds(started),
        end_time: seconds(ended),
        http: { response: { status: 200 } },
        aws: { request_id: requestId },
        ...(failed ? { error: true, cause } : {}),
      });
      tracing.write({
        name: functionName,
        id: functionId,
        trace_id: traceId,
        parent_id: serviceId,
        origin: 'AWS::Lambda::Function',
        start_time: seconds(cold ? started : initialized),
        end_time: seconds(ended),
        aws: { request_id: requestId, function_arn: functionArn(functionName) },
        ...(failed ? { fault: true, cause } : {}),
        ...(cold
          ? {
              subsegments: [
                {
                  name: 'Initialization',
                  id: newSegmentId(),
                  start_time: seconds(started),
                  end_time: seconds(initialized),
                },
              ],
            }
          : {}),
      });
    }
    return { ...result, durationMs: ended - started };
  }

  /** Stops every process of the function. */
  async stop(): Promise<void> {
    const all = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(all.map((e) => e.stop()));
    const log = this.log;
    this.log = undefined;
    await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
  }
}

/** The ARN the sandbox gives a function (its account is the sandbox's). */
function functionArn(functionName: string): string {
  return `arn:aws:lambda:${process.env.AWS_REGION ?? 'eu-west-1'}:000000000000:function:${functionName}`;
}

async function extractZip(buffer: Buffer, dir: string): Promise<void> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    fromBuffer(buffer, { lazyEntries: true }, (error, z) =>
      error || !z ? reject(error) : resolve(z),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, async (error, stream) => {
        if (error || !stream) return reject(error);
        const target = join(dir, entry.fileName);
        await mkdir(dirname(target), { recursive: true });
        const mode = (entry.externalFileAttributes >>> 16) & 0o777 || 0o644;
        stream
          .pipe(createWriteStream(target, { mode }))
          .on('finish', () => zip.readEntry())
          .on('error', reject);
      });
    });
    zip.readEntry();
  });
}
