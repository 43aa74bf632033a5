import { main, parseArgs } from '../../src/affected-stacks';
import { asksForHelp, readFlags } from '../../src/cli';
import { UsageError } from '../../src/errors';

describe('parseArgs', () => {
  it('reads --base, --head and a comma-separated --environments, in either flag form', () => {
    // Prepare
    const argv = ['--base', 'abc123', '--head=def456', '--environments', 'dev, prod'];

    // Act
    const args = parseArgs(argv);

    // Assess
    expect(args).toEqual({ base: 'abc123', head: 'def456', environments: ['dev', 'prod'] });
  });

  it.each([
    [['--head', 'HEAD'], '--base <sha> is required'],
    [['--base', 'HEAD~1'], '--head <sha> is required'],
    [['--base', '--head', 'HEAD'], '--base needs a value'],
    [['--base', 'a', '--head', 'b', '--env', 'dev'], 'unknown argument "--env"'],
    [['--base', 'a', '--head', 'b', '--environments', ','], '--environments needs at least one'],
  ])('rejects %j', (argv, message) => {
    // Prepare
    // Act
    const act = () => parseArgs(argv);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(message);
  });
});

describe('main', () => {
  it('exits 2 with the problem and the usage on a bad flag', async () => {
    // Prepare
    const errors: string[] = [];
    const io = { write: () => undefined, error: (s: string) => void errors.push(s) };

    // Act
    const code = await main(['--base'], io);

    // Assess
    expect(code).toBe(2);
    expect(errors.join('')).toContain('--base needs a value');
    expect(errors.join('')).toContain('Usage: affected-stacks');
  });
});

describe('readFlags', () => {
  const spec = { values: ['out', 'max-chars'], switches: ['dry-run'], positional: true } as const;

  it('reads values in both forms, switches and positionals in order; the last value wins', () => {
    // Prepare
    const argv = ['a.json', '--out', 'x.md', '--dry-run', 'b', '--max-chars=--9', '--out=y.md'];

    // Act
    const flags = readFlags(argv, spec);

    // Assess
    expect(flags).toEqual({
      values: { out: 'y.md', 'max-chars': '--9' },
      switches: { 'dry-run': true },
      positional: ['a.json', 'b'],
    });
  });

  it('reports a switch not given as false and no positional as an empty list', () => {
    // Prepare
    const argv = ['--out', 'x.md'];

    // Act
    const flags = readFlags(argv, spec);

    // Assess
    expect(flags).toEqual({
      values: { out: 'x.md' },
      switches: { 'dry-run': false },
      positional: [],
    });
  });

  it.each([
    [['--out', 'x', '--help'], 'help'],
    [['-h', '--bogus'], 'help'],
  ])('reads %j in order as %j', (argv, expected) => {
    // Prepare
    // Act
    const flags = readFlags(argv, spec);

    // Assess
    expect(flags).toBe(expected);
  });

  it('takes -h after a value flag as its value unless helpAnywhere', () => {
    // Prepare
    const argv = ['--out', '-h'];

    // Act
    const inOrder = readFlags(argv, spec);
    const anywhere = readFlags(argv, { ...spec, helpAnywhere: true });

    // Assess
    expect(inOrder).toEqual({
      values: { out: '-h' },
      switches: { 'dry-run': false },
      positional: [],
    });
    expect(anywhere).toBe('help');
  });

  it('with helpAnywhere, asks for help even after a bad argument', () => {
    // Prepare
    const argv = ['--bogus', '--help'];

    // Act
    const flags = readFlags(argv, { ...spec, helpAnywhere: true });

    // Assess
    expect(flags).toBe('help');
  });

  it.each([
    [['--bogus', '--help'], {}, 'unknown argument "--bogus"'],
    [['a.json'], { positional: false }, 'unknown argument "a.json"'],
    [['-x'], { positional: false }, 'unknown argument "-x"'],
    [['--'], {}, 'unknown argument "--"'],
    [['--dry-run=yes'], {}, 'unknown argument "--dry-run=yes"'],
    [['--out=a\nb'], {}, 'unknown argument "--out=a\\nb"'],
    [['--outx', 'y'], {}, 'unknown argument "--outx"'],
    [['--constructor', 'y'], {}, 'unknown argument "--constructor"'],
    [['--bogus'], { command: 'seal' }, 'unknown argument "--bogus" for seal'],
    [['--out'], {}, '--out needs a value'],
    [['--out='], {}, '--out needs a value'],
    [['--out', ''], {}, '--out needs a value'],
    [['--out', '--dry-run'], {}, '--out needs a value'],
  ])('rejects %j (%j) with %s', (argv, options, message) => {
    // Prepare
    // Act
    const act = () => readFlags(argv, { ...spec, ...options });

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(new UsageError(message));
  });

  it('checks each value where it stands, before a later bad argument or --help', () => {
    // Prepare
    const seen: string[] = [];
    const check = (flag: string, value: string) => {
      seen.push(`${flag}=${value}`);
      if (value === 'bad') throw new UsageError(`--${flag} is bad`);
    };

    // Act
    const act = () =>
      readFlags(['--out', 'ok', '--max-chars', 'bad', '--bogus', '--help'], { ...spec, check });

    // Assess
    expect(act).toThrow(new UsageError('--max-chars is bad'));
    expect(seen).toEqual(['out=ok', 'max-chars=bad']);
  });
});

describe('asksForHelp', () => {
  it.each([
    [['--plan', 'x', '-h'], true],
    [['--help'], true],
    [['--plan', 'x', '--helpful', '-help'], false],
  ])('%j → %j', (argv, expected) => {
    // Prepare
    // Act
    const asks = asksForHelp(argv);

    // Assess
    expect(asks).toBe(expected);
  });
});
