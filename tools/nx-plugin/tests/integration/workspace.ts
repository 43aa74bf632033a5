import { execFile, execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The workspace this test suite belongs to. */
export const REPO = join(__dirname, '../../../..');

/** Copies made by this test file; removed after its tests, also when they fail. */
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Copies the workspace's tracked and untracked-but-not-ignored files into a fresh folder (no
 * dist/, no Nx cache, no cdktf.out), links node_modules, and commits it so `nx affected`
 * has a base. Tests mutate the copy, never the real workspace. The copy is removed after the
 * calling test file's tests.
 */
export function copyWorkspace(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `slipway-${label}-`));
  copies.push(dir);
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
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-qm', 'base');
  return dir;
}

/**
 * Copies the checkout's package of every Lambda in apps/ (zip, sha256 and listings) into the
 * copy's dist/apps, as a deploy would find them in the artifact bucket; returns their names. For
 * targets that depend on every Lambda's `package` target: the copy then synthesizes without
 * rebuilding Lambdas it does not change.
 */
export function copyCheckoutPackages(dir: string): string[] {
  const names = readdirSync(join(REPO, 'apps')).filter((name) =>
    existsSync(join(REPO, 'apps', name, 'lambda.manifest.json')),
  );
  for (const name of names) {
    const from = join(REPO, 'dist/apps', name);
    if (!existsSync(join(from, `${name}.zip.sha256`)))
      throw new Error(`${from} is not packaged: run npx nx run-many -t package first.`);
    cpSync(from, join(dir, 'dist/apps', name), { recursive: true });
  }
  return names;
}

/** What every command here runs with: Nx's daemon, cloud and terminal UI off, as CI runs it. */
function commandEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    CI: 'true',
    ...env,
  };
}

/** Result of {@link sh}. */
export interface ShResult {
  status: number;
  output: string;
}

/** Runs a shell command in `cwd` with Nx's daemon and cloud off; returns exit status and all output. */
export function sh(cwd: string, command: string, env: Record<string, string> = {}): ShResult {
  const result = spawnSync('bash', ['-c', command], {
    cwd,
    env: commandEnv(env),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? 1, output: `${result.stdout}\n${result.stderr}` };
}

/** Like {@link sh} but throws with the output when the command fails. */
export function shOk(cwd: string, command: string, env: Record<string, string> = {}): string {
  const result = sh(cwd, command, env);
  if (result.status !== 0)
    throw new Error(`${command} failed (${result.status}):\n${result.output.slice(-6000)}`);
  return result.output;
}

/**
 * Like {@link shOk}, but asynchronous, so that independent commands (e.g. two terraform plans)
 * run side by side.
 */
export function shOkAsync(cwd: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-c', command],
      {
        cwd,
        env: commandEnv(),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const output = `${stdout}\n${stderr}`;
        if (error) reject(new Error(`${command} failed (${error.code}):\n${output.slice(-6000)}`));
        else resolve(output);
      },
    );
  });
}
