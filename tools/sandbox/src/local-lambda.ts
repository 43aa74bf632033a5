import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import type { LambdaManifest } from '@slipway/manifest';
import { installRuntimeDependencies } from '@slipway/nx-plugin';

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
}

const HOST_ARCH = process.arch === 'arm64' ? 'arm64' : 'x86_64';

/**
 * One packaged Lambda run the way Lambda runs it: the zip is unzipped once (keyed by its
 * sha256), the handler is loaded in its own Node process with the function's environment and a
 * heap capped at the manifest's memory, and stays warm between invocations. Native runtime
 * dependencies in the zip are built for the Lambda's architecture; when that differs from this
 * machine's, the same packages are installed for the host beside the bundle (the JavaScript is
 * the zip's, byte for byte).
 */
export class LocalLambda {
  private child?: ChildProcess;
  private ready?: Promise<void>;
  private log?: WriteStream;
  private readonly pending = new Map<string, (result: InvokeResult) => void>();

  constructor(private readonly options: LocalLambdaOptions) {}

  /** Name of the function (manifest name). */
  get name(): string {
    return this.options.manifest.name;
  }

  /** Unzips the package (once) and returns the folder holding handler.js. */
  async unpack(): Promise<string> {
    const sha = (await readFile(`${this.options.zipFile}.sha256`, 'utf8')).trim();
    const dir = join(
      this.options.cacheDir,
      `${this.name}-${Buffer.from(sha, 'base64').toString('hex').slice(0, 16)}`,
    );
    if (existsSync(join(dir, 'handler.js'))) return dir;
    const tmp = `${dir}.tmp-${process.pid}`;
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

  /** Starts the function's process (cold start) if it is not running. */
  async start(): Promise<void> {
    this.ready ??= this.spawn();
    return this.ready;
  }

  private async spawn(): Promise<void> {
    const dir = await this.unpack();
    const { manifest, environment, functionName, logFile } = this.options;
    await mkdir(dirname(logFile), { recursive: true });
    this.log = createWriteStream(logFile, { flags: 'a' });
    const child = fork(join(__dirname, 'lambda-runtime.cjs'), [join(dir, 'handler.js')], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [`--max-old-space-size=${Math.max(64, Math.floor(manifest.memory * 0.8))}`],
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
      },
    });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.on(
        'message',
        (message: {
          type: string;
          requestId?: string;
          ok?: boolean;
          result?: unknown;
          error?: LambdaError;
        }) => {
          if (message.type === 'ready') resolve();
          if (message.type === 'init-error') {
            reject(
              new Error(
                `${this.name} failed at init: ${message.error?.errorType}: ${message.error?.errorMessage}`,
              ),
            );
          }
          if (message.type === 'result' && message.requestId) {
            const done = this.pending.get(message.requestId);
            this.pending.delete(message.requestId);
            done?.(
              message.ok
                ? { ok: true, result: message.result, durationMs: 0 }
                : { ok: false, error: message.error!, durationMs: 0 },
            );
          }
        },
      );
      child.once('exit', (code, signal) => {
        this.child = undefined;
        this.ready = undefined;
        for (const [id, done] of this.pending) {
          done({
            ok: false,
            durationMs: 0,
            error: {
              errorType: 'Runtime.ExitError',
              errorMessage: `RequestId: ${id} Error: Runtime exited (code ${code}, signal ${signal}): out of memory or crash`,
              trace: [],
            },
          });
        }
        this.pending.clear();
        reject(new Error(`${this.name} exited before it was ready (code ${code})`));
      });
    });
  }

  /**
   * Invokes the function with `event`. A run past the manifest's timeout is stopped and reported
   * as Lambda reports it (`Sandbox.Timedout`); the next invocation is a cold start.
   * `requestId` is the context's `awsRequestId` (fresh by default; an asynchronous invocation's
   * retries keep theirs, as in AWS).
   */
  async invoke(event: unknown, options: { requestId?: string } = {}): Promise<InvokeResult> {
    await this.start();
    const child = this.child!;
    const requestId = options.requestId ?? randomUUID();
    const started = Date.now();
    const timeoutMs = this.options.manifest.timeout * 1000;
    const result = await new Promise<InvokeResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        child.kill('SIGKILL');
        resolve({
          ok: false,
          durationMs: timeoutMs,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${this.options.manifest.timeout} seconds`,
            trace: [],
          },
        });
      }, timeoutMs);
      this.pending.set(requestId, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      child.send({ type: 'invoke', requestId, event });
    });
    return { ...result, durationMs: Date.now() - started };
  }

  /** Stops the function's process. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
  }
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
