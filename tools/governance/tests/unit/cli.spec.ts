import path from 'node:path';
import { main, parseArgs, stackInputs } from '../../src/cli';
import { UsageError } from '../../src/errors';
import { plantBucket } from '../planted';

const fixtures = path.join(__dirname, '../fixtures');
/** terraform/modules/bucket with five planted problems (tests/fixtures/planted/bucket.patch). */
const plantedBucket = plantBucket();
afterAll(() => plantedBucket.cleanup());

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { write: (s: string) => void out.push(s), error: (s: string) => void err.push(s) },
  };
}

describe('cli', () => {
  it('parses repeated inputs and options', () => {
    const args = parseArgs([
      'scan',
      '--hcl',
      'a',
      '--hcl',
      'b',
      '--plan',
      'p.json',
      '--format',
      'sarif',
      '--fail-on',
      'medium',
      '--allow-destroy',
      'x',
    ]);

    expect(args.options).toMatchObject({ hcl: ['a', 'b'], plans: ['p.json'], allowDestroy: ['x'] });
    expect(args).toMatchObject({ format: 'sarif', failOn: 'medium' });
  });

  it('reads --flag=value as Nx passes target options', () => {
    const args = parseArgs(['stacks', '--environment=prod', '--fail-on=low', '--plans-dir=p']);

    expect(args).toMatchObject({ command: 'stacks', failOn: 'low', plansDir: 'p' });
    expect(args.options.environment).toBe('prod');
  });

  it('finds every stack of an environment and its plan, or says which command makes them', () => {
    const stacksDir = path.join(fixtures, 'stacks/synth');
    const plansDir = path.join(fixtures, 'stacks/plans/dev');
    const args = parseArgs([
      'stacks',
      '--environment',
      'dev',
      '--stacks-dir',
      stacksDir,
      '--plans-dir',
      plansDir,
    ]);

    const inputs = stackInputs(args);

    expect(inputs.plans).toEqual([path.join(plansDir, 'media-dev.json')]);
    expect(inputs.planRoots).toEqual({
      [path.join(plansDir, 'media-dev.json')]: path.join(stacksDir, 'media-dev'),
    });
    expect(() =>
      stackInputs(parseArgs(['stacks', '--environment', 'prod', '--stacks-dir', stacksDir])),
    ).toThrow('no synthesized stack for environment "prod"');
    expect(() =>
      stackInputs(
        parseArgs([
          'stacks',
          '--environment',
          'dev',
          '--stacks-dir',
          stacksDir,
          '--plans-dir',
          '/nowhere',
        ]),
      ),
    ).toThrow('run npx nx run stacks:plan:dev first');
  });

  it.each([
    [['stacks'], 'stacks needs --environment'],
    [['scan', '--bogus'], 'unknown option "--bogus"'],
    [
      ['scan', '--format', 'pdf', '--hcl', 'x'],
      '--format must be one of table, json, sarif, junit, markdown',
    ],
    [['scan', '--hcl'], '--hcl needs a value'],
    [['scan'], 'nothing to scan'],
    [['deploy'], 'unknown command "deploy"'],
  ])('rejects %j with a usage error', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('exits 1 on findings at --fail-on, 0 below it, 2 on bad input', async () => {
    const planted = plantedBucket.dir;
    const a = io();
    const b = io();
    const c = io();

    expect(await main(['scan', '--hcl', planted, '--format', 'json'], a.io)).toBe(1);
    expect(
      await main(
        [
          'scan',
          '--hcl',
          planted,
          '--fail-on',
          'critical',
          '--waivers',
          path.join(fixtures, 'waivers/valid.yaml'),
        ],
        b.io,
      ),
    ).toBe(1);
    expect(
      await main(
        ['scan', '--hcl', planted, '--waivers', path.join(fixtures, 'waivers/unknown-rule.yaml')],
        c.io,
      ),
    ).toBe(2);
    expect(JSON.parse(a.out.join('')).findings).toHaveLength(5);
    expect(c.err.join('')).toContain('unknown rule id "SLW-S3-999"');
  });

  it('reports HCL that does not parse as a finding for its block (file and line) and exits 1, not 2', async () => {
    // Prepare
    const broken = path.join(fixtures, 'broken-hcl');
    const out = io();

    // Act
    const code = await main(['scan', '--hcl', broken, '--format', 'json'], out.io);

    // Assess
    expect(code).toBe(1);
    expect(out.err.join('')).toBe('');
    expect(
      JSON.parse(out.out.join('')).findings.map(
        (f: { ruleId: string; address: string; file: string; line: number; message: string }) =>
          `${f.ruleId} ${f.address} ${path.basename(f.file)}:${f.line} ${f.message}`,
      ),
    ).toEqual([
      'SLW-HCL-001 aws_s3_bucket.x main.tf:2 aws_s3_bucket.x does not parse: Unclosed configuration block: There is no closing brace for this block before the end of the file.',
    ]);
  });

  it('refuses a folder given as --plan with exit 2, saying what to pass instead', async () => {
    const a = io();

    expect(await main(['scan', '--plan', fixtures], a.io)).toBe(2);
    expect(a.err.join('')).toContain(
      'is a folder, not a plan file; pass each plan JSON (--plan <folder>/<stack>.json), or scan every stack of an environment with `stacks --environment <env>`.',
    );
  });

  it('prints help with exit 0', async () => {
    const a = io();

    expect(await main(['--help'], a.io)).toBe(0);
    expect(a.out.join('')).toContain('Usage: governance scan');
  });
});
