#!/usr/bin/env node
/**
 * Runs a TypeScript entry script (through tsx) on a Node.js that Slipway supports, whatever
 * Node the user's shell has. Every `npm` script of the root package.json goes through it, so
 * the README's two commands (`npm ci && npm start`, `npm test`) are the whole set-up:
 *
 * - Node >= 22 (the major in `.nvmrc`): runs `tsx <script> [args...]` as is.
 * - An older Node: takes the pinned Node 22 release from the npm registry (the official binary
 *   in the package `node-<platform>-<arch>`, the same one `.ci/run` uses), unpacks it once into
 *   the user cache (`$SLIPWAY_CACHE`, default `~/.cache/slipway`), puts it first on PATH for
 *   this command and everything it starts (npx, nx, jest, terraform's helpers), and runs the
 *   script with it.
 * - When that is impossible (no registry, a platform with no such package, `SLIPWAY_NODE_FETCH=0`),
 *   it prints ONE line saying what is needed and how to get it, and exits 1 within seconds,
 *   instead of letting the job start and fail later in ways that do not name the cause.
 *
 * `node tools/scripts/with-node.cjs --bin-dir` prints the folder of a supported `node` to put
 * on PATH (empty when the current one is fine): `.ci/env.sh` uses it, so the shell and the npm
 * scripts share this one implementation.
 *
 * Terraform's providers: on a machine with an offline provider mirror (a folder laid out as
 * `terraform providers mirror` writes it; `$SLIPWAY_TF_PROVIDER_MIRROR`, default `/opt/tf-plugins`,
 * where CI and the sandbox machines keep theirs) and no usable CLI config of the user's
 * (`TF_CLI_CONFIG_FILE` unset or naming a missing file), it writes a CLI config installing the
 * hashicorp providers from that mirror into the cache folder and sets `TF_CLI_CONFIG_FILE` for
 * the command. Everywhere else nothing changes and Terraform downloads providers as usual.
 * `--tf-config` prints that file's path (empty when none applies), for `.ci/env.sh`.
 *
 * Written as plain CommonJS with no syntax newer than Node 8, so that an old Node can parse it
 * far enough to print the message.
 */
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');
/** The exact release fetched when the machine's Node is too old (kept in step with `.ci/env.sh`). */
const PINNED_VERSION = '22.23.3';
const REQUIRED_MAJOR = Number(
  fs.readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim().replace(/^v/, '').split('.')[0],
);

function fail(message) {
  process.stderr.write('slipway: ' + message + '\n');
  process.exit(1);
}

/** `fs.rmSync` arrived in Node 14.14; older ones get the recursive `rmdirSync`. */
function removeTree(dir) {
  if (fs.rmSync) fs.rmSync(dir, { recursive: true, force: true });
  else if (fs.existsSync(dir)) fs.rmdirSync(dir, { recursive: true });
}

function major(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

function cacheRoot() {
  if (process.env.SLIPWAY_CACHE) return process.env.SLIPWAY_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'slipway');
}

function packageName() {
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  return platform && arch ? 'node-' + platform + '-' + arch : undefined;
}

function nodeBinary(dir) {
  return process.platform === 'win32' ? path.join(dir, 'node.exe') : path.join(dir, 'bin', 'node');
}

function versionOf(binary) {
  const probe = childProcess.spawnSync(binary, ['-p', 'process.versions.node'], {
    encoding: 'utf8',
    timeout: 10000,
  });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** Downloads and unpacks the pinned release; returns undefined or the reason it could not. */
function fetchNode(name, dir) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-node-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const pack = childProcess.spawnSync(
      npm,
      ['pack', '--loglevel=error', '--fetch-retries=0', name + '@' + PINNED_VERSION],
      { cwd: work, encoding: 'utf8', timeout: 300000, shell: process.platform === 'win32' },
    );
    const tarball = fs.readdirSync(work).filter((f) => f.endsWith('.tgz'))[0];
    if (pack.status !== 0 || !tarball) {
      const said = (pack.stderr || (pack.error && pack.error.message) || '').trim().split('\n');
      const why = said.filter((line) => /code|error/i.test(line))[0] || said[0] || 'no tarball';
      return (
        'npm pack ' + name + '@' + PINNED_VERSION + ' failed: ' + why.replace(/^npm error /, '')
      );
    }
    const unpacked = path.join(work, 'unpacked');
    fs.mkdirSync(unpacked);
    const tar = childProcess.spawnSync('tar', ['-xzf', path.join(work, tarball), '-C', unpacked], {
      encoding: 'utf8',
    });
    if (tar.status !== 0) return 'could not unpack ' + tarball + ': ' + (tar.stderr || '').trim();
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    removeTree(dir);
    fs.renameSync(path.join(unpacked, 'package'), dir);
    return undefined;
  } finally {
    removeTree(work);
  }
}

