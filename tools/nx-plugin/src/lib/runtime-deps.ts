import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import type { ZipEntry } from './zip';

const run = promisify(execFile);

/** A dependency installed for the Lambda's platform, as declared in the manifest. */
export interface RuntimeDependency {
  name: string;
  version: string;
  /** Paths inside the package to mark executable (some packages ship binaries without the bit). */
  executables?: readonly string[];
}

/** Lambda architecture → npm's `--cpu`. */
const NPM_CPU: Record<'arm64' | 'x86_64', string> = { arm64: 'arm64', x86_64: 'x64' };

/**
 * Installs the manifest's runtime dependencies (for example `sharp`, whose native binary
 * comes from `@img/sharp-linux-arm64`) for the Lambda's platform, not this machine's:
 * `npm install --os=linux --cpu=<arch> --libc=glibc` picks the matching optional packages.
 * Install scripts are not run: packages that need them to fetch binaries are not fit for a
 * reproducible zip; choose ones that ship their binaries in the package.
 *
 * @returns the installed files as zip entries under `node_modules/`.
 */
export async function installRuntimeDependencies(
  deps: readonly RuntimeDependency[],
  architecture: 'arm64' | 'x86_64',
): Promise<ZipEntry[]> {
  if (deps.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'slipway-runtime-deps-'));
  try {
    await writeFile(join(dir, 'package.json'), JSON.stringify({ private: true }));
    const specs = deps.map((d) => `${d.name}@${d.version}`);
    await run(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--omit=dev',
        '--ignore-scripts',
        // npm checks a package named on the command line against this machine's CPU even with
        // --cpu; --force lifts only that check (the folder is a throwaway): --os/--cpu/--libc
        // still pick the Lambda platform's optional binaries.
        '--force',
        '--os=linux',
        `--cpu=${NPM_CPU[architecture]}`,
        '--libc=glibc',
        ...specs,
      ],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stderr?: string }) => {
      const npmSays = (error.stderr ?? '')
        .split('\n')
        .filter((l) => l.includes('npm error'))
        .slice(0, 4);
      throw new Error(
        `Could not install runtimeDependencies ${specs.join(', ')} for linux/${architecture}: ` +
          `check each name and exact version in the manifest.\n${npmSays.join('\n')}`,
        { cause: error },
      );
    });
    const executables = new Set(
      deps.flatMap((d) => (d.executables ?? []).map((p) => `node_modules/${d.name}/${p}`)),
    );
    return (await collectFiles(join(dir, 'node_modules'), dir)).map((entry) =>
      executables.has(entry.path) ? { ...entry, executable: true } : entry,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every regular file below `root` as a zip entry relative to `base`; symlinks (`.bin`) are skipped. */
export async function collectFiles(root: string, base: string): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      const stat = await lstat(path);
      if (stat.isDirectory()) await walk(path);
      else if (stat.isFile()) {
        entries.push({
          path: relative(base, path).split(sep).join('/'),
          data: await readFile(path),
          executable: (stat.mode & 0o111) !== 0,
        });
      }
    }
  };
  await walk(root);
  return entries;
}
