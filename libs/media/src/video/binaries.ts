import { accessSync, constants, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VideoBinaryNotFoundError, type VideoTool } from './errors';

/** Where to look for a binary; every field defaults to this process's own. */
export interface ResolveBinaryOptions {
  /** Environment to read `FFMPEG_PATH` / `FFPROBE_PATH` from. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** CPU architecture as Node names it (`arm64`, `x64`). Default: `process.arch`. */
  readonly arch?: string;
  /** Module resolution used for the package's `package.json`. Default: `require.resolve`. */
  readonly resolve?: (id: string) => string;
}

interface ToolSpec {
  readonly tool: VideoTool;
  readonly variable: string;
  /** npm scope of the per-platform packages: `<scope>/linux-<arch>` holds the binary. */
  readonly scope: string;
}

const FFMPEG: ToolSpec = { tool: 'ffmpeg', variable: 'FFMPEG_PATH', scope: '@ffmpeg-installer' };
const FFPROBE: ToolSpec = {
  tool: 'ffprobe',
  variable: 'FFPROBE_PATH',
  scope: '@ffprobe-installer',
};

/**
 * The npm package that carries `tool` for Linux on `arch`, for example
 * `@ffprobe-installer/linux-arm64`. Other platforms have packages too (`darwin-arm64`,
 * `win32-x64`) but Slipway's Lambdas and CI are Linux, so only those are looked for.
 */
export function binaryPackageName(tool: VideoTool, arch: string = process.arch): string {
  return `${(tool === 'ffmpeg' ? FFMPEG : FFPROBE).scope}/linux-${arch}`;
}

/**
 * Path of the ffmpeg binary to run. `FFMPEG_PATH` wins when set (a Debian `ffmpeg`, a layer at
 * `/opt/bin/ffmpeg`...); otherwise the binary inside `@ffmpeg-installer/linux-<arch>` for this
 * process's architecture (`linux-arm64` in the Lambda zip, `linux-x64` from devDependencies on
 * CI). The file must exist and be executable by this process.
 *
 * @throws {VideoBinaryNotFoundError} naming the variable and the package, when neither gives an
 * executable file.
 *
 * @example
 * resolveFfmpeg(); // '/var/task/node_modules/@ffmpeg-installer/linux-arm64/ffmpeg'
 * resolveFfmpeg({ env: { FFMPEG_PATH: '/usr/bin/ffmpeg' } }); // '/usr/bin/ffmpeg'
 */
export function resolveFfmpeg(options: ResolveBinaryOptions = {}): string {
  return resolveBinary(FFMPEG, options);
}

/**
 * Path of the ffprobe binary to run: `FFPROBE_PATH`, else the binary inside
 * `@ffprobe-installer/linux-<arch>`. Same rules as {@link resolveFfmpeg}.
 *
 * `@ffprobe-installer/linux-arm64@5.2.0` ships `ffprobe` WITHOUT the execute bit (mode 0644 in
 * its tarball; its `postinstall` does the chmod, and Lambda packages are installed with
 * `--ignore-scripts`). The packager must set the bit: the check below turns a forgotten one
 * into a named error instead of an `EACCES` from `spawn`.
 *
 * @throws {VideoBinaryNotFoundError} when neither gives an executable file.
 */
export function resolveFfprobe(options: ResolveBinaryOptions = {}): string {
  return resolveBinary(FFPROBE, options);
}

function resolveBinary(spec: ToolSpec, options: ResolveBinaryOptions): string {
  const env = options.env ?? process.env;
  const arch = options.arch ?? process.arch;
  const resolve = options.resolve ?? require.resolve;
  const packageName = binaryPackageName(spec.tool, arch);
  const fail = (message: string, cause?: unknown): never => {
    throw new VideoBinaryNotFoundError(spec.tool, spec.variable, packageName, message, { cause });
  };

  const fromEnv = env[spec.variable];
  if (fromEnv !== undefined && fromEnv !== '') {
    const problem = executableProblem(fromEnv);
    if (problem !== undefined) {
      fail(
        `${spec.variable} is set to ${fromEnv}, but that ${problem}. Point ${spec.variable} at an executable ${spec.tool} binary, or unset it to use the npm package ${packageName}.`,
      );
    }
    return fromEnv;
  }

  let binary: string;
  try {
    binary = join(dirname(resolve(`${packageName}/package.json`)), spec.tool);
  } catch (error) {
    return fail(
      `No ${spec.tool} binary for linux/${arch}: ${spec.variable} is not set and the npm package ${packageName} is not installed. Install ${packageName} (a runtimeDependency of the Lambda, or a devDependency for tests), or set ${spec.variable} to an executable ${spec.tool}.`,
      error,
    );
  }
  const problem = executableProblem(binary);
  if (problem !== undefined) {
    fail(
      `${packageName} is installed, but ${binary} ${problem}. Reinstall ${packageName} with its files intact and the execute bit set (chmod 755: npm --ignore-scripts skips the package's own chmod), or set ${spec.variable} to an executable ${spec.tool}.`,
    );
  }
  return binary;
}

/** Why `file` cannot be run, or `undefined` when it can. */
function executableProblem(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return 'is not a file';
  } catch {
    return 'does not exist';
  }
  try {
    accessSync(file, constants.X_OK);
  } catch {
    return 'is not executable by this process';
  }
  return undefined;
}
