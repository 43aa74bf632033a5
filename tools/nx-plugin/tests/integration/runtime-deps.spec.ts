import { installRuntimeDependencies } from '../../src/lib/runtime-deps';

/**
 * Real npm install from the registry: native packages must come for the Lambda's platform
 * (linux/arm64 here), not for the machine that packages them (linux/x64).
 */
describe('runtime dependencies with native binaries', () => {
  it('installs sharp with its linux-arm64 binary and libvips, and none for x64', async () => {
    const entries = await installRuntimeDependencies(
      [{ name: 'sharp', version: '0.34.5' }],
      'arm64',
    );

    const paths = entries.map((e) => e.path);
    expect(paths).toContain('node_modules/sharp/package.json');
    expect(
      paths.some((p) =>
        /^node_modules\/@img\/sharp-linux-arm64\/lib\/sharp-linux-arm64\.node$/.test(p),
      ),
    ).toBe(true);
    expect(
      paths.some((p) => p.startsWith('node_modules/@img/sharp-libvips-linux-arm64/lib/')),
    ).toBe(true);
    expect(paths.some((p) => p.includes('linux-x64'))).toBe(false);
    expect(paths.some((p) => p.includes('/.bin/'))).toBe(false);
  });

  it('installs the x64 binary for an x86_64 Lambda', async () => {
    const entries = await installRuntimeDependencies(
      [{ name: 'sharp', version: '0.34.5' }],
      'x86_64',
    );

    const paths = entries.map((e) => e.path);
    expect(paths.some((p) => p.startsWith('node_modules/@img/sharp-linux-x64/'))).toBe(true);
    expect(paths.some((p) => p.includes('linux-arm64'))).toBe(false);
  });

  it('names the package when npm cannot install it', async () => {
    await expect(
      installRuntimeDependencies(
        [{ name: 'slipway-no-such-package-xyz', version: '1.0.0' }],
        'arm64',
      ),
    ).rejects.toThrow(
      /Could not install runtimeDependencies slipway-no-such-package-xyz@1\.0\.0 for linux\/arm64: check each name/,
    );
  });
});
