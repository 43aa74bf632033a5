/**
 * `npm test`: every check CI runs, in order, each as one step. Steps go on after a failure so
 * one run shows everything that is broken; the exit code is non-zero if any step failed.
 * Nx caches results with their inputs, so a second run only redoes what changed.
 *
 * Every step runs with its own temp folder (TMPDIR, TMP, TEMP) under the OS one, and a last
 * step fails if anything but a tool's cache is left in it: a test must remove what it creates,
 * also when it fails. The folder is removed at the end, so the OS temp dir is as it was.
 *
 * Each step's output is passed through as it comes and scanned for Jest's failure headers: the
 * summary at the end names every failing test under its step, so a log cut to its last lines
 * (as CI keeps it) still says which test failed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestFailureScanner } from '../ci/src/test-failures';

const root = resolve(__dirname, '../..');
const systemTempBefore = new Set(readdirSync(tmpdir()));
const runTemp = mkdtempSync(join(tmpdir(), 'slipway-test-'));
/** What tools keep in the temp dir on purpose (compile caches); never a test's leftovers. */
const TOOL_CACHES = [/^tsx-\d+$/, /^swc-node-\d+$/, /^node-compile-cache$/, /^jest_\w+$/];

const steps: [name: string, command: string][] = [
  ['formatting (prettier)', 'npx prettier --check . --log-level warn'],
  // Every project's tsconfig as one TypeScript program: the same check as each project's
  // `typecheck` target, without loading the shared declarations 37 times (tools/ci/src/typecheck-all.ts).
  ['typecheck (every project, one program)', 'npx tsx tools/ci/src/typecheck-all.ts'],
  [
    'lint, unit tests, terraform fmt/validate/test',
    'npx nx run-many -t lint test fmt validate --outputStyle=static',
  ],
  ['bootstrap: offline plan', 'npx nx run tf-bootstrap:plan --outputStyle=static'],
  [
    'integration and governance: dev plan assertions, media flow on the local cloud, reproducible zips, nx affected, lambda generator, bench probes; governance of every module, root and dev stack',
    'npx nx run-many -t integration governance --outputStyle=static',
  ],
];

/** Runs one step, passing its output through, and returns its status and failing tests. */
function runStep(command: string): Promise<{ ok: boolean; failures: string[] }> {
  const scanner = new TestFailureScanner();
  const child = spawn('bash', ['-c', command], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // The output is piped now: keep the colours a terminal would have shown.
      ...(process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {}),
      NX_DAEMON: 'false',
      NX_TUI: 'false',
      NX_NO_CLOUD: 'true',
      TMPDIR: runTemp,
      TMP: runTemp,
      TEMP: runTemp,
    },
  });
  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    scanner.push(chunk.toString('utf8'));
  });
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    scanner.push(chunk.toString('utf8'));
  });
  return new Promise((done) => {
    child.on('error', (error) => {
      console.error(`could not start: ${error.message}`);
      done({ ok: false, failures: scanner.failures });
    });
    child.on('close', (code) => {
      scanner.end();
      done({ ok: code === 0, failures: scanner.failures });
    });
  });
}

async function main(): Promise<void> {
  const results: { name: string; ok: boolean; seconds: number; failures: string[] }[] = [];
  for (const [name, command] of steps) {
    console.log(`\n=== ${name}\n$ ${command}`);
    const started = Date.now();
    const { ok, failures } = await runStep(command);
    results.push({ name, ok, seconds: (Date.now() - started) / 1000, failures });
  }

  const leftovers = readdirSync(runTemp).filter((n) => !TOOL_CACHES.some((c) => c.test(n)));
  console.log(`\n=== temp folder: nothing left behind\n$ ls ${runTemp}`);
  if (leftovers.length) console.log(`left behind by a test:\n  ${leftovers.sort().join('\n  ')}`);
  results.push({
    name: 'temp folder: nothing left behind',
    ok: leftovers.length === 0,
    seconds: 0,
    failures: [],
  });
  rmSync(runTemp, { recursive: true, force: true });
  // Anything new in the OS temp dir itself came from a tool that ignores TMPDIR, or from another
  // process on the machine: said, not failed, since this run cannot tell which.
  const systemTempNew = readdirSync(tmpdir()).filter((n) => !systemTempBefore.has(n));
  console.log(
    systemTempNew.length
      ? `new in ${tmpdir()} since the run began (not from TMPDIR users):\n  ${systemTempNew.sort().join('\n  ')}`
      : `nothing new in ${tmpdir()} either`,
  );

  console.log('\n=== summary');
  for (const r of results) {
    console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.seconds.toFixed(1).padStart(6)} s  ${r.name}`);
    if (!r.ok) for (const test of r.failures) console.log(`        failed: ${test}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

void main();
