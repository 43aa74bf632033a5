import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `tools/scripts/with-node.cjs` is the version check every root npm script goes through
 * (`npm start`, `npm test`, `npm run bench`, ...). These run it under a fake Node 20 (a
 * `--require` preload that makes the process report v20.20.2) and pin what a newcomer sees.
 */
const root = resolve(__dirname, '../../../..');
const launcher = join(root, 'tools/scripts/with-node.cjs');
const fixtures = join(__dirname, '../fixtures/with-node');
const fakeNode20 = join(fixtures, 'fake-node-20.cjs');
const report = join(fixtures, 'report.ts');
const pinned = /const PINNED_VERSION = '([\d.]+)'/.exec(readFileSync(launcher, 'utf8'))![1];
const binaryPackage = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'with-node-spec-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const launch = (args: string[], env: NodeJS.ProcessEnv = {}, old = true) =>
  spawnSync(process.execPath, [...(old ? ['--require', fakeNode20] : []), launcher, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      SLIPWAY_CACHE: work,
      SLIPWAY_WITH_NODE_ACTIVE: '',
      // No provider mirror and no CLI config unless a case sets them: the machine's own
      // (CI keeps a mirror) must not decide what these cases see.
      SLIPWAY_TF_PROVIDER_MIRROR: join(work, 'no-mirror'),
      TF_CLI_CONFIG_FILE: '',
      SLIPWAY_TF_CONFIG_WARNED: '',
      ...env,
    },
  });

describe('with-node (the entry scripts’ Node check)', () => {
  it('runs the script on the cached Node 22 with its folder first on PATH when the Node is older', () => {
    // Prepare: the cache already holds the pinned release (the Node running this test stands in).
    const bin = join(work, `node-${pinned}`, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));

    // Act
    const run = launch([report, 'a', 'b']);

    // Assess
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: `ran on ${process.version} with a b; PATH starts ${bin}; TF_CLI_CONFIG_FILE=\n`,
      stderr: '',
    });
  });

  it('prints one line naming what is needed and exits 1 when Node 22 cannot be fetched', () => {
    // Prepare: an empty cache and a registry that refuses connections.
    const env = { npm_config_registry: 'http://127.0.0.1:9/' };

    // Act
    const run = launch([report], env);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      `slipway: Node v20.20.2 is too old (this project needs 22+) and Node ${pinned} could not be fetched (npm pack ${binaryPackage}@${pinned} failed: code ECONNREFUSED): install Node 22 or newer (e.g. \`nvm install\`, which reads .nvmrc) and run the command again.`,
      '',
    ]);
  });

  it('fetches nothing and says so when SLIPWAY_NODE_FETCH=0', () => {
    const run = launch([report], { SLIPWAY_NODE_FETCH: '0' });

    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'slipway: Node v20.20.2 is too old (this project needs 22+) and SLIPWAY_NODE_FETCH=0 forbids fetching one: install Node 22 or newer (e.g. `nvm install`, which reads .nvmrc) and run the command again.\n',
    });
  });

  it('tells .ci/env.sh which folder to put on PATH, and nothing on a supported Node', () => {
    const bin = join(work, `node-${pinned}`, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));

    expect(launch(['--bin-dir']).stdout).toBe(`${bin}\n`);
    expect(launch(['--bin-dir'], {}, false).stdout).toBe('\n');
  });

  it('gives Terraform a CLI config installing from the machine’s provider mirror when the user has none', () => {
    // Prepare: a mirror folder, and a TF_CLI_CONFIG_FILE naming a file that does not exist.
    const mirror = join(work, 'mirror');
    mkdirSync(mirror);
    const env = {
      SLIPWAY_TF_PROVIDER_MIRROR: mirror,
      TF_CLI_CONFIG_FILE: join(work, 'missing.tfrc'),
    };
    const config = join(work, 'terraform-offline.tfrc');

    // Act
    const run = launch([report], env, false);

    // Assess
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: expect.stringMatching(new RegExp(`; TF_CLI_CONFIG_FILE=${config}\n$`)),
      stderr: '',
    });
    expect(readFileSync(config, 'utf8')).toBe(
      [
        'provider_installation {',
        '  filesystem_mirror {',
        `    path    = ${JSON.stringify(mirror)}`,
        '    include = ["registry.terraform.io/hashicorp/*"]',
        '  }',
        '  direct {',
        '    exclude = ["registry.terraform.io/hashicorp/*"]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    expect(launch(['--tf-config'], env, false).stdout).toBe(`${config}\n`);
  });

  it('leaves an existing CLI config of the user’s alone, mirror or not', () => {
    const mirror = join(work, 'mirror');
    mkdirSync(mirror);
    const own = join(work, 'own.tfrc');
    writeFileSync(own, 'plugin_cache_dir = "/tmp"\n');

    const run = launch(
      [report],
      { SLIPWAY_TF_PROVIDER_MIRROR: mirror, TF_CLI_CONFIG_FILE: own },
      false,
    );

    expect(run.stdout).toMatch(new RegExp(`; TF_CLI_CONFIG_FILE=${own}\n$`));
    expect(run.stderr).toBe('');
  });

  it('says once that a TF_CLI_CONFIG_FILE names a missing file when no mirror can stand in', () => {
    const missing = join(work, 'missing.tfrc');

    const run = launch([report], { TF_CLI_CONFIG_FILE: missing }, false);

    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 0,
      stderr: `slipway: TF_CLI_CONFIG_FILE=${missing} does not exist, so Terraform uses its defaults (providers from the registry); unset it or create that file.\n`,
    });
    expect(run.stdout).toMatch(new RegExp(`; TF_CLI_CONFIG_FILE=${missing}\n$`));
  });

  it('is what every root npm script that runs TypeScript starts with', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const entries = Object.entries(scripts).filter(([, command]) => /\.ts\b/.test(command));

    expect(entries.map(([name]) => name)).toEqual(
      expect.arrayContaining(['start', 'test', 'bench', 'sandbox']),
    );
    for (const [name, command] of entries)
      expect(`${name}: ${command}`).toMatch(
        new RegExp(`^${name}: node tools/scripts/with-node\\.cjs `),
      );
  });
});
