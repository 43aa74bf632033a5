import { spawn } from 'node:child_process';
import { VideoToolError, type VideoTool } from './errors';
import { redactUrls } from './input';

/** How one run of ffmpeg / ffprobe is bounded. */
export interface RunLimits {
  /** Kill the process (SIGKILL) after this many milliseconds. */
  readonly timeoutMs: number;
  /** Kill the process when its stdout grows past this many bytes. */
  readonly maxStdoutBytes: number;
}

/** What a finished run gave. A non-zero `code` is returned, not thrown: callers classify it. */
export interface RunResult {
  readonly code: number;
  readonly stdout: Buffer;
  /** The first {@link STDERR_KEEP_BYTES} bytes of stderr, as text, URL queries removed. */
  readonly stderr: string;
}

/** How much stderr is kept: enough for the error lines, bounded whatever the tool writes. */
const STDERR_KEEP_BYTES = 64 * 1024;

/**
 * Runs `binary args…` without a shell (arguments are never parsed, so a URL's `&` is safe),
 * stdin closed. Resolves with the exit code and the output; rejects with
 * {@link VideoToolError} only when the run itself went wrong: it could not start
 * (`FAILED`), ran past `timeoutMs` (`TIMEOUT`) or wrote more than `maxStdoutBytes` (`OUTPUT_LIMIT`).
 * In the last two cases the process is killed first, so no ffmpeg outlives its Lambda request.
 */
export function runTool(
  tool: VideoTool,
  binary: string,
  args: readonly string[],
  limits: RunLimits,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    let stopped: VideoToolError | undefined;

    const stop = (error: VideoToolError) => {
      if (stopped !== undefined) return;
      stopped = error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () =>
        stop(
          new VideoToolError(
            tool,
            'TIMEOUT',
            `${tool} did not finish within ${limits.timeoutMs} ms and was stopped. A very long or slow-to-read input can need more: raise the timeout option (and the Lambda's own timeout) if this input is legitimate.`,
            { stderr: text(stderr) },
          ),
        ),
      limits.timeoutMs,
    );

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > limits.maxStdoutBytes) {
        stop(
          new VideoToolError(
            tool,
            'OUTPUT_LIMIT',
            `${tool} wrote more than ${limits.maxStdoutBytes} bytes to stdout and was stopped. Raise the maxOutputBytes option if such output is expected.`,
            { stderr: text(stderr) },
          ),
        );
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes >= STDERR_KEEP_BYTES) return;
      const kept = chunk.subarray(0, STDERR_KEEP_BYTES - stderrBytes);
      stderr.push(kept);
      stderrBytes += kept.length;
    });

    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        stopped ??
          new VideoToolError(
            tool,
            'FAILED',
            `${tool} could not be started from ${binary}: ${error.message}.`,
            {
              cause: error,
            },
          ),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (stopped !== undefined) {
        reject(stopped);
        return;
      }
      if (code === null) {
        reject(
          new VideoToolError(tool, 'FAILED', `${tool} was killed by ${signal ?? 'a signal'}.`, {
            stderr: text(stderr),
          }),
        );
        return;
      }
      resolve({ code, stdout: Buffer.concat(stdout), stderr: text(stderr) });
    });
  });
}

/** stderr as text. ffmpeg echoes its input URL; a presigned URL's query is a credential. */
function text(chunks: Buffer[]): string {
  return redactUrls(Buffer.concat(chunks).toString('utf8'));
}
