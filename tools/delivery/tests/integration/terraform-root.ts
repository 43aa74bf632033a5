/** Helpers for integration tests that run the real terraform binary on throwaway roots. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Result of one terraform command. */
export interface TfResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs terraform in `dir` without prompts, colour or version checks. */
export function terraform(dir: string, args: readonly string[]): TfResult {
  const result = spawnSync('terraform', args, {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like {@link terraform}, but throws with the output when the exit code is not `expected`. */
export function terraformOk(dir: string, args: readonly string[], expected = [0]): TfResult {
  const result = terraform(dir, args);
  if (!expected.includes(result.status))
    throw new Error(
      `terraform ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`,
    );
  return result;
}

/** A fresh copy of tests/integration/fixtures/local-root (local backend, outputs only), initialized. */
export function localRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'delivery-root-'));
  cpSync(join(__dirname, 'fixtures/local-root'), dir, { recursive: true });
  terraformOk(dir, ['init', '-input=false', '-no-color']);
  return dir;
}
