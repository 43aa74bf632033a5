import { UsageError } from '../../src/errors';
import { judgeDeploy, main, parseArgs, type DeployFacts } from '../../src/deploy-guard';

const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(40)) as [string, string, string];
/** A commit one behind main's head that descends from the last applied commit: may be applied. */
const valid: DeployFacts = {
  environment: 'prod',
  commit: b,
  head: c,
  lastApplied: a,
  onMain: true,
  behindHead: 1,
  descendsFromLastApplied: true,
  olderThanLastApplied: false,
};

describe('judgeDeploy', () => {
  it('finds nothing for a main commit that descends from the last applied one, or for the head', () => {
    expect(judgeDeploy(valid)).toEqual([]);
    expect(judgeDeploy({ ...valid, commit: c, behindHead: 0, lastApplied: undefined })).toEqual([]);
  });

  it.each<[string, Partial<DeployFacts>, string[]]>([
    [
      'a commit behind the head with no last applied commit',
      { lastApplied: undefined, behindHead: 2 },
      [
        `bbbbbbbbbbbb is not main's head cccccccccccc: it is 2 commits behind it, and no last applied commit of prod was given to prove it is newer than what prod runs.`,
      ],
    ],
    [
      'a commit of another branch',
      { onMain: false, behindHead: 0 },
      [
        'bbbbbbbbbbbb is not on main (its head cccccccccccc does not descend from it): a commit of another branch is never applied to prod.',
      ],
    ],
    [
      'a commit older than the last applied one',
      { descendsFromLastApplied: false, olderThanLastApplied: true },
      [
        'bbbbbbbbbbbb is older than aaaaaaaaaaaa, the last commit applied to prod: applying it would roll prod back.',
      ],
    ],
    [
      'a commit beside the last applied one',
      { descendsFromLastApplied: false },
      [
        "bbbbbbbbbbbb does not descend from aaaaaaaaaaaa, the last commit applied to prod: applying it would drop what that commit deployed (was main's history rewritten?).",
      ],
    ],
  ])('refuses %s', (_case, change, problems) => {
    expect(judgeDeploy({ ...valid, ...change })).toEqual(problems);
  });
});

describe('parseArgs', () => {
  it('reads every flag, in either form', () => {
    expect(
      parseArgs([
        '--environment',
        'prod',
        '--expect-head=abc',
        '--last-applied',
        'def',
        '--dir',
        'd',
      ]),
    ).toEqual({ environment: 'prod', expectHead: 'abc', lastApplied: 'def', dir: 'd' });
  });

  it.each([
    [['--expect-head', 'abc'], '--environment <env> is required'],
    [['--environment', 'prod'], '--expect-head <sha> is required'],
    [
      ['--environment', 'prod', '--expect-head', 'abc', '--last-applied'],
      '--last-applied needs a value',
    ],
    [['--environment', 'prod', '--expect-head', 'abc', '--head', 'x'], 'unknown argument "--head"'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('main', () => {
  it('exits 2 with the usage on bad usage, and 0 with it on --help', async () => {
    // Prepare
    const out: string[] = [];
    const io = { write: (s: string) => void out.push(s), error: (s: string) => void out.push(s) };

    // Act
    const bad = await main(['--environment', 'prod'], io);
    const help = await main(['--help'], io);

    // Assess
    expect([bad, help]).toEqual([2, 0]);
    expect(out[0]).toMatch(
      /^deploy-guard: --expect-head <sha> is required.+\n\nUsage: deploy-guard/s,
    );
    expect(out[1]).toMatch(/^Usage: deploy-guard --environment <env> --expect-head <sha>/);
  });
});