/** The folder holding a supported `node`, or undefined when the running one is supported. */
function supportedBinDir() {
  if (major(process.versions.node) >= REQUIRED_MAJOR) return undefined;
  const howToInstall =
    'install Node ' +
    REQUIRED_MAJOR +
    ' or newer (e.g. `nvm install`, which reads .nvmrc) and run the command again.';
  const name = packageName();
  if (!name)
    fail(
      'Node ' +
        process.version +
        ' is too old (this project needs ' +
        REQUIRED_MAJOR +
        '+) and no Node binary package exists for ' +
        process.platform +
        '-' +
        process.arch +
        ': ' +
        howToInstall,
    );
  const dir = path.join(cacheRoot(), 'node-' + PINNED_VERSION);
  const binary = nodeBinary(dir);
  if (!(major(versionOf(binary)) >= REQUIRED_MAJOR)) {
    if (process.env.SLIPWAY_NODE_FETCH === '0')
      fail(
        'Node ' +
          process.version +
          ' is too old (this project needs ' +
          REQUIRED_MAJOR +
          '+) and SLIPWAY_NODE_FETCH=0 forbids fetching one: ' +
          howToInstall,
      );
    const problem = fetchNode(name, dir);
    if (problem || !(major(versionOf(binary)) >= REQUIRED_MAJOR))
      fail(
        'Node ' +
          process.version +
          ' is too old (this project needs ' +
          REQUIRED_MAJOR +
          '+) and Node ' +
          PINNED_VERSION +
          ' could not be fetched (' +
          (problem || binary + ' does not run') +
          '): ' +
          howToInstall,
      );
    // Said once, after the fact: a failed fetch prints only the line above.
    process.stderr.write(
      'slipway: Node ' +
        process.version +
        ' is older than the ' +
        REQUIRED_MAJOR +
        ' this project needs; using Node ' +
        PINNED_VERSION +
        ' fetched from the npm registry (' +
        name +
        ') into ' +
        dir +
        '\n',
    );
  }
  return path.dirname(binary);
}

/**
 * The CLI config to give Terraform, or undefined to leave it alone (see the header). A user's
 * existing config always wins; a `TF_CLI_CONFIG_FILE` naming a missing file is said once, since
 * Terraform itself ignores it silently and then fails far from the cause.
 */
function terraformConfig(env) {
  const configured = env.TF_CLI_CONFIG_FILE;
  if (configured && fs.existsSync(configured)) return undefined;
  const mirror = env.SLIPWAY_TF_PROVIDER_MIRROR || '/opt/tf-plugins';
  if (!fs.existsSync(mirror)) {
    if (configured && !env.SLIPWAY_TF_CONFIG_WARNED) {
      process.stderr.write(
        'slipway: TF_CLI_CONFIG_FILE=' +
          configured +
          ' does not exist, so Terraform uses its defaults (providers from the registry); unset it or create that file.\n',
      );
      env.SLIPWAY_TF_CONFIG_WARNED = '1';
    }
    return undefined;
  }
  const file = path.join(cacheRoot(), 'terraform-offline.tfrc');
  const text =
    'provider_installation {\n' +
    '  filesystem_mirror {\n' +
    '    path    = ' +
    JSON.stringify(mirror) +
    '\n' +
    '    include = ["registry.terraform.io/hashicorp/*"]\n' +
    '  }\n' +
    '  direct {\n' +
    '    exclude = ["registry.terraform.io/hashicorp/*"]\n' +
    '  }\n' +
    '}\n';
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
  return file;
}

function main(argv) {
  if (argv[0] === '--bin-dir') {
    process.stdout.write((supportedBinDir() || '') + '\n');
    return;
  }
  if (argv[0] === '--tf-config') {
    process.stdout.write((terraformConfig(process.env) || '') + '\n');
    return;
  }
  if (!argv[0] || argv[0] === '--help')
    fail('usage: node tools/scripts/with-node.cjs <script.ts> [args...] | --bin-dir | --tf-config');

  const binDir = supportedBinDir();
  const env = Object.assign({}, process.env);
  let node = process.execPath;
  if (binDir) {
    if (env.SLIPWAY_WITH_NODE_ACTIVE)
      fail('the fetched Node did not take over (PATH=' + env.PATH + '): ' + binDir);
    node = nodeBinary(path.dirname(binDir));
    env.PATH = binDir + path.delimiter + (env.PATH || '');
    env.SLIPWAY_WITH_NODE_ACTIVE = '1';
  }
  const tfConfig = terraformConfig(env);
  if (tfConfig) env.TF_CLI_CONFIG_FILE = tfConfig;
  let tsx;
  try {
    tsx = require.resolve('tsx/cli', { paths: [ROOT] });
  } catch (_error) {
    fail('tsx is not installed in ' + ROOT + ': run `npm ci` first.');
  }
  const run = childProcess.spawnSync(node, [tsx].concat(argv), { stdio: 'inherit', env: env });
  if (run.error) fail('could not start ' + node + ': ' + run.error.message);
  if (run.signal) process.kill(process.pid, run.signal);
  process.exit(run.status === null ? 1 : run.status);
}

main(process.argv.slice(2));
