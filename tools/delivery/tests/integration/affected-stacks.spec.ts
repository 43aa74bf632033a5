import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StackMatrix } from '../../src/affected';
import { affectedStacksCli, commitAll, copyWorkspace, git } from './workspace';

/** The stack names of the CLI's matrix for the last commit of `dir`, failing with its stderr. */
function stacksOfLastCommit(dir: string, extra: string[] = []): string[] {
  const result = affectedStacksCli(dir, ['--base', 'HEAD~1', '--head', 'HEAD', ...extra]);
  if (result.status !== 0)
    throw new Error(`affected-stacks exited ${result.status}:\n${result.stderr}`);
  return (JSON.parse(result.stdout) as StackMatrix).include.map((entry) => entry.stack);
}

const envs = (domain: string) => [`${domain}-dev`, `${domain}-prod`, `${domain}-staging`];

// One workspace copy, one commit per scenario: each run compares HEAD~1 with HEAD.
describe('affected-stacks on a copy of the workspace', () => {
  let dir: string;

  beforeAll(() => {
    dir = copyWorkspace('delivery');
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plans nothing for a docs-only change', () => {
    // Prepare
    appendFileSync(join(dir, 'README.md'), '\nA line of documentation.\n');
    commitAll(dir, 'docs: readme');

    // Act
    const stacks = stacksOfLastCommit(dir);

    // Assess
    expect(stacks).toEqual([]);
  });

  it('plans the stacks of every domain with a Lambda when libs/observability changes', () => {
    // Prepare
    appendFileSync(join(dir, 'libs/observability/src/index.ts'), '\n// a change\n');
    commitAll(dir, 'fix(observability): change');

    // Act
    const stacks = stacksOfLastCommit(dir);

    // Assess
    expect(stacks).toEqual([
      ...envs('edge'),
      ...envs('etl'),
      ...envs('jobs'),
      ...envs('media'),
      ...envs('users'),
    ]);
  });

  it('plans every stack of the environments asked for when the bucket module changes', () => {
    // Prepare
    appendFileSync(join(dir, 'terraform/modules/bucket/main.tf'), '\n# a change\n');
    commitAll(dir, 'fix(bucket): change');

    // Act
    const stacks = stacksOfLastCommit(dir, ['--environments', 'dev,prod']);

    // Assess
    expect(stacks).toEqual([
      'edge-dev',
      'edge-prod',
      'etl-dev',
      'etl-prod',
      'jobs-dev',
      'jobs-prod',
      'media-dev',
      'media-prod',
      'platform-dev',
      'platform-prod',
      'users-dev',
      'users-prod',
    ]);
  });

  it("plans the deleted Lambda's domain from its manifest at base", () => {
    // Prepare
    git(dir, 'rm', '-rq', 'apps/etl-reconcile');
    commitAll(dir, 'feat(etl)!: remove reconcile');

    // Act
    const stacks = stacksOfLastCommit(dir);

    // Assess
    expect(stacks).toEqual(envs('etl'));
  });
});
