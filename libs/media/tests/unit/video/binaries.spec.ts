import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  binaryPackageName,
  resolveFfmpeg,
  resolveFfprobe,
  VideoBinaryNotFoundError,
} from '../../../src/video';
import { makeTempDir } from './helpers';

describe('resolveFfmpeg / resolveFfprobe', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeAll(async () => {
    temp = await makeTempDir();
  });
  afterAll(() => temp.remove());

  /** A fake `<scope>/linux-<arch>` package folder holding `binary` with the given mode. */
  async function fakePackage(name: string, binary: string, mode: number): Promise<string> {
    const dir = join(temp.dir, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), '{}');
    await writeFile(join(dir, binary), '#!/bin/sh\n');
    await chmod(join(dir, binary), mode);
    return join(dir, 'package.json');
  }

  it('finds the binaries of the devDependency packages for this machine by default', () => {
    // Act
    const ffmpeg = resolveFfmpeg({ env: {} });
    const ffprobe = resolveFfprobe({ env: {} });

    // Assess
    expect(ffmpeg).toMatch(/node_modules\/@ffmpeg-installer\/linux-x64\/ffmpeg$/);
    expect(ffprobe).toMatch(/node_modules\/@ffprobe-installer\/linux-x64\/ffprobe$/);
  });

  it('names the package of the requested architecture', () => {
    expect(binaryPackageName('ffmpeg', 'arm64')).toBe('@ffmpeg-installer/linux-arm64');
    expect(binaryPackageName('ffprobe', 'arm64')).toBe('@ffprobe-installer/linux-arm64');
  });

  it('prefers FFMPEG_PATH / FFPROBE_PATH over the package', async () => {
    // Prepare
    const custom = join(temp.dir, 'custom-ffmpeg');
    await writeFile(custom, '#!/bin/sh\n');
    await chmod(custom, 0o755);

    // Act
    const ffmpeg = resolveFfmpeg({ env: { FFMPEG_PATH: custom }, arch: 'no-such-arch' });
    const ffprobe = resolveFfprobe({ env: { FFPROBE_PATH: custom }, arch: 'no-such-arch' });

    // Assess
    expect(ffmpeg).toBe(custom);
    expect(ffprobe).toBe(custom);
  });

  it('rejects an override that points nowhere, naming the variable', () => {
    const missing = join(temp.dir, 'nothing-here');

    expect(() => resolveFfmpeg({ env: { FFMPEG_PATH: missing } })).toThrow(
      `FFMPEG_PATH is set to ${missing}, but that does not exist.`,
    );
  });

  it('rejects an override that is not executable', async () => {
    // Prepare
    const notExecutable = join(temp.dir, 'plain-file');
    await writeFile(notExecutable, 'data');
    await chmod(notExecutable, 0o644);

    // Act / Assess
    expect(() => resolveFfprobe({ env: { FFPROBE_PATH: notExecutable } })).toThrow(
      /FFPROBE_PATH is set to .*plain-file, but that is not executable by this process/,
    );
  });

  it('says which variable and which package when there is no binary at all', () => {
    // Act
    let error: unknown;
    try {
      resolveFfmpeg({ env: {}, arch: 'mips' });
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(VideoBinaryNotFoundError);
    const notFound = error as VideoBinaryNotFoundError;
    expect(notFound).toMatchObject({
      name: 'VideoBinaryNotFoundError',
      tool: 'ffmpeg',
      variable: 'FFMPEG_PATH',
      packageName: '@ffmpeg-installer/linux-mips',
    });
    expect(notFound.message).toBe(
      'No ffmpeg binary for linux/mips: FFMPEG_PATH is not set and the npm package @ffmpeg-installer/linux-mips is not installed. Install @ffmpeg-installer/linux-mips (a runtimeDependency of the Lambda, or a devDependency for tests), or set FFMPEG_PATH to an executable ffmpeg.',
    );
  });

  it('treats an empty variable as unset', () => {
    expect(() => resolveFfmpeg({ env: { FFMPEG_PATH: '' }, arch: 'mips' })).toThrow(
      /FFMPEG_PATH is not set/,
    );
  });

  it('reports a package whose binary lost its execute bit (npm --ignore-scripts)', async () => {
    // Prepare: what `npm install --ignore-scripts @ffprobe-installer/linux-arm64@5.2.0` leaves.
    const packageJson = await fakePackage('linux-arm64', 'ffprobe', 0o644);

    // Act / Assess
    expect(() => resolveFfprobe({ env: {}, arch: 'arm64', resolve: () => packageJson })).toThrow(
      /@ffprobe-installer\/linux-arm64 is installed, but .*\/ffprobe is not executable by this process\. .*chmod 755/,
    );
  });

  it('accepts a package whose binary is executable', async () => {
    const packageJson = await fakePackage('linux-ok', 'ffmpeg', 0o755);

    expect(resolveFfmpeg({ env: {}, arch: 'arm64', resolve: () => packageJson })).toBe(
      join(temp.dir, 'linux-ok', 'ffmpeg'),
    );
  });
});

/**
 * `-version` first lines, up to the copyright, of the builds in package.json (x64:
 * devDependencies; arm64: what the Lambda zips ship, read with `strings` from the tarballs).
 */
const PINNED_VERSIONS: Record<string, { ffmpeg: string; ffprobe: string }> = {
  x64: {
    ffmpeg: 'ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/',
    ffprobe: 'ffprobe version N-66595-gc2b38619c0-static https://johnvansickle.com/ffmpeg/',
  },
  arm64: {
    ffmpeg: 'ffmpeg version N-49006-gd81913e680-static https://johnvansickle.com/ffmpeg/',
    ffprobe: 'ffprobe version N-66595-gc2b38619c0-static https://johnvansickle.com/ffmpeg/',
  },
};

describe('the pinned ffmpeg and ffprobe builds (libs/media/src/video/README.md, "Binaries")', () => {
  /** The first line of `<binary> -version` up to its copyright (the build's name and origin). */
  async function versionOf(binary: string): Promise<string> {
    const { stdout } = await promisify(execFile)(binary, ['-version']);
    return stdout.split('\n')[0].split(/\s+Copyright /)[0];
  }

  it('are the two builds the code is tested with: a change of either is a deliberate step', async () => {
    // Act
    const [ffmpeg, ffprobe] = await Promise.all([
      versionOf(resolveFfmpeg({ env: {} })),
      versionOf(resolveFfprobe({ env: {} })),
    ]);

    // Assess: not one build (no redistributable FFmpeg ≥ 6 pair is on npm: see the README).
    expect({ ffmpeg, ffprobe }).toEqual(PINNED_VERSIONS[process.arch]);
  });
});
