/**
 * deploy-guard with real git on a throwaway repository: main A → B → C, and a branch commit D
 * made from B. Only main's head, or a main commit that descends from the last applied one, may
 * be applied; re-running an old run (B after C) and a branch's commit (D) are refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/deploy-guard';

let repo: string;
const sha: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };

/** git in the throwaway repository, with an identity and no signing of its own. */
function git(...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=Test',
      '-c',
      'user.email=test@example.com',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}

beforeAll(() => {
  // Prepare: main A → B → C; branch feature from B with D.
  repo = mkdtempSync(join(tmpdir(), 'deploy-guard-'));
  git('init', '--quiet', '--initial-branch=main');
  for (const name of ['A', 'B', 'C'] as const) {
    git('commit', '--quiet', '--allow-empty', '-m', name);
    sha[name] = git('rev-parse', 'HEAD');
  }
  git('checkout', '--quiet', '-b', 'feature', sha.B);
  git('commit', '--quiet', '--allow-empty', '-m', 'D');
  sha.D = git('rev-parse', 'HEAD');
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

/** Runs the CLI in-process against the throwaway repository. */
async function guard(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--environment', 'prod', '--dir', repo, ...argv], {
    write: (s) => void out.push(s),
    error: (s) => void err.push(s),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const s = (name: keyof typeof sha) => sha[name].slice(0, 12);
const deployHint =
  "Deploy main's head instead: Actions → Deploy → Run workflow on main, not a re-run of an old run or a run from another branch.\n";

describe('deploy-guard on a real git repository', () => {
  it("lets main's head be applied", async () => {
    // Act
    const run = await guard('--commit', sha.C, '--expect-head', sha.C);

    // Assess
    expect(run).toEqual({
      code: 0,
      stdout: `deploy-guard: prod may apply it: ${s('C')} is main's head.\n`,
      stderr: '',
    });
  });

  it('refuses a non-head commit of main when no last applied commit is known (an old run re-run)', async () => {
    // Act: the checked-out commit is the default; main moved on to C.
    git('checkout', '--quiet', sha.B);
    const run = await guard('--expect-head', 'main');

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `deploy-guard: refusing to apply ${sha.B} to prod:\n` +
        `  - ${s('B')} is not main's head ${s('C')}: it is 1 commit behind it, and no last applied commit of prod was given to prove it is newer than what prod runs.\n` +
        deployHint,
    });
  });

  it('lets a commit behind the head be applied when it descends from the last applied one', async () => {
    // Act
    const run = await guard('--commit', sha.B, '--expect-head', sha.C, '--last-applied', sha.A);

    // Assess
    expect(run).toEqual({
      code: 0,
      stdout: `deploy-guard: prod may apply it: ${s('B')} is on main (1 behind its head ${s('C')}) and descends from ${s('A')}, the last commit applied to prod.\n`,
      stderr: '',
    });
  });

  it('refuses to roll back: a commit older than the last applied one', async () => {
    // Act
    const run = await guard('--commit', sha.B, '--expect-head', sha.C, '--last-applied', sha.C);

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `deploy-guard: refusing to apply ${sha.B} to prod:\n` +
        `  - ${s('B')} is older than ${s('C')}, the last commit applied to prod: applying it would roll prod back.\n` +
        deployHint,
    });
  });

  it("refuses another branch's commit, even one that descends from the last applied commit", async () => {
    // Act
    const run = await guard('--commit', sha.D, '--expect-head', sha.C, '--last-applied', sha.A);

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `deploy-guard: refusing to apply ${sha.D} to prod:\n` +
        `  - ${s('D')} is not on main (its head ${s('C')} does not descend from it): a commit of another branch is never applied to prod.\n` +
        deployHint,
    });
  });

  it("refuses main's head when it does not descend from the last applied commit (history rewritten)", async () => {
    // Act: the last applied commit is D, which main's head C does not contain.
    const run = await guard('--commit', sha.C, '--expect-head', sha.C, '--last-applied', sha.D);

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `deploy-guard: refusing to apply ${sha.C} to prod:\n` +
        `  - ${s('C')} does not descend from ${s('D')}, the last commit applied to prod: applying it would drop what that commit deployed (was main's history rewritten?).\n` +
        deployHint,
    });
  });

  it('names a last applied commit the clone does not have, and how to fetch it', async () => {
    // Act
    const run = await guard(
      '--commit',
      sha.C,
      '--expect-head',
      sha.C,
      '--last-applied',
      'f'.repeat(40),
    );

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `deploy-guard: --last-applied ${'f'.repeat(40)} is not a commit of this repository. Check the sha, or fetch full history first (actions/checkout with fetch-depth: 0, or git fetch --unshallow).\n`,
    });
  });
});
