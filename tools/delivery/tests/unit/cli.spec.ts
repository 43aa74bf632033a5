import { main, parseArgs } from '../../src/affected-stacks';
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
