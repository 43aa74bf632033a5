import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The workspace this test suite belongs to. */
export const REPO = join(__dirname, '../../../..');

/**
 * Copies the workspace's tracked and untracked-but-not-ignored files into a fresh folder, links
 * node_modules and commits it as `base`. Same approach as tools/nx-plugin's integration
 * workspace.ts, kept here because module boundaries forbid importing another project's tests.
 *
 * `nodeModules: 'hardlink'` gives the copy a real node_modules folder (`cp -al`, GNU cp, same
 * filesystem as the workspace), as a fresh clone after `npm ci` has: through a symlink, esbuild
 * resolves packages to their real path and the source maps in a zip name them from outside the
 * copy, so its zips would differ from the checkout's.
 */
export function copyWorkspace(
  label: string,
  options: { nodeModules?: 'symlink' | 'hardlink' } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), `slipway-${label}-`));
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    { cwd: REPO },
  )
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(REPO, file), join(dir, file), { dereference: false });
  }
  if (options.nodeModules === 'hardlink') {
    try {
      execFileSync('cp', ['-al', join(REPO, 'node_modules'), join(dir, 'node_modules')]);
    } catch (error) {
      throw new Error(
        `cannot hard-link node_modules into ${dir} (GNU cp -al, same filesystem as ${REPO}): set TMPDIR to a folder on that filesystem.`,
        { cause: error },
      );
    }
  } else symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'base');
  return dir;
}

/** Runs git in `cwd`, throwing with its output on failure. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Stages everything in `cwd` and commits it as a test author. */
export function commitAll(cwd: string, message: string): void {
  git(cwd, 'add', '-A');
  git(cwd, '-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-qm', message);
}

/** Result of {@link affectedStacksCli}. */
export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `npx tsx tools/delivery/src/affected-stacks.ts <args>` in `cwd` with Nx's daemon off. */
export function affectedStacksCli(cwd: string, args: string[]): CliResult {
  const result = spawnSync('npx', ['tsx', 'tools/delivery/src/affected-stacks.ts', ...args], {
    cwd,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}
